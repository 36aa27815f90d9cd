// This module is browser compatible.
// Internal: BaseWrapper lives in core/ so that wrappers/ and adapters/ both
// build on it while importing only core/; its public path is wrappers/base.ts.

import type {
  CapabilitiesOf,
  Capability,
  CapabilityMethods,
  CollectionsOptions,
  KeysOptions,
} from "./capabilities.ts";
import { capabilitiesOf } from "./capabilities.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "./protocol.ts";
import {
  answersNow,
  exposeSyncRead,
  guardsOf,
  holds,
  LATER,
  type ReadNow,
  type SyncRead,
  syncReadOf,
} from "./_read_now.ts";

/** The operations named in wrapper error messages. */
export type WrapperOperation =
  | "get"
  | "put"
  | "delete"
  | "ttl"
  | "keys"
  | "collections"
  | "destroy";

const VERBS: Record<WrapperOperation, string> = {
  get: "get from",
  put: "put into",
  delete: "delete from",
  ttl: "read ttl from",
  keys: "list keys of",
  collections: "list collections of",
  destroy: "destroy data of",
};

const HOOKS: Record<Capability, string> = {
  keys: "doKeys",
  collections: "doCollections",
  destroyCollection: "doDestroyCollection",
  destroy: "doDestroy",
  cull: "doCull",
  putIfAbsent: "doPutIfAbsent",
};

// deno-lint-ignore no-explicit-any
type Loose = any;

/**
 * The type of a wrapper's capability member `K`, given the names `C` of the
 * capabilities it offers: the capability's method when `C` has `K`, else
 * `unknown`. The one helper type behind {@linkcode BaseWrapper}'s
 * capability types: a generic class cannot add or drop members by its type
 * arguments, so a capability it does not offer is a member of type
 * `unknown` (absent at run time) that cannot be called without a guard
 * (`canEnumerateKeys` and the others narrow it to the method).
 *
 * @example Usage
 * ```ts
 * import type { CapabilityMember } from "@kv/core/wrappers/base";
 *
 * const keys: CapabilityMember<"keys" | "cull", "keys"> = () => Promise.resolve(["a"]);
 * const destroy: CapabilityMember<"keys", "destroy"> = undefined;
 * ```
 *
 * @typeParam C The names of the capabilities offered.
 * @typeParam K One capability name.
 */
export type CapabilityMember<C extends Capability, K extends Capability> = [K] extends [C]
  ? CapabilityMethods[K]
  : unknown;

/**
 * For each capability a wrapper can build, the capabilities of the inner
 * store it needs (a renaming wrapper lists keys to delete one collection).
 */
export type CapabilityRules = { readonly [K in Capability]?: readonly Capability[] };

/**
 * The capabilities that `rules` build over the store type `S`: each one
 * whose needed capabilities `S` all has. The type of what a wrapper that
 * derives its capabilities by such rules offers.
 *
 * @example Usage
 * ```ts
 * import type { BuiltCapabilities } from "@kv/core/wrappers/base";
 * import type { SimpleStore } from "@kv/core/stores/simple";
 *
 * type Rules = { keys: readonly ["keys"]; cull: readonly ["cull"]; destroy: readonly ["keys"] };
 * const built: BuiltCapabilities<SimpleStore, Rules>[] = ["keys", "destroy"];
 * ```
 *
 * @typeParam S The inner store's type.
 * @typeParam R The rules.
 */
export type BuiltCapabilities<S, R extends CapabilityRules> = {
  [K in keyof R & Capability]: [R[K] extends readonly (infer N)[] ? N : never] extends
    [CapabilitiesOf<S>] ? K
    : never;
}[keyof R & Capability];

/**
 * Closes a store when it has `close()` (wrappers close what they wrap).
 *
 * @param store Any store or wrapper.
 * @returns A promise that settles when the store is closed.
 */
export async function closeStore(store: AsyncKeyValue): Promise<void> {
  const close = (store as { close?: () => unknown }).close;
  if (typeof close === "function") await close.call(store);
}

/**
 * The base of every wrapper: an {@linkcode AsyncKeyValue} over an inner
 * store. Every protocol method forwards to the inner store unchanged; a
 * subclass overrides what it changes.
 *
 * Capabilities are own properties set by the constructor, present only for
 * the names in its `capabilities` argument (by default, those of the inner
 * store). Each calls a protected hook (`doKeys`, `doCollections`,
 * `doDestroyCollection`, `doDestroy`, `doCull`, `doPutIfAbsent`) that
 * forwards to the inner store and that a subclass may override.
 *
 * Their types follow the type arguments: `S` is the inner store's type and
 * `C` the names of the capabilities offered, by default those of `S`
 * ({@linkcode CapabilitiesOf}). A wrapper declared
 * `class W<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S>`
 * with a constructor taking `inner: S` has, over a `MemoryStore`, a `keys()`
 * to call as it is; over a type without `keys`, its `keys` is `unknown`
 * (absent at run time) and calling it is a type error. A subclass with no
 * type parameter (`extends BaseWrapper`) types every capability `unknown`:
 * use the guards of `core/capabilities.ts`, which narrow it.
 *
 * `close()` and `[Symbol.asyncDispose]` close the inner store: a wrapper
 * owns what it wraps.
 *
 * @example Capabilities follow the inner store
 * ```ts
 * import { BaseWrapper } from "@kv/core/wrappers/base";
 * import { NullStore } from "@kv/core/stores/null";
 * import { capabilitiesOf } from "@kv/core/core/capabilities";
 * import assert from "node:assert/strict";
 *
 * class Plain extends BaseWrapper {}
 * assert.deepEqual(capabilitiesOf(new Plain(new NullStore())), []);
 * ```
 *
 * @example Capability types follow the inner store's type
 * ```ts
 * import { BaseWrapper } from "@kv/core/wrappers/base";
 * import type { AsyncKeyValue } from "@kv/core/core/protocol";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class Plain<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S> {}
 * const store = new Plain(new MemoryStore());
 * await store.put("k", { n: 1 });
 * assert.deepEqual(await store.keys(), ["k"]);
 * ```
 *
 * @typeParam S The inner store's type.
 * @typeParam C The names of the capabilities this wrapper offers.
 */
export abstract class BaseWrapper<
  S extends AsyncKeyValue = AsyncKeyValue,
  C extends Capability = CapabilitiesOf<S>,
> implements AsyncKeyValue {
  /** The wrapped store. */
  protected readonly inner: AsyncKeyValue;
  readonly #name: string;
  // The phrases of `context()`, built once each: wrappers name them on every call.
  readonly #contexts: Partial<Record<WrapperOperation, string>> = {};
  // This wrapper's `get` at once, built from the hooks over the inner
  // store's synchronous read, when the inner store has one (core/_read_now.ts).
  readonly #read: ReadNow | undefined;
  // The inner store's get as it is at each call.
  readonly #innerGet = (key: string, options: KeyOptions | undefined) =>
    this.inner.get(key, options);

  /** Lists keys: typed when `C` has `"keys"`, else `unknown` (absent at run time). */
  declare readonly keys: CapabilityMember<C, "keys">;
  /** Lists collections: typed when `C` has `"collections"`, else `unknown`. */
  declare readonly collections: CapabilityMember<C, "collections">;
  /** Deletes one collection: typed when `C` has `"destroyCollection"`, else `unknown`. */
  declare readonly destroyCollection: CapabilityMember<C, "destroyCollection">;
  /** Deletes everything: typed when `C` has `"destroy"`, else `unknown`. */
  declare readonly destroy: CapabilityMember<C, "destroy">;
  /** Removes expired entries: typed when `C` has `"cull"`, else `unknown`. */
  declare readonly cull: CapabilityMember<C, "cull">;
  /** Stores only when absent: typed when `C` has `"putIfAbsent"`, else `unknown`. */
  declare readonly putIfAbsent: CapabilityMember<C, "putIfAbsent">;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param capabilities The capabilities this wrapper exposes (those `C` names). @default {the inner store's}
   * @throws {TypeError} When `inner` is not a store.
   */
  constructor(inner: S, capabilities?: readonly Capability[]) {
    const name = new.target.name;
    if (typeof inner !== "object" || inner === null || typeof inner.get !== "function") {
      throw new TypeError(`Cannot create ${name}: the inner store must be an AsyncKeyValue`);
    }
    this.inner = inner;
    this.#name = name;
    const sync = syncReadOf(inner);
    if (sync !== undefined) {
      const read = this.#read = composeRead(this as unknown as Hooks, inner, sync);
      // A `get` that only forwards hands on the inner read itself, guarded.
      if (read.forwards) {
        exposeSyncRead(this, new.target.prototype, sync.read, guardsOf(inner, sync));
      } else exposeSyncRead(this, new.target.prototype, read);
    }
    for (const capability of capabilities ?? capabilitiesOf(inner)) {
      const hook = HOOKS[capability];
      Object.defineProperty(this, capability, {
        value: (...args: unknown[]) => (this as Loose)[hook](...args),
        configurable: true,
        writable: true,
      });
    }
  }

  /**
   * The wrapper's name and an operation, for error messages ("get from PrefixKeysWrapper").
   *
   * @param operation The operation.
   * @returns The phrase for "Cannot <phrase>: <reason>".
   */
  protected context(operation: WrapperOperation): string {
    return this.#contexts[operation] ??= `${VERBS[operation]} ${this.#name}`;
  }

  // ------------------------------------------------------------ get, once

  /**
   * Reads one value, or `undefined` when missing or expired: the inner
   * store's `get` with the arguments mapped by `readInner` and its answer
   * mapped by `readResult`. When the inner store can answer at once (a
   * MemoryStore, or wrappers over one whose `get` is still the one that
   * reads synchronously at this call) the answer is one resolved promise,
   * with no microtask per layer; otherwise it calls the inner store's
   * `get`, as it is at this call.
   */
  get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    const now = this.answerNow(key, options);
    if (now !== undefined) return now;
    try {
      const result = this.readInner(key, options, this.#innerGet);
      if (this.readResult === BaseWrapper.prototype.readResult) return result;
      return result.then((value) => this.readResult(value, options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The argument hook of `get`: calls `read` (the inner store's `get`, or
   * its synchronous read) with the inner key and options, and returns what
   * it returns, untouched. Throws what `get` should reject with. By default
   * `read(key, options)`; a wrapper that renames keys or collections
   * overrides it, and its `get` keeps reading synchronously over a
   * MemoryStore.
   *
   * @param key The caller's key.
   * @param options The caller's options.
   * @param read The inner read to call once.
   * @returns What `read` returned.
   */
  protected readInner<R>(
    key: string,
    options: KeyOptions | undefined,
    read: (key: string, options: KeyOptions | undefined) => R,
  ): R {
    return read(key, options);
  }

  /**
   * The result hook of `get`: maps (or counts) the value the inner store
   * answered, on either path. By default the value itself.
   *
   * @param value What the inner `get` resolved to.
   * @param _options The caller's options.
   * @returns What this wrapper's `get` resolves to.
   */
  protected readResult(
    value: Value | undefined,
    _options: KeyOptions | undefined,
  ): Value | undefined {
    return value;
  }

  /**
   * This wrapper's `get` answered at once, as a settled promise (a throw of
   * the read becomes a rejection), when the inner store can answer now and
   * its `get` is, at this call, the one its synchronous read mirrors; else
   * `undefined` (before any effect): take the async path. The first step of
   * `get`, for a subclass whose own `get` adds only what an answer given at
   * once does not need (TimeoutWrapper's deadline).
   *
   * @param key The caller's key.
   * @param options The caller's options.
   * @returns A settled promise, or `undefined` to take the async path.
   */
  protected answerNow(
    key: string,
    options: KeyOptions | undefined,
  ): Promise<Value | undefined> | undefined {
    const read = this.#read;
    if (read === undefined) return undefined;
    try {
      const value = read(key, options);
      return value === LATER ? undefined : Promise.resolve(value);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // ------------------------------------------------------------ the rest

  /** Reads many values, in the order of `keys`. */
  getMany(keys: readonly string[], options?: KeyOptions): Promise<(Value | undefined)[]> {
    return this.inner.getMany(keys, options);
  }

  /** Reads a value with its remaining TTL in seconds. */
  ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    return this.inner.ttl(key, options);
  }

  /** Reads many values with their remaining TTLs, in the order of `keys`. */
  ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    return this.inner.ttlMany(keys, options);
  }

  /** Stores a value, replacing any previous one. */
  put(key: string, value: Value, options?: PutOptions): Promise<void> {
    return this.inner.put(key, value, options);
  }

  /** Stores many values with one TTL for the whole batch. */
  putMany(keys: readonly string[], values: readonly Value[], options?: PutOptions): Promise<void> {
    return this.inner.putMany(keys, values, options);
  }

  /** Deletes a key; `true` only if something was deleted. */
  delete(key: string, options?: KeyOptions): Promise<boolean> {
    return this.inner.delete(key, options);
  }

  /** Deletes many keys; returns how many were deleted. */
  deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    return this.inner.deleteMany(keys, options);
  }

  /** Closes the inner store (when it has `close()`). */
  close(): Promise<void> {
    return closeStore(this.inner);
  }

  /** Closes the inner store; lets `await using` manage the wrapper. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Backs `keys()`: forwards to the inner store. */
  protected doKeys(options?: KeysOptions): Promise<string[]> {
    return (this.inner as Loose).keys(options);
  }

  /** Backs `collections()`: forwards to the inner store. */
  protected doCollections(options?: CollectionsOptions): Promise<string[]> {
    return (this.inner as Loose).collections(options);
  }

  /** Backs `destroyCollection()`: forwards to the inner store. */
  protected doDestroyCollection(collection: string): Promise<boolean> {
    return (this.inner as Loose).destroyCollection(collection);
  }

  /** Backs `destroy()`: forwards to the inner store. */
  protected doDestroy(): Promise<boolean> {
    return (this.inner as Loose).destroy();
  }

  /** Backs `cull()`: forwards to the inner store. */
  protected doCull(): Promise<number> {
    return (this.inner as Loose).cull();
  }

  /** Backs `putIfAbsent()`: forwards to the inner store. */
  protected doPutIfAbsent(key: string, value: Value, options?: PutOptions): Promise<boolean> {
    return (this.inner as Loose).putIfAbsent(key, value, options);
  }
}

answersNow(BaseWrapper.prototype.get);

/** The hooks of a wrapper, as `composeRead` calls them. */
interface Hooks {
  readInner<R>(
    key: string,
    options: KeyOptions | undefined,
    read: (key: string, options: KeyOptions | undefined) => R,
  ): R;
  readResult(value: Value | undefined, options: KeyOptions | undefined): Value | undefined;
}

/**
 * A wrapper's `get` at once: its hooks over the inner store's synchronous
 * read, which holds only while `inner.get` is, at the call, the `get` that
 * read mirrors. Which hooks the wrapper's class overrides is read once here,
 * and each combination has its own function (a hook left as BaseWrapper's
 * costs nothing, and V8 keeps each combination's type feedback apart).
 */
function composeRead(
  wrapper: Hooks,
  inner: AsyncKeyValue,
  sync: SyncRead,
): ReadNow & { forwards?: true } {
  const read = sync.read;
  const base = BaseWrapper.prototype as unknown as Hooks;
  const args = wrapper.readInner !== base.readInner;
  const result = wrapper.readResult !== base.readResult;
  if (!args && !result) {
    const forward = (key: string, options: KeyOptions | undefined) =>
      holds(inner, sync) ? read(key, options) : LATER;
    return Object.assign(forward, { forwards: true as const });
  }
  if (!result) {
    return (key, options) => holds(inner, sync) ? wrapper.readInner(key, options, read) : LATER;
  }
  if (!args) {
    return (key, options) => {
      if (!holds(inner, sync)) return LATER;
      const value = read(key, options);
      return value === LATER ? LATER : wrapper.readResult(value, options);
    };
  }
  return (key, options) => {
    if (!holds(inner, sync)) return LATER;
    const value = wrapper.readInner(key, options, read);
    return value === LATER ? LATER : wrapper.readResult(value, options);
  };
}
