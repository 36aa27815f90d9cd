// This module is browser compatible.
/**
 * {@linkcode StatisticsWrapper}: counts operations, hits and misses per collection.
 *
 * @example Usage
 * ```ts
 * import { StatisticsWrapper } from "@kv/core/wrappers/statistics";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new StatisticsWrapper(new MemoryStore());
 * await store.put("k", { n: 1 });
 * await store.getMany(["k", "missing"]);
 * const stats = store.statistics.collections.default_collection!;
 * assert.deepEqual(stats.get, { count: 2, hits: 1, misses: 1 });
 * ```
 *
 * @module
 */

import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { BaseWrapper } from "./base.ts";
import { defaultCollectionOf, settle } from "./_checks.ts";
import { checkOptions } from "../core/options.ts";

/** Options of {@linkcode StatisticsWrapper}: none yet (an unknown one is a `TypeError`). */
export type StatisticsWrapperOptions = Record<string, never>;

/** Counts of a read-like operation. */
export interface HitStatistics {
  /** Keys asked for. */
  count: number;
  /** Keys found (for deletes: deleted). */
  hits: number;
  /** Keys not found. */
  misses: number;
}

/** The counters of one collection. */
export interface CollectionStatistics {
  /** `get` and `getMany`, per key. */
  get: HitStatistics;
  /** `ttl` and `ttlMany`, per key. */
  ttl: HitStatistics;
  /** `put`, `putMany` (per key) and `putIfAbsent` calls that stored. */
  put: { count: number };
  /** `delete` and `deleteMany`, per key. */
  delete: HitStatistics;
}

/** A snapshot of a {@linkcode StatisticsWrapper}'s counters. */
export interface StoreStatistics {
  /** Counters by collection name. */
  collections: Record<string, CollectionStatistics>;
}

function empty(): CollectionStatistics {
  return {
    get: { count: 0, hits: 0, misses: 0 },
    ttl: { count: 0, hits: 0, misses: 0 },
    put: { count: 0 },
    delete: { count: 0, hits: 0, misses: 0 },
  };
}

/**
 * Counts every operation per collection: gets, TTL reads and deletes with
 * their hits and misses, and puts. Calls pass through unchanged — in
 * particular a call without a collection still goes to the inner store
 * without one, so the inner store's own default collection applies (it is
 * counted under the inner store's `defaultCollection`, or
 * `"default_collection"`). A failed call is not counted. Capabilities pass
 * through.
 *
 * @example Resetting
 * ```ts
 * import { StatisticsWrapper } from "@kv/core/wrappers/statistics";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new StatisticsWrapper(new MemoryStore());
 * await store.get("k", { collection: "users" });
 * assert.equal(store.statistics.collections.users!.get.misses, 1);
 * store.reset();
 * assert.deepEqual(store.statistics.collections, {});
 * ```
 */
export class StatisticsWrapper<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S> {
  #collections = new Map<string, CollectionStatistics>();
  readonly #default: string;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options None yet: any option is a `TypeError`.
   * @throws {TypeError} When `options` names an option.
   */
  constructor(inner: S, options: StatisticsWrapperOptions = {}) {
    checkOptions("StatisticsWrapper", options, []);
    super(inner);
    this.#default = defaultCollectionOf(inner);
  }

  /** A snapshot of the counters (a copy; later calls do not change it). */
  get statistics(): StoreStatistics {
    return { collections: structuredClone(Object.fromEntries(this.#collections)) };
  }

  /** Sets every counter back to zero. */
  reset(): void {
    this.#collections = new Map();
  }

  #of(options: KeyOptions | undefined): CollectionStatistics {
    const collection = options?.collection || this.#default;
    let stats = this.#collections.get(collection);
    if (!stats) this.#collections.set(collection, stats = empty());
    return stats;
  }

  // Each method counts in one `.then` on the inner promise (no async
  // function: one promise layer, not two); a synchronous throw of the inner
  // store still becomes a rejection, as it did.

  /** Counts a `get`'s hit or miss (BaseWrapper's `get` calls it on either read path). */
  protected override readResult(
    value: Value | undefined,
    options: KeyOptions | undefined,
  ): Value | undefined {
    count(this.#of(options).get, 1, value === undefined ? 0 : 1);
    return value;
  }

  /** Reads many values, counting hits and misses. */
  override getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(Value | undefined)[]> {
    return settle(() => super.getMany(keys, options)).then((values) => {
      count(this.#of(options).get, values.length, values.filter((v) => v !== undefined).length);
      return values;
    });
  }

  /** Reads a value and its TTL, counting a hit or a miss. */
  override ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    return settle(() => super.ttl(key, options)).then((entry) => {
      count(this.#of(options).ttl, 1, entry[0] === undefined ? 0 : 1);
      return entry;
    });
  }

  /** Reads many values and TTLs, counting hits and misses. */
  override ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    return settle(() => super.ttlMany(keys, options)).then((entries) => {
      count(
        this.#of(options).ttl,
        entries.length,
        entries.filter((e) => e[0] !== undefined).length,
      );
      return entries;
    });
  }

  /** Stores a value, counting it. */
  override put(key: string, value: Value, options?: PutOptions): Promise<void> {
    let result: Promise<void>;
    try {
      result = this.inner.put(key, value, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return result.then(() => {
      this.#of(options).put.count++;
    });
  }

  /** Stores many values, counting each. */
  override putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    return settle(() => super.putMany(keys, values, options)).then(() => {
      this.#of(options).put.count += keys.length;
    });
  }

  /** Deletes a key, counting a hit (deleted) or a miss. */
  override delete(key: string, options?: KeyOptions): Promise<boolean> {
    return settle(() => super.delete(key, options)).then((deleted) => {
      count(this.#of(options).delete, 1, deleted ? 1 : 0);
      return deleted;
    });
  }

  /** Deletes many keys, counting hits (deleted) and misses. */
  override deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    return settle(() => super.deleteMany(keys, options)).then((deleted) => {
      count(this.#of(options).delete, keys.length, deleted);
      return deleted;
    });
  }

  /** Backs `putIfAbsent()`, counting a put when it stored. */
  protected override doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    return settle(() => super.doPutIfAbsent(key, value, options)).then((stored) => {
      if (stored) this.#of(options).put.count++;
      return stored;
    });
  }
}

function count(stats: HitStatistics, total: number, hits: number): void {
  stats.count += total;
  stats.hits += hits;
  stats.misses += total - hits;
}
