// This module is browser compatible.
/**
 * {@linkcode RoutingWrapper}: sends each call to a store chosen by its collection.
 *
 * @example Usage
 * ```ts
 * import { RoutingWrapper } from "@kv/core/wrappers/routing";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const sessions = new MemoryStore();
 * const everythingElse = new MemoryStore();
 * const store = new RoutingWrapper(everythingElse, {
 *   route: (collection) => collection.startsWith("session") ? sessions : undefined,
 *   stores: [sessions],
 * });
 * await store.put("abc", { user: "ada" }, { collection: "sessions" });
 * assert.deepEqual(await sessions.get("abc", { collection: "sessions" }), { user: "ada" });
 * assert.deepEqual(await everythingElse.collections(), []);
 * ```
 *
 * @module
 */

import type {
  CapabilitiesOf,
  Capability,
  CollectionsOptions,
  KeysOptions,
} from "../core/capabilities.ts";
import { capabilitiesOf } from "../core/capabilities.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { BaseWrapper, closeStore } from "./base.ts";
import { checkOptions } from "../core/options.ts";
import { checkLimit, defaultCollectionOf } from "./_checks.ts";
import { resolveCollectionName } from "../core/_validate.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;

/**
 * Chooses the store of a collection, given its resolved name (a call that
 * names none is routed by the default store's default collection);
 * `undefined` picks the default store.
 */
export type Route = (collection: string) => AsyncKeyValue | undefined;

/** Options of {@linkcode RoutingWrapper}. */
export interface RoutingWrapperOptions<R extends AsyncKeyValue = AsyncKeyValue> {
  /** Chooses the store of each call by its collection. */
  route: Route;
  /**
   * Every store `route` may return. The wrapper exposes a capability only
   * when the default store and all of these have it, and `collections()`,
   * `destroy()`, `cull()` and `close()` reach all of them. @default {[]}
   */
  stores?: readonly R[];
}

/**
 * Routes every call to a store chosen by its collection: `route(collection)`
 * returns a store, or `undefined` for the default store (the first
 * argument).
 *
 * The collection is resolved here, once: an absent or empty collection is
 * the default store's default collection (its `defaultCollection`, else
 * `"default_collection"`). `route` is given that name, and the chosen store
 * is given it explicitly, so a call that names no collection and a call
 * that names the default one reach the same entry, whatever the default
 * collections of the routed stores. Other options pass on unchanged.
 *
 * Capabilities: those that the default store and every store in `stores`
 * have (the type says the same: `S` is the default store's type, `R` that
 * of `stores`). `keys()`, `destroyCollection()` and `putIfAbsent()` go to the
 * collection's store; `collections()` merges each store's collections that
 * route back to it; `destroy()` and `cull()` run on every store once;
 * `close()` closes them all.
 *
 * @example A capability needs every store
 * ```ts
 * import { RoutingWrapper } from "@kv/core/wrappers/routing";
 * import { canPutIfAbsent } from "@kv/core/core/capabilities";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import { SimpleStore } from "@kv/core/stores/simple";
 * import assert from "node:assert/strict";
 *
 * const simple = new SimpleStore();
 * const store = new RoutingWrapper(new MemoryStore(), { route: () => simple, stores: [simple] });
 * assert.equal(canPutIfAbsent(store), false);
 * ```
 *
 * @example Calls that name no collection are routed by the default one
 * ```ts
 * import { RoutingWrapper } from "@kv/core/wrappers/routing";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const seen: string[] = [];
 * const store = new RoutingWrapper(new MemoryStore({ defaultCollection: "main" }), {
 *   route: (collection) => {
 *     seen.push(collection);
 *     return undefined;
 *   },
 * });
 * await store.put("k", { n: 1 });
 * assert.deepEqual(await store.get("k", { collection: "main" }), { n: 1 });
 * assert.deepEqual(seen, ["main", "main"]);
 * ```
 */
export class RoutingWrapper<
  S extends AsyncKeyValue = AsyncKeyValue,
  R extends AsyncKeyValue = never,
> extends BaseWrapper<S, CapabilitiesOf<S | R>> {
  readonly #route: Route;
  readonly #stores: readonly AsyncKeyValue[];
  readonly #default: string;

  /**
   * Creates the wrapper.
   *
   * @param defaultStore The store of every collection `route` does not claim.
   * @param options The route and the stores it may return.
   * @throws {TypeError} When `route` is not a function, or an option is unknown.
   */
  constructor(defaultStore: S, options: RoutingWrapperOptions<R>) {
    checkOptions("RoutingWrapper", options, ["route", "stores"]);
    const stores = [...new Set([defaultStore, ...(options?.stores ?? [])])];
    super(defaultStore, sharedCapabilities(stores));
    if (typeof options.route !== "function") {
      throw new TypeError("Cannot create RoutingWrapper: route must be a function");
    }
    this.#route = options.route;
    this.#stores = stores;
    this.#default = defaultCollectionOf(defaultStore);
  }

  /** The collection of calls that name none: the default store's default collection. */
  get defaultCollection(): string {
    return this.#default;
  }

  /**
   * The store that holds `collection`.
   *
   * @param collection A collection name; `undefined` or `""` for the default.
   * @returns The chosen store.
   */
  storeFor(collection: string | undefined): AsyncKeyValue {
    return this.#route(collection || this.#default) ?? this.inner;
  }

  /** The store of a call, and the options it gets: a copy naming the resolved collection. */
  #pick<T extends KeyOptions>(options: T | undefined, context: string): [AsyncKeyValue, T] {
    const collection = resolveCollectionName(options, this.#default, context);
    return [this.#route(collection) ?? this.inner, { ...options, collection } as T];
  }

  /** Reads one value from the collection's store. */
  override async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    const [store, target] = this.#pick(options, this.context("get"));
    return await store.get(key, target);
  }

  /** Reads many values from the collection's store. */
  override async getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(Value | undefined)[]> {
    const [store, target] = this.#pick(options, this.context("get"));
    return await store.getMany(keys, target);
  }

  /** Reads a value and its TTL from the collection's store. */
  override async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    const [store, target] = this.#pick(options, this.context("ttl"));
    return await store.ttl(key, target);
  }

  /** Reads many values and TTLs from the collection's store. */
  override async ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    const [store, target] = this.#pick(options, this.context("ttl"));
    return await store.ttlMany(keys, target);
  }

  /** Stores a value in the collection's store (handed on at once, for it to copy). */
  override async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const [store, target] = this.#pick(options, this.context("put"));
    return await store.put(key, value, target);
  }

  /** Stores many values in the collection's store. */
  override async putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const [store, target] = this.#pick(options, this.context("put"));
    return await store.putMany(keys, values, target);
  }

  /** Deletes a key from the collection's store. */
  override async delete(key: string, options?: KeyOptions): Promise<boolean> {
    const [store, target] = this.#pick(options, this.context("delete"));
    return await store.delete(key, target);
  }

  /** Deletes many keys from the collection's store. */
  override async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    const [store, target] = this.#pick(options, this.context("delete"));
    return await store.deleteMany(keys, target);
  }

  /** Closes every store. */
  override async close(): Promise<void> {
    await Promise.all(this.#stores.map(closeStore));
  }

  /** Backs `keys()`: asks the collection's store. */
  protected override async doKeys(options?: KeysOptions): Promise<string[]> {
    const [store, target] = this.#pick(options, this.context("keys"));
    return await (store as Loose).keys(target);
  }

  /** Backs `collections()`: each store's collections that route back to it. */
  protected override async doCollections(options?: CollectionsOptions): Promise<string[]> {
    const context = this.context("collections");
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw new TypeError(`Cannot ${context}: options must be an object`);
    }
    const limit = checkLimit(options?.limit, context);
    const names: string[] = [];
    for (const store of this.#stores) {
      for (const name of await (store as Loose).collections() as string[]) {
        if (this.storeFor(name) === store && !names.includes(name)) names.push(name);
      }
    }
    return limit === undefined ? names : names.slice(0, limit);
  }

  /** Backs `destroyCollection()`: asks the collection's store. */
  protected override async doDestroyCollection(collection: string): Promise<boolean> {
    const [store, target] = this.#pick({ collection }, this.context("destroy"));
    return await (store as Loose).destroyCollection(target.collection);
  }

  /** Backs `destroy()`: destroys every store. */
  protected override async doDestroy(): Promise<boolean> {
    for (const store of this.#stores) await (store as Loose).destroy();
    return true;
  }

  /** Backs `cull()`: culls every store. */
  protected override async doCull(): Promise<number> {
    let removed = 0;
    for (const store of this.#stores) removed += await (store as Loose).cull();
    return removed;
  }

  /** Backs `putIfAbsent()`: asks the collection's store. */
  protected override async doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    const [store, target] = this.#pick(options, this.context("put"));
    return await (store as Loose).putIfAbsent(key, value, target);
  }
}

function sharedCapabilities(stores: readonly AsyncKeyValue[]): Capability[] {
  const [first, ...rest] = stores.map(capabilitiesOf);
  return first!.filter((name) => rest.every((names) => names.includes(name)));
}
