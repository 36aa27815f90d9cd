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
 *   route: (collection) => collection?.startsWith("session") ? sessions : undefined,
 *   stores: [sessions],
 * });
 * await store.put("abc", { user: "ada" }, { collection: "sessions" });
 * assert.deepEqual(await sessions.get("abc", { collection: "sessions" }), { user: "ada" });
 * assert.deepEqual(await everythingElse.collections(), []);
 * ```
 *
 * @module
 */

import type { Capability, CollectionsOptions, KeysOptions } from "../core/capabilities.ts";
import { capabilitiesOf } from "../core/capabilities.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { BaseWrapper, closeStore } from "./base.ts";
import { checkLimit, optionalCollection } from "./_checks.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;

/** Chooses the store of a collection (`undefined`: the call named none); `undefined` picks the default store. */
export type Route = (collection: string | undefined) => AsyncKeyValue | undefined;

/** Options of {@linkcode RoutingWrapper}. */
export interface RoutingWrapperOptions {
  /** Chooses the store of each call by its collection. */
  route: Route;
  /**
   * Every store `route` may return. The wrapper exposes a capability only
   * when the default store and all of these have it, and `collections()`,
   * `destroy()`, `cull()` and `close()` reach all of them. @default {[]}
   */
  stores?: readonly AsyncKeyValue[];
}

/**
 * Routes every call to a store chosen by its collection: `route(collection)`
 * returns a store, or `undefined` for the default store (the first
 * argument). The call goes to that store unchanged. An absent or empty
 * collection is passed to `route` as `undefined`.
 *
 * Capabilities: those that the default store and every store in `stores`
 * have. `keys()`, `destroyCollection()` and `putIfAbsent()` go to the
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
 */
export class RoutingWrapper extends BaseWrapper {
  readonly #route: Route;
  readonly #stores: readonly AsyncKeyValue[];

  /**
   * Creates the wrapper.
   *
   * @param defaultStore The store of every collection `route` does not claim.
   * @param options The route and the stores it may return.
   * @throws {TypeError} When `route` is not a function.
   */
  constructor(defaultStore: AsyncKeyValue, options: RoutingWrapperOptions) {
    const stores = [...new Set([defaultStore, ...(options?.stores ?? [])])];
    super(defaultStore, sharedCapabilities(stores));
    if (typeof options.route !== "function") {
      throw new TypeError("Cannot create RoutingWrapper: route must be a function");
    }
    this.#route = options.route;
    this.#stores = stores;
  }

  /**
   * The store that holds `collection`.
   *
   * @param collection A collection name; `undefined` or `""` for the default.
   * @returns The chosen store.
   */
  storeFor(collection: string | undefined): AsyncKeyValue {
    return this.#route(collection || undefined) ?? this.inner;
  }

  #pick(options: KeyOptions | undefined, context: string): AsyncKeyValue {
    return this.storeFor(optionalCollection(options, context));
  }

  /** Reads one value from the collection's store. */
  override async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    return await this.#pick(options, this.context("get")).get(key, options);
  }

  /** Reads many values from the collection's store. */
  override async getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(Value | undefined)[]> {
    return await this.#pick(options, this.context("get")).getMany(keys, options);
  }

  /** Reads a value and its TTL from the collection's store. */
  override async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    return await this.#pick(options, this.context("ttl")).ttl(key, options);
  }

  /** Reads many values and TTLs from the collection's store. */
  override async ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    return await this.#pick(options, this.context("ttl")).ttlMany(keys, options);
  }

  /** Stores a value in the collection's store. */
  override async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    return await this.#pick(options, this.context("put")).put(key, value, options);
  }

  /** Stores many values in the collection's store. */
  override async putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    return await this.#pick(options, this.context("put")).putMany(keys, values, options);
  }

  /** Deletes a key from the collection's store. */
  override async delete(key: string, options?: KeyOptions): Promise<boolean> {
    return await this.#pick(options, this.context("delete")).delete(key, options);
  }

  /** Deletes many keys from the collection's store. */
  override async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    return await this.#pick(options, this.context("delete")).deleteMany(keys, options);
  }

  /** Closes every store. */
  override async close(): Promise<void> {
    await Promise.all(this.#stores.map(closeStore));
  }

  /** Backs `keys()`: asks the collection's store. */
  protected override async doKeys(options?: KeysOptions): Promise<string[]> {
    return await (this.#pick(options, this.context("keys")) as Loose).keys(options);
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
    const store = this.#pick({ collection }, this.context("destroy")) as Loose;
    return await store.destroyCollection(collection);
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
    return await (this.#pick(options, this.context("put")) as Loose).putIfAbsent(
      key,
      value,
      options,
    );
  }
}

function sharedCapabilities(stores: readonly AsyncKeyValue[]): Capability[] {
  const [first, ...rest] = stores.map(capabilitiesOf);
  return first!.filter((name) => rest.every((names) => names.includes(name)));
}
