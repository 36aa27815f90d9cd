// This module is browser compatible.
/**
 * The base class of every store.
 *
 * It implements the protocol once: it validates the key, collection, value
 * and TTL of every call before the backend is touched (a batch is validated
 * whole), resolves the default collection, runs setup lazily and once (with
 * a second, per-collection step for backends that need one), filters
 * expired entries on every read, and gives batch operations defaults that a
 * store overrides when its backend can do better. A store implements three
 * hooks: {@linkcode BaseStore.prototype.getEntry}, `putEntry` and
 * `deleteEntry`; a store that can read without waiting also implements
 * `getEntryNow`, and then `get` (and the `get` of wrappers stacked on the
 * store) answers with one resolved promise, as long as `get` and
 * `getEntry` are still the class's own at the call.
 *
 * Hooks receive a private copy of the caller's value, validated and copied
 * synchronously when the call was made: a store may keep it or serialize it
 * (with `JSON.stringify`, which cannot meet a `toJSON` on a validated copy),
 * and must return a fresh value on every read. Time comes from the `clock`
 * option; unknown options are a `TypeError` (a subclass names its own
 * options in the second constructor argument).
 *
 * @example Writing a store
 * ```ts
 * import { BaseStore } from "@kv/core/core/base-store";
 * import type { Entry } from "@kv/core/core/envelope";
 * import { dumpEnvelope, loadEnvelope } from "@kv/core/core/envelope";
 * import assert from "node:assert/strict";
 *
 * class TextStore extends BaseStore {
 *   readonly rows = new Map<string, string>();
 *   protected getEntry(collection: string, key: string): Promise<Entry | undefined> {
 *     const text = this.rows.get(`${collection}::${key}`);
 *     return Promise.resolve(text === undefined ? undefined : loadEnvelope(text));
 *   }
 *   protected putEntry(collection: string, key: string, entry: Entry): Promise<void> {
 *     this.rows.set(`${collection}::${key}`, dumpEnvelope(entry, key, collection));
 *     return Promise.resolve();
 *   }
 *   protected deleteEntry(collection: string, key: string): Promise<boolean> {
 *     return Promise.resolve(this.rows.delete(`${collection}::${key}`));
 *   }
 * }
 *
 * const store = new TextStore();
 * await store.put("k", { a: 1 }, { ttl: 60 });
 * assert.deepEqual(await store.get("k"), { a: 1 });
 * assert.ok(store.rows.has("default_collection::k"));
 * ```
 *
 * @module
 */

import type { Entry } from "./envelope.ts";
import {
  checkCollectionName,
  checkKey,
  checkKeys,
  checkLimit,
  resolveCollectionName,
} from "./_validate.ts";
import { copySeed, SetupGate } from "./_setup_gate.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "./protocol.ts";
import { DEFAULT_COLLECTION } from "./protocol.ts";
import type { SanitizationStrategy } from "./sanitization.ts";
import { checkClock, type Clock } from "./clock.ts";
import { checkOptions } from "./options.ts";
import { installCapabilities } from "./_store_capabilities.ts";
import { copyValue, validatedCopy } from "./serialization.ts";
import { expiresAtFor, validateTtl } from "./ttl.ts";
import { answersNow, exposeSyncRead, LATER, type ReadNow } from "./_read_now.ts";

/** Seed data: `{ collection: { key: value } }`, written once at setup. */
export type Seed = Record<string, Record<string, Value>>;

/** Options every store accepts. */
export interface BaseStoreOptions {
  /** The collection used when a call names none. @default {"default_collection"} */
  defaultCollection?: string;
  /** Entries written (without TTL) when the store first sets up. */
  seed?: Seed;
  /** Maps keys to backend names (see `core/sanitization.ts`). */
  keySanitizationStrategy?: SanitizationStrategy;
  /** Maps collections to backend names (see `core/sanitization.ts`). */
  collectionSanitizationStrategy?: SanitizationStrategy;
  /** Where the store reads the time for TTL deadlines. @default {the system clock} */
  clock?: Clock;
}

/** The names of {@linkcode BaseStoreOptions}, which every store accepts. */
export const BASE_STORE_OPTIONS: readonly string[] = Object.freeze([
  "defaultCollection",
  "seed",
  "keySanitizationStrategy",
  "collectionSanitizationStrategy",
  "clock",
]);

/** The operations named in error messages. */
export type StoreOperation = "get" | "put" | "delete" | "ttl" | "keys" | "collections" | "destroy";
const VERBS: Record<StoreOperation, string> = {
  get: "get from",
  put: "put into",
  delete: "delete from",
  ttl: "read ttl from",
  keys: "list keys of",
  collections: "list collections of",
  destroy: "destroy data of",
};

/** The abstract base of every store; see the module documentation. */
export abstract class BaseStore implements AsyncKeyValue {
  /** The collection used when a call names none. */
  readonly defaultCollection: string;
  /** The key strategy, if any. */
  protected readonly keySanitizationStrategy: SanitizationStrategy | undefined;
  /** The collection strategy, if any. */
  protected readonly collectionSanitizationStrategy: SanitizationStrategy | undefined;
  /** The store's clock: TTL deadlines are computed from and compared with `clock.now()`. */
  protected readonly clock: Clock;
  readonly #seed: Seed | undefined;
  readonly #context: Record<StoreOperation, string>;
  readonly #gate: SetupGate;
  /** The `getEntry` that `getEntryNow` mirrors, when the class implements it. */
  readonly #entryNow: unknown;

  /**
   * Creates the instance.
   *
   * @param options The store's options, the shared ones included.
   * @param ownOptions The names of the options the subclass adds: any other
   *   name outside {@linkcode BASE_STORE_OPTIONS} is a TypeError.
   */
  constructor(options: BaseStoreOptions = {}, ownOptions?: readonly string[]) {
    const name = new.target.name;
    if (ownOptions !== undefined) {
      checkOptions(name, options, [...BASE_STORE_OPTIONS, ...ownOptions]);
    }
    this.clock = checkClock(options.clock, name);
    const defaultCollection = options.defaultCollection ?? DEFAULT_COLLECTION;
    if (typeof defaultCollection !== "string" || defaultCollection === "") {
      throw new TypeError(`Cannot create ${name}: defaultCollection must be a non-empty string`);
    }
    checkCollectionName(defaultCollection, `create ${name}`);
    this.defaultCollection = defaultCollection;
    this.keySanitizationStrategy = options.keySanitizationStrategy;
    this.collectionSanitizationStrategy = options.collectionSanitizationStrategy;
    this.#context = {} as Record<StoreOperation, string>;
    for (const op of Object.keys(VERBS) as StoreOperation[]) {
      this.#context[op] = `${VERBS[op]} ${name}`;
    }
    this.#seed = options.seed === undefined ? undefined : copySeed(options.seed, name);
    this.#gate = new SetupGate(
      name,
      () => this.#setupAll(),
      (collection) => this.setupCollection(collection),
      () => this.setupCollection !== BaseStore.prototype.setupCollection,
    );
    installCapabilities(this, {
      context: (operation) => this.#context[operation],
      resolveCollection: (options, operation) => this.resolveCollection(options, operation),
      resolve: (key, options, operation) => this.resolve(key, options, operation),
      checkLimit: (limit, operation) => this.checkLimit(limit, operation),
      prepare: (collection) => this.prepare(collection),
      ensureSetup: () => this.ensureSetup(),
      makeEntry: (value, ttl) => this.makeEntry(value, ttl),
      restamp: (entry, ttl) => this.restamp(entry, ttl),
    });
    this.#entryNow = mirroredGetEntry(new.target.prototype);
    if (this.#entryNow !== undefined) exposeSyncRead(this, new.target.prototype, this.#readNow);
  }

  // ---------------------------------------------------------------- hooks

  // The capability hooks: a store implements those its backend can do, and
  // the constructor installs the public method of each (keys(), ...), with
  // its argument checks and setup, on the prototype that implements the
  // hook, so the hook receives resolved names. A store declares the public
  // types by merging an interface with its class
  // (`export interface MemoryStore extends EnumerateKeys, ... {}`).

  /** Backs `keys()`: the live keys of `collection`, at most `limit` (all when undefined). */
  protected listKeys?(collection: string, limit: number | undefined): Promise<string[]>;
  /** Backs `collections()`: the names of collections holding live entries, at most `limit`. */
  protected listCollections?(limit: number | undefined): Promise<string[]>;
  /** Backs `destroyCollection()`: deletes one collection's entries; `true` if it held any. */
  protected dropCollection?(collection: string): Promise<boolean>;
  /** Backs `destroy()`: deletes every entry this store wrote, and nothing else. */
  protected dropAll?(): Promise<boolean>;
  /** Backs `cull()`: removes expired entries; how many. */
  protected removeExpired?(): Promise<number>;
  /** Backs `putIfAbsent()`: writes `entry` only if no live entry exists, atomically. */
  protected putEntryIfAbsent?(collection: string, key: string, entry: Entry): Promise<boolean>;

  /** Reads one entry (expired or not; the base filters expiry). */
  protected abstract getEntry(collection: string, key: string): Promise<Entry | undefined>;
  /** Writes one entry. */
  protected abstract putEntry(collection: string, key: string, entry: Entry): Promise<void>;
  /** Deletes one entry; `true` if it existed. */
  protected abstract deleteEntry(collection: string, key: string): Promise<boolean>;

  /**
   * Reads one entry at once, exactly as `getEntry` would resolve it (expired
   * or not; `now` is the clock reading the base then compares `expiresAt`
   * with, for a store that drops expired entries as it reads). Optional: a
   * store that can read without waiting implements it, and then its `get`,
   * and the `get` of wrappers stacked on it, answer with one resolved
   * promise. It is used only while the instance's `getEntry` is the one of
   * the class that implements it, so a subclass (or an instance) that
   * replaces `getEntry` is always called.
   */
  protected getEntryNow?(collection: string, key: string, now: number): Entry | undefined;

  /** Reads many entries; by default, in parallel through `getEntry`. */
  protected getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    return Promise.all(keys.map((key) => this.getEntry(collection, key)));
  }

  /** Writes many entries; by default, one after another through `putEntry`. */
  protected async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    for (let i = 0; i < keys.length; i++) await this.putEntry(collection, keys[i]!, entries[i]!);
  }

  /** Deletes many entries; by default, one after another through `deleteEntry`. */
  protected async deleteEntries(collection: string, keys: readonly string[]): Promise<number> {
    let count = 0;
    for (const key of keys) if (await this.deleteEntry(collection, key)) count++;
    return count;
  }

  /** One-time setup (connect, create tables); runs before the first operation. */
  protected setupStore(): Promise<void> | void {}

  /**
   * Per-collection setup (create an index or table); runs once per
   * collection before its first operation. Only stores that override it pay
   * for the bookkeeping.
   */
  protected setupCollection(_collection: string): Promise<void> | void {}

  // -------------------------------------------------------------- protocol

  // get() and put() are not `async`: on a fast store the async wrapper's
  // promise and ticks cost a third of a call, so they hand back the hook's
  // promise and turn a synchronous throw into a rejection themselves.

  /** Reads one value, or `undefined` when missing or expired. */
  get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    try {
      const collection = this.resolve(key, options, "get");
      const pending = this.prepare(collection);
      if (pending === undefined && this.getEntry === this.#entryNow) {
        return Promise.resolve(this.#liveNow(collection, key));
      }
      const live = (entry: Entry | undefined) => liveValue(entry, this.clock.now());
      return pending
        ? pending.then(() => this.getEntry(collection, key)).then(live)
        : this.getEntry(collection, key).then(live);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** What `get` does, synchronously (core/_read_now.ts); `LATER` while it must wait. */
  readonly #readNow: ReadNow = (key, options) => {
    const collection = this.resolve(key, options, "get");
    if (this.prepare(collection) !== undefined || this.getEntry !== this.#entryNow) return LATER;
    return this.#liveNow(collection, key);
  };

  #liveNow(collection: string, key: string): Value | undefined {
    const now = this.clock.now();
    return liveValue(this.getEntryNow!(collection, key, now), now);
  }

  /** Reads many values, in the order of `keys`. */
  async getMany(keys: readonly string[], options?: KeyOptions): Promise<(Value | undefined)[]> {
    const collection = this.resolveMany(keys, options, "get");
    keys = keys.slice(); // the batch as it was at the call
    const pending = this.prepare(collection);
    if (pending) await pending;
    const entries = await this.getEntries(collection, keys);
    const now = this.clock.now();
    return entries.map((entry) => liveValue(entry, now));
  }

  /** Reads a value with its remaining TTL in seconds. */
  async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    const collection = this.resolve(key, options, "ttl");
    const pending = this.prepare(collection);
    if (pending) await pending;
    const entry = await this.getEntry(collection, key);
    return toTtlEntry(entry, this.clock.now());
  }

  /** Reads many values with their remaining TTLs, in the order of `keys`. */
  async ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    const collection = this.resolveMany(keys, options, "ttl");
    keys = keys.slice(); // the batch as it was at the call
    const pending = this.prepare(collection);
    if (pending) await pending;
    const entries = await this.getEntries(collection, keys);
    const now = this.clock.now();
    return entries.map((entry) => toTtlEntry(entry, now));
  }

  /** Stores a value, replacing any previous one. */
  put(key: string, value: Value, options?: PutOptions): Promise<void> {
    try {
      const collection = this.resolve(key, options, "put");
      const entry = this.makeEntry(value, options?.ttl);
      const pending = this.prepare(collection);
      if (!pending) return this.putEntry(collection, key, entry);
      // The TTL counts from the write, not from before a slow first setup;
      // the value is the copy taken at the call, never the caller's object.
      return pending.then(() => this.putEntry(collection, key, this.restamp(entry, options?.ttl)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Stores many values with one TTL for the whole batch. */
  async putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const collection = this.resolveMany(keys, options, "put");
    keys = keys.slice(); // the batch as it was at the call
    const context = this.#context.put;
    if (!Array.isArray(values)) throw new TypeError(`Cannot ${context}: values must be an array`);
    if (values.length !== keys.length) {
      throw new RangeError(
        `Cannot ${context}: got ${keys.length} keys but ${values.length} values`,
      );
    }
    const accepted = values.map((value) => this.acceptValue(value, context));
    const ttl = validateTtl(options?.ttl, context);
    expiresAtFor(ttl, this.clock.now(), context); // refuses a TTL past the largest date before setup
    const pending = this.prepare(collection);
    if (pending) await pending;
    // The TTL counts from the write, not from before a slow first setup.
    const createdAt = this.clock.now();
    const expiresAt = expiresAtFor(ttl, createdAt, context);
    const entries = accepted.map((value): Entry => ({ value, createdAt, expiresAt }));
    await this.putEntries(collection, keys, entries);
  }

  /** Deletes a key; `true` only if something was deleted. */
  async delete(key: string, options?: KeyOptions): Promise<boolean> {
    const collection = this.resolve(key, options, "delete");
    const pending = this.prepare(collection);
    if (pending) await pending;
    return await this.deleteEntry(collection, key);
  }

  /** Deletes many keys; returns how many were deleted. */
  async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    const collection = this.resolveMany(keys, options, "delete");
    keys = keys.slice(); // the batch as it was at the call
    const pending = this.prepare(collection);
    if (pending) await pending;
    return await this.deleteEntries(collection, keys);
  }

  // ------------------------------------------------------- helpers for stores

  /** The store's name and an operation, for error messages ("put into RedisStore"). */
  protected context(operation: StoreOperation): string {
    return this.#context[operation];
  }

  /**
   * Checks a value about to be written and returns the private copy the
   * write hooks receive: validated and copied in one walk, synchronously at
   * the call, so that what was checked is what is stored (getters and
   * Proxies are read once, `toJSON` is never consulted) and the caller's
   * object is never touched again.
   *
   * @param value The caller's value.
   * @param context The operation's context for error messages ("put into MemoryStore").
   * @returns A validated deep copy of the value.
   * @throws {TypeError} When `value` is not a plain object.
   * @throws {SerializationError} When something inside cannot be carried by JSON.
   */
  protected acceptValue(value: unknown, context: string): Value {
    return validatedCopy(value, context);
  }

  /** Validates a value and TTL and builds the entry to write now (with a private copy of the value). */
  protected makeEntry(value: Value, ttl: unknown): Entry {
    const context = this.#context.put;
    value = this.acceptValue(value, context);
    const seconds = validateTtl(ttl, context);
    const createdAt = this.clock.now();
    return { value, createdAt, expiresAt: expiresAtFor(seconds, createdAt, context) };
  }

  /** The same entry stamped now: for a write that waited for setup (the TTL counts from the write). */
  protected restamp(entry: Entry, ttl: unknown): Entry {
    const context = this.#context.put;
    const createdAt = this.clock.now();
    const expiresAt = expiresAtFor(validateTtl(ttl, context), createdAt, context);
    return { value: entry.value, createdAt, expiresAt };
  }

  /** Checks a key and resolves the collection of a single-key call. */
  protected resolve(
    key: string,
    options: KeyOptions | undefined,
    operation: StoreOperation,
  ): string {
    checkKey(key, this.#context[operation]);
    return this.resolveCollection(options, operation);
  }

  /** Checks a key list and resolves the collection of a batch call. */
  protected resolveMany(
    keys: readonly string[],
    options: KeyOptions | undefined,
    operation: StoreOperation,
  ): string {
    checkKeys(keys, this.#context[operation]);
    return this.resolveCollection(options, operation);
  }

  /** Resolves `options.collection` to a collection name (the default when absent or empty). */
  protected resolveCollection(options: KeyOptions | undefined, operation: StoreOperation): string {
    if (options === undefined) return this.defaultCollection;
    return resolveCollectionName(options, this.defaultCollection, this.#context[operation]);
  }

  /** Validates an optional `limit`: a positive integer, or `undefined` for all. */
  protected checkLimit(limit: unknown, operation: StoreOperation): number | undefined {
    return checkLimit(limit, this.#context[operation]);
  }

  /**
   * Forgets per-collection setup after a collection (or, with no argument,
   * every collection) was destroyed, so the next use sets it up again.
   */
  protected forgetCollectionSetup(collection?: string): void {
    this.#gate.forget(collection);
  }

  /** Applies the key strategy (validate, then sanitize). */
  protected sanitizeKey(key: string): string {
    const strategy = this.keySanitizationStrategy;
    if (!strategy) return key;
    strategy.validate(key);
    return strategy.sanitize(key);
  }

  /** Applies the collection strategy (validate, then sanitize). */
  protected sanitizeCollection(collection: string): string {
    const strategy = this.collectionSanitizationStrategy;
    if (!strategy) return collection;
    strategy.validate(collection);
    return strategy.sanitize(collection);
  }

  /** Runs the one-time setup if it has not run; concurrent callers share one run. */
  protected ensureSetup(): Promise<void> {
    return this.#gate.ensure();
  }

  /**
   * Runs whatever setup `collection` still needs, or returns `undefined`
   * when none is needed (the common case, kept free of promises).
   */
  protected prepare(collection: string): Promise<void> | undefined {
    return this.#gate.prepare(collection);
  }

  async #setupAll(): Promise<void> {
    await this.setupStore();
    if (!this.#seed) return;
    const createdAt = this.clock.now();
    for (const [collection, items] of Object.entries(this.#seed)) {
      await this.#gate.setupCollection(collection);
      for (const [key, value] of Object.entries(items)) {
        await this.putEntry(collection, key, { value: copyValue(value), createdAt });
      }
    }
  }
}

answersNow(BaseStore.prototype.get);

/** The `getEntry` seen by the nearest class of `proto`'s chain that implements `getEntryNow`. */
function mirroredGetEntry(proto: object): unknown {
  for (let p = proto; p !== null && p !== BaseStore.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.hasOwn(p, "getEntryNow")) return (p as { getEntry?: unknown }).getEntry;
  }
  return undefined;
}

function liveValue(entry: Entry | undefined, now: number): Value | undefined {
  if (entry === undefined) return undefined;
  const expiresAt = entry.expiresAt;
  return expiresAt !== undefined && expiresAt <= now ? undefined : entry.value;
}

function toTtlEntry(entry: Entry | undefined, now: number): TtlEntry {
  if (entry === undefined) return [undefined, undefined];
  const expiresAt = entry.expiresAt;
  if (expiresAt === undefined) return [entry.value, undefined];
  return expiresAt <= now ? [undefined, undefined] : [entry.value, (expiresAt - now) / 1000];
}
