// This module is browser compatible.
/**
 * The async key-value protocol every store and wrapper implements.
 *
 * @example Usage
 * ```ts
 * import type { AsyncKeyValue } from "@kv/core/core/protocol";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store: AsyncKeyValue = new MemoryStore();
 * await store.put("user:1", { name: "Ada" }, { ttl: 60 });
 * assert.deepEqual(await store.get("user:1"), { name: "Ada" });
 * ```
 *
 * @module
 */

/** A stored value: a JSON object. */
export type Value = Record<string, unknown>;

/** Options naming the collection of an operation. */
export interface KeyOptions {
  /**
   * The collection. Absent or empty means the store's default collection
   * (`"default_collection"` unless the store was built with another).
   */
  collection?: string | undefined;
}

/** Options of a write. */
export interface PutOptions extends KeyOptions {
  /** Time to live in seconds (fractions allowed); `null` or absent means no expiry. */
  ttl?: number | null | undefined;
}

/**
 * A value with its remaining time to live in seconds: `[value, ttl]`.
 * `[undefined, undefined]` is a miss; `[value, undefined]` never expires.
 */
export type TtlEntry = [value: Value | undefined, ttl: number | undefined];

/**
 * The protocol: eight async methods over keys grouped in collections.
 *
 * Every implementation keeps the same semantics: a miss is `undefined`,
 * batch results keep the order and length of `keys`, values are copied in
 * and out, TTLs are honoured to the millisecond, and bad input throws before
 * anything is written.
 */
export interface AsyncKeyValue {
  /** Reads one value, or `undefined` when missing or expired. */
  get(key: string, options?: KeyOptions): Promise<Value | undefined>;
  /** Reads many values, in the order of `keys`. */
  getMany(keys: readonly string[], options?: KeyOptions): Promise<(Value | undefined)[]>;
  /** Reads a value with its remaining TTL in seconds. */
  ttl(key: string, options?: KeyOptions): Promise<TtlEntry>;
  /** Reads many values with their remaining TTLs, in the order of `keys`. */
  ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]>;
  /** Stores a value, replacing any previous one. */
  put(key: string, value: Value, options?: PutOptions): Promise<void>;
  /** Stores many values with one TTL for the whole batch. */
  putMany(keys: readonly string[], values: readonly Value[], options?: PutOptions): Promise<void>;
  /** Deletes a key; `true` only if something was deleted. */
  delete(key: string, options?: KeyOptions): Promise<boolean>;
  /** Deletes many keys; returns how many were deleted. */
  deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number>;
}

/** The collection used when none is given. */
export const DEFAULT_COLLECTION = "default_collection";
