// This module is browser compatible.
/**
 * {@linkcode PassthroughCacheWrapper}: a read-through cache in front of a store.
 *
 * @example Usage
 * ```ts
 * import { PassthroughCacheWrapper } from "@kv/core/wrappers/passthrough-cache";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const database = new MemoryStore(); // a remote store in real use
 * const cache = new MemoryStore({ maxEntriesPerCollection: 10_000 });
 * const store = new PassthroughCacheWrapper(database, { cache, maxTtl: 60 });
 * await store.put("user:1", { name: "Ada" });
 * assert.deepEqual(await store.get("user:1"), { name: "Ada" }); // loaded, now cached
 * assert.deepEqual(await cache.get("user:1"), { name: "Ada" });
 * ```
 *
 * @module
 */

import type { Capability } from "../core/capabilities.ts";
import { capabilitiesOf } from "../core/capabilities.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { copyValue } from "../core/serialization.ts";
import { validateTtl } from "../core/ttl.ts";
import { BaseWrapper, closeStore } from "./base.ts";
import { checkKey, checkKeys, checkPut, checkPutMany, optionalCollection } from "./_checks.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;

/** Options of {@linkcode PassthroughCacheWrapper}; TTLs in seconds. */
export interface PassthroughCacheWrapperOptions {
  /** The cache store (usually a bounded `MemoryStore`). */
  cache: AsyncKeyValue;
  /** The longest an entry stays cached. @default {1800} */
  maxTtl?: number;
  /** How long an entry without expiry stays cached (at most `maxTtl`). @default {1800} */
  missingTtl?: number;
}

interface Load {
  promise: Promise<TtlEntry>;
  stale: boolean;
}

/**
 * Reads through a cache: `get` and `getMany` answer from the cache, and on
 * a miss load the entry from the primary store (the first argument) with
 * its remaining TTL and cache it for that long, at most `maxTtl` (entries
 * without expiry: `missingTtl`), so a cached entry never outlives the
 * primary's.
 *
 * - Concurrent misses for one key load it from the primary once; each
 *   caller gets its own copy. `getMany` loads all its misses in one
 *   `ttlMany` call.
 * - An empty object `{}` is a value like any other, not a miss.
 * - `put`, `putMany`, `delete`, `deleteMany` and `putIfAbsent` write the
 *   primary and invalidate the cache before and after the write, and a load
 *   that overlaps a write never caches what it read, so the cache cannot
 *   keep a stale value.
 * - `ttl` and `ttlMany` answer from the primary (the cache's own expiry is
 *   not the entry's), sharing loads with concurrent reads and filling the
 *   cache.
 * - Capabilities: `keys`, `collections`, `cull` and `putIfAbsent` when the
 *   primary has them; `destroyCollection` and `destroy` when both stores
 *   do (both are cleared). `close()` closes both.
 * - Errors of either store propagate.
 *
 * @example An empty object is cached too
 * ```ts
 * import { PassthroughCacheWrapper } from "@kv/core/wrappers/passthrough-cache";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const cache = new MemoryStore();
 * const store = new PassthroughCacheWrapper(new MemoryStore(), { cache });
 * await store.put("flags", {});
 * assert.deepEqual(await store.get("flags"), {});
 * assert.deepEqual(await cache.get("flags"), {});
 * ```
 */
export class PassthroughCacheWrapper extends BaseWrapper {
  readonly #cache: AsyncKeyValue;
  readonly #maxTtl: number;
  readonly #missingTtl: number;
  readonly #loads = new Map<string, Load>();

  /**
   * Creates the wrapper.
   *
   * @param primary The store of record.
   * @param options The cache store and its TTL bounds.
   * @throws {TypeError} When `cache` is not a store.
   * @throws {InvalidTTLError} When a TTL is not a positive finite number.
   */
  constructor(primary: AsyncKeyValue, options: PassthroughCacheWrapperOptions) {
    super(primary, capabilitiesFor(primary, options?.cache));
    const cache = options.cache;
    const context = "create PassthroughCacheWrapper";
    this.#cache = cache;
    this.#maxTtl = validateTtl(options.maxTtl, context) ?? 1800;
    this.#missingTtl = Math.min(this.#maxTtl, validateTtl(options.missingTtl, context) ?? 1800);
  }

  /** Reads one value from the cache, or loads it from the primary. */
  override async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    const collection = this.#check(key, options, "get");
    const cached = await this.#cache.get(key, options);
    if (cached !== undefined) return cached;
    const [value] = await this.#load(collection, [key], options)[0]!;
    return value === undefined ? undefined : copyValue(value);
  }

  /** Reads many values from the cache, loading the misses in one call. */
  override async getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(Value | undefined)[]> {
    const collection = this.#checkMany(keys, options, "get");
    const values = await this.#cache.getMany(keys, options);
    const missing = [...new Set(keys.filter((_, i) => values[i] === undefined))];
    if (missing.length === 0) return values;
    const loaded = await Promise.all(this.#load(collection, missing, options));
    const byKey = new Map(missing.map((key, i) => [key, loaded[i]![0]]));
    return values.map((value, i) => {
      if (value !== undefined) return value;
      const fresh = byKey.get(keys[i]!);
      return fresh === undefined ? undefined : copyValue(fresh);
    });
  }

  /** Reads a value and its TTL from the primary, filling the cache. */
  override async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    const collection = this.#check(key, options, "ttl");
    const [value, ttl] = await this.#load(collection, [key], options)[0]!;
    return value === undefined ? [undefined, undefined] : [copyValue(value), ttl];
  }

  /** Reads many values and TTLs from the primary, filling the cache. */
  override async ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    const collection = this.#checkMany(keys, options, "ttl");
    const unique = [...new Set(keys)];
    const loaded = await Promise.all(this.#load(collection, unique, options));
    const byKey = new Map(unique.map((key, i) => [key, loaded[i]!]));
    return keys.map((key) => {
      const [value, ttl] = byKey.get(key)!;
      return value === undefined ? [undefined, undefined] : [copyValue(value), ttl];
    });
  }

  /** Writes the primary and invalidates the cache. */
  override async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const collection = checkPut(key, value, options, this.context("put"));
    await this.#invalidating(collection, [key], options, () => this.inner.put(key, value, options));
  }

  /** Writes many values to the primary and invalidates the cache. */
  override async putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const collection = checkPutMany(keys, values, options, this.context("put"));
    await this.#invalidating(
      collection,
      keys,
      options,
      () => this.inner.putMany(keys, values, options),
    );
  }

  /** Deletes from the primary and invalidates the cache. */
  override async delete(key: string, options?: KeyOptions): Promise<boolean> {
    const collection = this.#check(key, options, "delete");
    return await this.#invalidating(
      collection,
      [key],
      options,
      () => this.inner.delete(key, options),
    );
  }

  /** Deletes many keys from the primary and invalidates the cache. */
  override async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    const collection = this.#checkMany(keys, options, "delete");
    return await this.#invalidating(
      collection,
      keys,
      options,
      () => this.inner.deleteMany(keys, options),
    );
  }

  /** Closes both stores. */
  override async close(): Promise<void> {
    await Promise.all([closeStore(this.inner), closeStore(this.#cache)]);
  }

  /** Backs `destroyCollection()`: clears the collection in both stores. */
  protected override async doDestroyCollection(collection: string): Promise<boolean> {
    this.#staleAll();
    const result = await super.doDestroyCollection(collection);
    await (this.#cache as Loose).destroyCollection(collection);
    return result;
  }

  /** Backs `destroy()`: clears both stores. */
  protected override async doDestroy(): Promise<boolean> {
    this.#staleAll();
    const result = await super.doDestroy();
    await (this.#cache as Loose).destroy();
    return result;
  }

  /** Backs `cull()`: culls the primary (and the cache, when it can). */
  protected override async doCull(): Promise<number> {
    const removed = await super.doCull();
    if (typeof (this.#cache as Loose).cull === "function") await (this.#cache as Loose).cull();
    return removed;
  }

  /** Backs `putIfAbsent()`: the primary's, invalidating the cache. */
  protected override async doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    const collection = checkPut(key, value, options, this.context("put"));
    return await this.#invalidating(
      collection,
      [key],
      options,
      () => super.doPutIfAbsent(key, value, options),
    );
  }

  #check(key: string, options: KeyOptions | undefined, op: "get" | "ttl" | "delete") {
    const context = this.context(op);
    checkKey(key, context);
    return optionalCollection(options, context);
  }

  #checkMany(
    keys: readonly string[],
    options: KeyOptions | undefined,
    op: "get" | "ttl" | "delete",
  ) {
    const context = this.context(op);
    checkKeys(keys, context);
    return optionalCollection(options, context);
  }

  /**
   * The loads of `keys` (distinct), joining those in flight; the others are
   * read from the primary in one call and cached unless a write overlapped.
   */
  #load(
    collection: string | undefined,
    keys: readonly string[],
    options: KeyOptions | undefined,
  ): Promise<TtlEntry>[] {
    const fresh: string[] = [];
    const freshLoads: Load[] = [];
    const loads = keys.map((key) => {
      const id = loadId(collection, key);
      const running = this.#loads.get(id);
      if (running) return running;
      const load: Load = { promise: undefined as unknown as Promise<TtlEntry>, stale: false };
      this.#loads.set(id, load);
      fresh.push(key);
      freshLoads.push(load);
      return load;
    });
    if (fresh.length > 0) {
      const startedAt = Date.now();
      const batch = (async () => {
        const entries = fresh.length === 1
          ? [await this.inner.ttl(fresh[0]!, options)]
          : await this.inner.ttlMany(fresh, options);
        await Promise.all(
          entries.map((entry, i) =>
            freshLoads[i]!.stale ? undefined : this.#fill(fresh[i]!, entry, startedAt, options)
          ),
        );
        return entries;
      })();
      freshLoads.forEach((load, i) => load.promise = batch.then((entries) => entries[i]!));
      const done = () => {
        fresh.forEach((key, i) => {
          const id = loadId(collection, key);
          if (this.#loads.get(id) === freshLoads[i]) this.#loads.delete(id);
        });
      };
      batch.then(done, done);
    }
    return loads.map((load) => load.promise);
  }

  async #fill(
    key: string,
    [value, ttl]: TtlEntry,
    startedAt: number,
    options: KeyOptions | undefined,
  ): Promise<void> {
    if (value === undefined) return;
    let seconds = this.#missingTtl;
    if (ttl !== undefined) {
      // The primary measured `ttl` after `startedAt`, so this deadline is never later than its own.
      const left = (startedAt + ttl * 1000 - Date.now()) / 1000;
      if (!(left > 0)) return;
      seconds = Math.min(left, this.#maxTtl);
    }
    await this.#cache.put(key, value, { collection: options?.collection, ttl: seconds });
  }

  async #invalidating<T>(
    collection: string | undefined,
    keys: readonly string[],
    options: KeyOptions | undefined,
    write: () => Promise<T>,
  ): Promise<T> {
    const target = { collection: options?.collection };
    this.#stale(collection, keys);
    await this.#cache.deleteMany(keys, target);
    try {
      return await write();
    } finally {
      this.#stale(collection, keys);
      await this.#cache.deleteMany(keys, target);
    }
  }

  #stale(collection: string | undefined, keys: readonly string[]): void {
    if (this.#loads.size === 0) return;
    for (const key of keys) {
      const id = loadId(collection, key);
      const load = this.#loads.get(id);
      if (load) {
        load.stale = true;
        this.#loads.delete(id);
      }
    }
  }

  #staleAll(): void {
    for (const load of this.#loads.values()) load.stale = true;
    this.#loads.clear();
  }
}

function loadId(collection: string | undefined, key: string): string {
  return collection === undefined ? `\u0000${key}` : `${collection}\u0000${key}`;
}

function capabilitiesFor(primary: AsyncKeyValue, cache: AsyncKeyValue | undefined): Capability[] {
  if (typeof cache !== "object" || cache === null || typeof cache.get !== "function") {
    throw new TypeError("Cannot create PassthroughCacheWrapper: cache must be an AsyncKeyValue");
  }
  const both: readonly Capability[] = ["destroyCollection", "destroy"];
  const cached = capabilitiesOf(cache);
  return capabilitiesOf(primary).filter((name) => !both.includes(name) || cached.includes(name));
}
