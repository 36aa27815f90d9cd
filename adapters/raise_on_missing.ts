// This module is browser compatible.
/**
 * {@linkcode RaiseOnMissingAdapter}: reads that throw `MissingKeyError` on a miss.
 *
 * @example Usage
 * ```ts
 * import { RaiseOnMissingAdapter } from "@kv/core/adapters/raise-on-missing";
 * import { MissingKeyError } from "@kv/core/core/errors";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new RaiseOnMissingAdapter(new MemoryStore());
 * await store.put("k", { n: 1 });
 * const value = await store.get("k", { raiseOnMissing: true }); // typed Value, never undefined
 * assert.equal(value.n, 1);
 * await assert.rejects(store.get("gone", { raiseOnMissing: true }), MissingKeyError);
 * assert.equal(await store.get("gone"), undefined);
 * ```
 *
 * @module
 */

import { MissingKeyError } from "../core/errors.ts";
import { checkOptions } from "../core/options.ts";
import type { AsyncKeyValue, KeyOptions, TtlEntry, Value } from "../core/protocol.ts";
import { DEFAULT_COLLECTION } from "../core/protocol.ts";
import { BaseWrapper } from "../core/_base_wrapper.ts";

/** Options of a read through {@linkcode RaiseOnMissingAdapter}. */
export interface MissingOptions extends KeyOptions {
  /** Throw `MissingKeyError` instead of returning a miss. @default {the adapter's setting} */
  raiseOnMissing?: boolean;
}

/** Options of a read that throws on a miss. */
export interface RaisingOptions extends KeyOptions {
  /** Throw `MissingKeyError` instead of returning a miss. */
  raiseOnMissing: true;
}

/** Options of {@linkcode RaiseOnMissingAdapter}. */
export interface RaiseOnMissingAdapterOptions {
  /** Whether reads throw on a miss when a call does not say. @default {false} */
  raiseOnMissing?: boolean;
}

/**
 * A store whose reads can throw instead of missing: `get`, `getMany`, `ttl`
 * and `ttlMany` with `{ raiseOnMissing: true }` (or an adapter built with
 * it) reject with `MissingKeyError` naming the operation, collection and
 * first missing key, and their result types narrow to values that are
 * present. Writes, deletes and capabilities pass through; the option is
 * not passed to the store.
 *
 * @example Batch reads
 * ```ts
 * import { RaiseOnMissingAdapter } from "@kv/core/adapters/raise-on-missing";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new RaiseOnMissingAdapter(new MemoryStore(), { raiseOnMissing: true });
 * await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }]);
 * assert.deepEqual(await store.getMany(["a", "b"]), [{ n: 1 }, { n: 2 }]);
 * await assert.rejects(store.getMany(["a", "c"]), /c/);
 * assert.deepEqual(await store.getMany(["c"], { raiseOnMissing: false }), [undefined]);
 * ```
 */
export class RaiseOnMissingAdapter<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S> {
  readonly #raise: boolean;

  /**
   * Creates the adapter.
   *
   * @param store The store to read.
   * @param options Whether reads throw on a miss by default.
   * @throws {TypeError} When an option is unknown.
   */
  constructor(store: S, options: RaiseOnMissingAdapterOptions = {}) {
    checkOptions("RaiseOnMissingAdapter", options, ["raiseOnMissing"]);
    super(store);
    this.#raise = options.raiseOnMissing ?? false;
  }

  /** The collection of calls that name none: the store's default collection. */
  get defaultCollection(): string {
    const name = (this.inner as { defaultCollection?: unknown }).defaultCollection;
    return typeof name === "string" && name !== "" ? name : DEFAULT_COLLECTION;
  }

  #split(options: MissingOptions | undefined): [boolean, KeyOptions | undefined] {
    if (typeof options !== "object" || options === null || !("raiseOnMissing" in options)) {
      return [this.#raise, options];
    }
    const { raiseOnMissing, ...rest } = options;
    return [raiseOnMissing ?? this.#raise, rest];
  }

  #missing(operation: string, key: string, options: KeyOptions | undefined): never {
    const collection = options?.collection || undefined;
    throw new MissingKeyError(
      `Cannot ${operation} ${JSON.stringify(key)}${
        collection === undefined ? "" : ` in ${JSON.stringify(collection)}`
      }: the key is missing`,
      { extraInfo: { operation, collection, key } },
    );
  }

  /**
   * Reads one value.
   *
   * @param key The key.
   * @param options The collection, and whether a miss throws.
   * @returns The value (or `undefined` on a miss when not raising).
   * @throws {MissingKeyError} On a miss when raising.
   */
  override get(key: string, options: RaisingOptions): Promise<Value>;
  /** Reads one value; `undefined` on a miss unless raising. */
  override get(key: string, options?: MissingOptions): Promise<Value | undefined>;
  override async get(key: string, options?: MissingOptions): Promise<Value | undefined> {
    const [raise, rest] = this.#split(options);
    const value = await super.get(key, rest);
    if (value === undefined && raise) this.#missing("get", key, rest);
    return value;
  }

  /**
   * Reads many values.
   *
   * @param keys The keys.
   * @param options The collection, and whether a miss throws.
   * @returns The values in the order of `keys`.
   * @throws {MissingKeyError} At the first missing key when raising.
   */
  override getMany(keys: readonly string[], options: RaisingOptions): Promise<Value[]>;
  /** Reads many values; `undefined` for each miss unless raising. */
  override getMany(
    keys: readonly string[],
    options?: MissingOptions,
  ): Promise<(Value | undefined)[]>;
  override async getMany(
    keys: readonly string[],
    options?: MissingOptions,
  ): Promise<(Value | undefined)[]> {
    const [raise, rest] = this.#split(options);
    const values = await super.getMany(keys, rest);
    const at = raise ? values.indexOf(undefined) : -1;
    if (at >= 0) this.#missing("getMany", keys[at]!, rest);
    return values;
  }

  /**
   * Reads a value with its TTL.
   *
   * @param key The key.
   * @param options The collection, and whether a miss throws.
   * @returns `[value, seconds]`.
   * @throws {MissingKeyError} On a miss when raising.
   */
  override ttl(key: string, options: RaisingOptions): Promise<[Value, number | undefined]>;
  /** Reads a value with its TTL; `[undefined, undefined]` on a miss unless raising. */
  override ttl(key: string, options?: MissingOptions): Promise<TtlEntry>;
  override async ttl(key: string, options?: MissingOptions): Promise<TtlEntry> {
    const [raise, rest] = this.#split(options);
    const entry = await super.ttl(key, rest);
    if (entry[0] === undefined && raise) this.#missing("ttl", key, rest);
    return entry;
  }

  /**
   * Reads many values with their TTLs.
   *
   * @param keys The keys.
   * @param options The collection, and whether a miss throws.
   * @returns One `[value, seconds]` per key.
   * @throws {MissingKeyError} At the first missing key when raising.
   */
  override ttlMany(
    keys: readonly string[],
    options: RaisingOptions,
  ): Promise<[Value, number | undefined][]>;
  /** Reads many values with their TTLs; misses stay misses unless raising. */
  override ttlMany(keys: readonly string[], options?: MissingOptions): Promise<TtlEntry[]>;
  override async ttlMany(keys: readonly string[], options?: MissingOptions): Promise<TtlEntry[]> {
    const [raise, rest] = this.#split(options);
    const entries = await super.ttlMany(keys, rest);
    const at = raise ? entries.findIndex((entry) => entry[0] === undefined) : -1;
    if (at >= 0) this.#missing("ttlMany", keys[at]!, rest);
    return entries;
  }
}
