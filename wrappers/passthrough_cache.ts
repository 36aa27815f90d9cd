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

import type { CapabilitiesOf, Capability } from "../core/capabilities.ts";
import { capabilitiesOf } from "../core/capabilities.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { copyValue } from "../core/serialization.ts";
import { validateTtl } from "../core/ttl.ts";
import { BaseWrapper, closeStore } from "./base.ts";
import { checkOptions } from "../core/options.ts";
import {
  checkKey,
  checkKeys,
  checkPut,
  checkPutMany,
  defaultCollectionOf,
  optionalCollection,
} from "./_checks.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;

/** Options of {@linkcode PassthroughCacheWrapper}; TTLs in seconds. */
export interface PassthroughCacheWrapperOptions<K extends AsyncKeyValue = AsyncKeyValue> {
  /** The cache store (usually a bounded `MemoryStore`). */
  cache: K;
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
 * - The collection is resolved once, here: a call that names none uses the
 *   primary's default collection (its `defaultCollection`), and both the
 *   primary and the cache are given that name, so an entry has one cache
 *   copy even when the two stores have different default collections.
 * - Writes store the copy of the value validated at the call; the caller's
 *   object is never read again (the cache is invalidated before the write).
 * - Capabilities: `keys`, `collections`, `cull` and `putIfAbsent` when the
 *   primary has them; `destroyCollection` and `destroy` when both stores
 *   do (both are cleared); the type says the same (`S` is the primary's
 *   type, `K` the cache's). `close()` closes both.
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
export class PassthroughCacheWrapper<
  S extends AsyncKeyValue = AsyncKeyValue,
  K extends AsyncKeyValue = AsyncKeyValue,
> extends BaseWrapper<
  S,
  Exclude<CapabilitiesOf<S>, "destroy" | "destroyCollection"> | CapabilitiesOf<S | K>
> {
  readonly #cache: AsyncKeyValue;
  readonly #default: string;
  readonly #maxTtl: number;
  readonly #missingTtl: number;
  readonly #loads = new Map<string, Load>();

  /**
   * Creates the wrapper.
   *
   * @param primary The store of record.
   * @param options The cache store and its TTL bounds.
   * @throws {TypeError} When `cache` is not a store, or an option is unknown.
   * @throws {InvalidTTLError} When a TTL is not a positive finite number.
   */
  constructor(primary: S, options: PassthroughCacheWrapperOptions<K>) {
    checkOptions("PassthroughCacheWrapper", options, OPTIONS);
    super(primary, capabilitiesFor(primary, options?.cache));
    const cache = options.cache;
    const context = "create PassthroughCacheWrapper";
    this.#cache = cache;
    this.#default = defaultCollectionOf(primary);
    this.#maxTtl = validateTtl(options.maxTtl, context) ?? 1800;
    this.#missingTtl = Math.min(this.#maxTtl, validateTtl(options.missingTtl, context) ?? 1800);
  }

  /** The collection of calls that name none: the primary's default collection. */
  get defaultCollection(): string {
    return this.#default;
  }

  /** Reads one value from the cache, or loads it from the primary. */
  override async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    const [collection, target] = this.#check(key, options, "get");
    const cached = await this.#cache.get(key, target);
    if (cached !== undefined) return cached;
    const [value] = await this.#load(collection, [key], target)[0]!;
    return value === undefined ? undefined : copyValue(value);
  }

  /** Reads many values from the cache, loading the misses in one call. */
  override async getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(Value | undefined)[]> {
    const [collection, target, names] = this.#checkMany(keys, options, "get");
    const values = await this.#cache.getMany(names, target);
    const missing = [...new Set(names.filter((_, i) => values[i] === undefined))];
    if (missing.length === 0) return values;
    const loaded = await Promise.all(this.#load(collection, missing, target));
    const byKey = new Map(missing.map((key, i) => [key, loaded[i]![0]]));
    return values.map((value, i) => {
      if (value !== undefined) return value;
      const fresh = byKey.get(names[i]!);
      return fresh === undefined ? undefined : copyValue(fresh);
    });
  }

  /** Reads a value and its TTL from the primary, filling the cache. */
  override async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    const [collection, target] = this.#check(key, options, "ttl");
    const [value, ttl] = await this.#load(collection, [key], target)[0]!;
    return value === undefined ? [undefined, undefined] : [copyValue(value), ttl];
  }

  /** Reads many values and TTLs from the primary, filling the cache. */
  override async ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    const [collection, target, names] = this.#checkMany(keys, options, "ttl");
    const unique = [...new Set(names)];
    const loaded = await Promise.all(this.#load(collection, unique, target));
    const byKey = new Map(unique.map((key, i) => [key, loaded[i]!]));
    return names.map((key) => {
      const [value, ttl] = byKey.get(key)!;
      return value === undefined ? [undefined, undefined] : [copyValue(value), ttl];
    });
  }

  /** Writes the primary (the copy of the value taken at the call) and invalidates the cache. */
  override async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const call = checkPut(key, value, options, this.context("put"));
    const [collection, target] = this.#resolve(call.options);
    await this.#invalidating(collection, [key], () => this.inner.put(key, call.value, target));
  }

  /** Writes many values to the primary and invalidates the cache. */
  override async putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const call = checkPutMany(keys, values, options, this.context("put"));
    const [collection, target] = this.#resolve(call.options);
    await this.#invalidating(
      collection,
      call.keys,
      () => this.inner.putMany(call.keys, call.values, target),
    );
  }

  /** Deletes from the primary and invalidates the cache. */
  override async delete(key: string, options?: KeyOptions): Promise<boolean> {
    const [collection, target] = this.#check(key, options, "delete");
    return await this.#invalidating(collection, [key], () => this.inner.delete(key, target));
  }

  /** Deletes many keys from the primary and invalidates the cache. */
  override async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    const [collection, target, names] = this.#checkMany(keys, options, "delete");
    return await this.#invalidating(
      collection,
      names,
      () => this.inner.deleteMany(names, target),
    );
  }

  /** Closes both stores. */
  override async close(): Promise<void> {
    await Promise.all([closeStore(this.inner), closeStore(this.#cache)]);
  }

  /** Backs `destroyCollection()`: clears the collection in both stores. */
  protected override async doDestroyCollection(collection: string): Promise<boolean> {
    const name = collection === "" ? this.#default : collection;
    this.#staleAll();
    const result = await super.doDestroyCollection(name);
    await (this.#cache as Loose).destroyCollection(name);
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
    const call = checkPut(key, value, options, this.context("put"));
    const [collection, target] = this.#resolve(call.options);
    return await this.#invalidating(
      collection,
      [key],
      () => super.doPutIfAbsent(key, call.value, target),
    );
  }

  /** The collection of a checked call, and the options both stores get: a copy naming it. */
  #resolve<T extends KeyOptions>(options: T | undefined): [string, T] {
    const named = options?.collection;
    const collection = typeof named === "string" && named !== "" ? named : this.#default;
    return [collection, { ...options, collection } as T];
  }

  #check(
    key: string,
    options: KeyOptions | undefined,
    op: "get" | "ttl" | "delete",
  ): [string, KeyOptions] {
    const context = this.context(op);
    checkKey(key, context);
    optionalCollection(options, context);
    return this.#resolve(options);
  }

  #checkMany(
    keys: readonly string[],
    options: KeyOptions | undefined,
    op: "get" | "ttl" | "delete",
  ): [string, KeyOptions, string[]] {
    const context = this.context(op);
    const names = Array.isArray(keys) ? [...keys] : keys;
    checkKeys(names, context);
    optionalCollection(options, context);
    return [...this.#resolve(options), names];
  }

  /**
   * The loads of `keys` (distinct), joining those in flight; the others are
   * read from the primary in one call and cached unless a write overlapped.
   */
  #load(collection: string, keys: readonly string[], target: KeyOptions): Promise<TtlEntry>[] {
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
          ? [await this.inner.ttl(fresh[0]!, target)]
          : await this.inner.ttlMany(fresh, target);
        await Promise.all(
          entries.map((entry, i) =>
            freshLoads[i]!.stale ? undefined : this.#fill(fresh[i]!, entry, startedAt, collection)
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
    collection: string,
  ): Promise<void> {
    if (value === undefined) return;
    let seconds = this.#missingTtl;
    if (ttl !== undefined) {
      // The primary measured `ttl` after `startedAt`, so this deadline is never later than its own.
      const left = (startedAt + ttl * 1000 - Date.now()) / 1000;
      if (!(left > 0)) return;
      seconds = Math.min(left, this.#maxTtl);
    }
    await this.#cache.put(key, value, { collection, ttl: seconds });
  }

  async #invalidating<T>(
    collection: string,
    keys: readonly string[],
    write: () => Promise<T>,
  ): Promise<T> {
    const target = { collection };
    this.#stale(collection, keys);
    await this.#cache.deleteMany(keys, target);
    try {
      return await write();
    } finally {
      this.#stale(collection, keys);
      await this.#cache.deleteMany(keys, target);
    }
  }

  #stale(collection: string, keys: readonly string[]): void {
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

const OPTIONS = ["cache", "maxTtl", "missingTtl"];

/** The id of a (collection, key) pair; the length prefix keeps it injective whatever the names hold. */
function loadId(collection: string, key: string): string {
  return `${collection.length}:${collection}${key}`;
}

function capabilitiesFor(primary: AsyncKeyValue, cache: AsyncKeyValue | undefined): Capability[] {
  if (typeof cache !== "object" || cache === null || typeof cache.get !== "function") {
    throw new TypeError("Cannot create PassthroughCacheWrapper: cache must be an AsyncKeyValue");
  }
  const both: readonly Capability[] = ["destroyCollection", "destroy"];
  const cached = capabilitiesOf(cache);
  return capabilitiesOf(primary).filter((name) => !both.includes(name) || cached.includes(name));
}
