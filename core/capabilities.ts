// This module is browser compatible.
/**
 * The six optional capabilities a store may have beyond the protocol, each
 * with a type guard. Wrappers forward a capability exactly when their inner
 * store has it, so the guards work through any stack of wrappers.
 *
 * @example Usage
 * ```ts
 * import { canEnumerateKeys } from "@kv/core/core/capabilities";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new MemoryStore();
 * await store.put("a", { n: 1 });
 * if (canEnumerateKeys(store)) assert.deepEqual(await store.keys(), ["a"]);
 * ```
 *
 * @module
 */

import type { AsyncKeyValue, PutOptions, Value } from "./protocol.ts";

/** Options of {@linkcode EnumerateKeys.keys}. */
export interface KeysOptions {
  /** The collection to list; the default collection when absent. */
  collection?: string | undefined;
  /** At most this many keys (a positive integer); all when absent. */
  limit?: number | undefined;
}

/** Options of {@linkcode EnumerateCollections.collections}. */
export interface CollectionsOptions {
  /** At most this many names (a positive integer); all when absent. */
  limit?: number | undefined;
}

/** Lists the live keys of a collection. */
export interface EnumerateKeys {
  /** Returns the live (unexpired) keys of one collection. */
  keys(options?: KeysOptions): Promise<string[]>;
}

/** Lists collection names. */
export interface EnumerateCollections {
  /** Returns the names of the collections that hold entries. */
  collections(options?: CollectionsOptions): Promise<string[]>;
}

/** Deletes one collection's entries. */
export interface DestroyCollection {
  /** Deletes every entry of `collection`; `true` if it held any. */
  destroyCollection(collection: string): Promise<boolean>;
}

/** Deletes everything this store wrote, and nothing else. */
export interface DestroyStore {
  /** Deletes every entry this store wrote; `true` when done. */
  destroy(): Promise<boolean>;
}

/** Removes expired entries now. */
export interface Cull {
  /** Removes expired entries; returns how many were removed (when known). */
  cull(): Promise<number>;
}

/** Stores a value only when the key is absent, atomically. */
export interface PutIfAbsent {
  /** Stores `value` only if no live entry exists; `true` if stored. */
  putIfAbsent(key: string, value: Value, options?: PutOptions): Promise<boolean>;
}

/** The capability names, as used by the conformance suite. */
export type Capability =
  | "keys"
  | "collections"
  | "destroyCollection"
  | "destroy"
  | "cull"
  | "putIfAbsent";

/** The method of each capability, by name. */
export interface CapabilityMethods {
  /** See {@linkcode EnumerateKeys.keys}. */
  keys: EnumerateKeys["keys"];
  /** See {@linkcode EnumerateCollections.collections}. */
  collections: EnumerateCollections["collections"];
  /** See {@linkcode DestroyCollection.destroyCollection}. */
  destroyCollection: DestroyCollection["destroyCollection"];
  /** See {@linkcode DestroyStore.destroy}. */
  destroy: DestroyStore["destroy"];
  /** See {@linkcode Cull.cull}. */
  cull: Cull["cull"];
  /** See {@linkcode PutIfAbsent.putIfAbsent}. */
  putIfAbsent: PutIfAbsent["putIfAbsent"];
}

/**
 * The names of the capabilities the store type `S` has: the type-level
 * {@linkcode capabilitiesOf}. For a union of store types, the capabilities
 * every member has (what a wrapper over several stores can offer).
 *
 * @example Usage
 * ```ts
 * import type { CapabilitiesOf } from "@kv/core/core/capabilities";
 * import type { AsyncKeyValue } from "@kv/core/core/protocol";
 * import type { MemoryStore } from "@kv/core/stores/memory";
 *
 * const all: CapabilitiesOf<MemoryStore>[] = ["keys", "cull", "putIfAbsent"];
 * const none: CapabilitiesOf<AsyncKeyValue>[] = [];
 * ```
 *
 * @typeParam S A store type (or a union of them).
 */
export type CapabilitiesOf<S> = {
  [K in Capability]: [S] extends [Pick<CapabilityMethods, K>] ? K : never;
}[Capability];

function hasMethod(store: unknown, name: string): boolean {
  return typeof store === "object" && store !== null &&
    typeof (store as Record<string, unknown>)[name] === "function";
}

/**
 * Whether `store` can list keys.
 *
 * @param store Any store or wrapper.
 * @returns `true` when `store.keys` is a function.
 */
export function canEnumerateKeys<T extends AsyncKeyValue>(store: T): store is T & EnumerateKeys {
  return hasMethod(store, "keys");
}

/**
 * Whether `store` can list collections.
 *
 * @param store Any store or wrapper.
 * @returns `true` when `store.collections` is a function.
 */
export function canEnumerateCollections<T extends AsyncKeyValue>(
  store: T,
): store is T & EnumerateCollections {
  return hasMethod(store, "collections");
}

/**
 * Whether `store` can delete one collection.
 *
 * @param store Any store or wrapper.
 * @returns `true` when `store.destroyCollection` is a function.
 */
export function canDestroyCollection<T extends AsyncKeyValue>(
  store: T,
): store is T & DestroyCollection {
  return hasMethod(store, "destroyCollection");
}

/**
 * Whether `store` can delete everything it wrote.
 *
 * @param store Any store or wrapper.
 * @returns `true` when `store.destroy` is a function.
 */
export function canDestroy<T extends AsyncKeyValue>(store: T): store is T & DestroyStore {
  return hasMethod(store, "destroy");
}

/**
 * Whether `store` can remove expired entries on demand.
 *
 * @param store Any store or wrapper.
 * @returns `true` when `store.cull` is a function.
 */
export function canCull<T extends AsyncKeyValue>(store: T): store is T & Cull {
  return hasMethod(store, "cull");
}

/**
 * Whether `store` can store a value atomically only when absent.
 *
 * @param store Any store or wrapper.
 * @returns `true` when `store.putIfAbsent` is a function.
 */
export function canPutIfAbsent<T extends AsyncKeyValue>(store: T): store is T & PutIfAbsent {
  return hasMethod(store, "putIfAbsent");
}

/**
 * The capabilities `store` has, by name.
 *
 * @example Usage
 * ```ts
 * import { capabilitiesOf } from "@kv/core/core/capabilities";
 * import { NullStore } from "@kv/core/stores/null";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(capabilitiesOf(new NullStore()), []);
 * ```
 *
 * @param store Any store or wrapper.
 * @returns The names of the capability methods `store` has.
 */
export function capabilitiesOf(store: AsyncKeyValue): Capability[] {
  const all: Capability[] = [
    "keys",
    "collections",
    "destroyCollection",
    "destroy",
    "cull",
    "putIfAbsent",
  ];
  return all.filter((name) => hasMethod(store, name));
}
