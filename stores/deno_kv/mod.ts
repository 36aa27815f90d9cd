/**
 * {@linkcode DenoKvStore}: the persistent disk store, on Deno KV. Deno KV is
 * built into Deno, runs on Deno Deploy, and runs in Node and Bun through the
 * `@deno/kv` package. With a file path it is py-key-value's `DiskStore`: one
 * SQLite file that survives restarts. One file per collection is
 * `MultiDiskStore` (`stores/multi_disk.ts`).
 *
 * @example Usage
 * ```ts
 * import { DenoKvStore } from "@kv/core/stores/deno-kv";
 * import assert from "node:assert/strict";
 *
 * await using store = new DenoKvStore({ path: ":memory:" });
 * await store.put("user:1", { name: "Ada" }, { collection: "users", ttl: 60 });
 * assert.deepEqual(await store.get("user:1", { collection: "users" }), { name: "Ada" });
 * assert.deepEqual(await store.keys({ collection: "users" }), ["user:1"]);
 * ```
 *
 * @module
 */

import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../../core/base_store.ts";
import type {
  Cull,
  DestroyCollection,
  DestroyStore,
  EnumerateCollections,
  EnumerateKeys,
  PutIfAbsent,
} from "../../core/capabilities.ts";
import type { Entry } from "../../core/envelope.ts";
import { KeyValueStoreError } from "../../core/errors.ts";
import { checkOptions } from "../../core/options.ts";
import { ErrorMapper, hasConnectionCode } from "../_shared/errors.ts";
import { KvEntries } from "./_entries.ts";
import { type KvKey, toPrefix } from "./_keys.ts";
import { type DenoKvLike, isConnectionFailure, openDenoKv } from "./_open.ts";
export type { DenoKvAtomic, DenoKvEntry, DenoKvEntryMaybe, DenoKvLike } from "./_open.ts";
export type { KvKey, KvKeyPart } from "./_keys.ts";

/** Options of {@linkcode DenoKvStore}: an opened `kv`, or a `path` to open. */
export interface DenoKvStoreOptions
  extends Omit<BaseStoreOptions, "keySanitizationStrategy" | "collectionSanitizationStrategy"> {
  /**
   * An opened Deno KV: `await Deno.openKv()` in Deno (or on Deno Deploy), or
   * `await openKv(path)` from `@deno/kv` in Node. The store never closes it.
   */
  kv?: DenoKvLike;
  /**
   * A database to open (and close on `close()`): a file path, `":memory:"`,
   * or a KV Connect URL. Deno's own `Deno.openKv` is used where it exists,
   * else `@deno/kv` is loaded.
   */
  path?: string;
  /**
   * Key parts in front of every key (`[...prefix, collection, key]`), so
   * several stores or applications share one database; `destroy()` deletes
   * only under it. A string is one part. @default {[]}
   */
  prefix?: string | KvKey;
}

/** The options {@linkcode DenoKvStore} adds to the shared ones. */
const OWN_OPTIONS = ["kv", "path", "prefix"];
/** Every option {@linkcode DenoKvStore} accepts (it takes no sanitization strategy). */
const VALID_OPTIONS = ["defaultCollection", "seed", "clock", ...OWN_OPTIONS];

function checked(options: DenoKvStoreOptions): DenoKvStoreOptions {
  checkOptions("DenoKvStore", options, VALID_OPTIONS);
  return options;
}

/**
 * A store on Deno KV. Each entry is one KV key `[...prefix, collection, key]`
 * whose value is the UTF-8 bytes of the py-key-value envelope JSON
 * (`{"collection", "created_at", "expires_at"?, "key", "value", "version": 1}`).
 * Storing bytes, never V8-serialized objects, keeps a database readable by
 * every runtime: a file written through `@deno/kv` on Node or Bun opens in
 * Deno, and the other way round.
 *
 * - **TTL:** each entry is set with Deno KV's `expireIn`, and the envelope's
 *   `expires_at` is checked on every read, because Deno KV keeps expired
 *   keys readable for up to about a minute.
 * - **Limits:** a value's envelope must fit Deno KV's 65,536-byte value
 *   limit, else {@linkcode ValueTooLargeError} (the value is about 64 KB
 *   less the key and collection names). A collection longer than 512 bytes
 *   or a key longer than 960 bytes (UTF-8) is stored under its SHA-256 digest
 *   (a `Uint8Array` key part, so it cannot collide with a plain name) and
 *   recovered from the envelope, so every name works and `keys()` returns it.
 * - **Batches:** `putMany` and `deleteMany` use atomic operations, split
 *   to fit Deno KV's limits (1,000 mutations, 800 KB); a batch that fits one
 *   operation is all-or-nothing. `getMany` reads 10 keys per call, in parallel.
 * - **putIfAbsent** is an atomic check-and-set on the versionstamp; an expired
 *   entry counts as absent. `delete` counts only live entries.
 * - **Capabilities:** keys, collections, destroyCollection, destroy (only
 *   keys under the prefix; with no prefix, only keys shaped like this store's
 *   entries), cull and putIfAbsent.
 *
 * Undecodable values are a `DeserializationError` on read and are skipped by
 * `keys()`, `collections()` and `cull()`. A value whose envelope names
 * another key or collection than the KV key it sits under (written there by
 * something else) is not this entry: it reads as a miss, `delete` does not
 * count it, and the listings skip it.
 *
 * Every deadline (the read filter, `delete`'s count, the listings, `cull()`,
 * putIfAbsent's check, and the remaining life given to `expireIn`) is judged
 * by the `clock` option. Deno KV's errors go through the shared mapping:
 * a failure to reach a KV Connect server is a {@linkcode StoreConnectionError},
 * anything else a {@linkcode KeyValueStoreError} with the error as `cause`.
 * Unknown options are a `TypeError`.
 *
 * @example A file on disk, shared by two processes one after the other
 * ```ts
 * import { DenoKvStore } from "@kv/core/stores/deno-kv";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = await mkdtemp(join(tmpdir(), "kv-"));
 * const first = new DenoKvStore({ path: join(dir, "data.sqlite"), prefix: "app" });
 * await first.put("visits", { count: 1 });
 * await first.close();
 * const second = new DenoKvStore({ path: join(dir, "data.sqlite"), prefix: "app" });
 * assert.deepEqual(await second.get("visits"), { count: 1 });
 * await second.close();
 * await rm(dir, { recursive: true });
 * ```
 */
export class DenoKvStore extends BaseStore {
  readonly #path: string | undefined;
  readonly #prefix: KvKey;
  #kv: DenoKvLike | undefined;
  #entries: KvEntries | undefined;
  #owned = false;
  #closed = false;
  readonly #errors: ErrorMapper;

  /**
   * Creates the store; a `path` is opened on first use.
   *
   * @param options See {@linkcode DenoKvStoreOptions}.
   * @throws {TypeError} When neither or both of `kv` and `path` are given, or the prefix is bad.
   */
  constructor(options: DenoKvStoreOptions) {
    super(checked(options), OWN_OPTIONS);
    const { kv, path } = options ?? {};
    if ((kv === undefined) === (path === undefined)) {
      throw new TypeError("Cannot create DenoKvStore: pass exactly one of kv and path");
    }
    if (path !== undefined && (typeof path !== "string" || path === "")) {
      throw new TypeError("Cannot create DenoKvStore: path must be a non-empty string");
    }
    this.#prefix = toPrefix(options.prefix);
    this.#path = path;
    this.#kv = kv;
    this.#errors = new ErrorMapper({
      store: "DenoKvStore",
      context: (operation) => this.context(operation),
      isConnectionFailure,
    });
  }

  /** Opens the database when the store was given a path. */
  protected override async setupStore(): Promise<void> {
    if (this.#closed) throw new KeyValueStoreError("Cannot use DenoKvStore: it is closed");
    if (this.#kv === undefined) {
      try {
        this.#kv = await openDenoKv(this.#path!);
      } catch (error) {
        // Unreachable KV Connect: StoreConnectionError; anything else: StoreSetupError.
        if (hasConnectionCode(error) || isConnectionFailure(error)) {
          throw this.#errors.map(error, "setup");
        }
        throw error;
      }
      this.#owned = true;
    }
    const store = {
      context: (op: StoreOperation) => this.context(op),
      errors: this.#errors,
      clock: this.clock,
    };
    this.#entries = new KvEntries(this.#kv, this.#prefix, store);
  }

  /** Closes the database if the store opened it; a `kv` passed in stays open. */
  close(): Promise<void> {
    if (!this.#closed && this.#owned) this.#kv?.close();
    this.#closed = true;
    return Promise.resolve();
  }

  /** Closes the store, as {@linkcode DenoKvStore.prototype.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // --------------------------------------------------------------- hooks

  /** Reads one entry. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    return await this.#entries!.read(collection, key);
  }

  /** Reads many entries, 10 keys per `getMany`, in parallel. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    return await this.#entries!.readMany(collection, keys);
  }

  /** Writes one entry with Deno KV's expiry. */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    await this.#entries!.write(collection, key, entry);
  }

  /** Writes many entries in atomic operations within Deno KV's limits. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    await this.#entries!.writeMany(collection, keys, entries);
  }

  /** Deletes one entry; `true` if it was live. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    return (await this.deleteEntries(collection, [key])) === 1;
  }

  /** Deletes many entries in atomic operations; counts the live ones. */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    return await this.#entries!.removeMany(collection, keys);
  }

  // -------------------------------------------------------- capabilities

  /**
   * Lists the live keys of a collection, in key order.
   *
   * @param options The collection and an optional limit.
   * @returns The original keys.
   */
  protected override async listKeys(
    collection: string,
    limit: number | undefined,
  ): Promise<string[]> {
    return await this.#entries!.keys(collection, limit);
  }

  /**
   * Lists the collections that hold live entries, skipping from one
   * collection to the next (one short listing per collection).
   *
   * @param options An optional limit.
   * @returns The original collection names.
   */
  protected override async listCollections(limit: number | undefined): Promise<string[]> {
    return await this.#entries!.collections(limit);
  }

  /**
   * Deletes every entry of a collection.
   *
   * @param collection The collection.
   * @returns `true` if it held any entry.
   */
  protected override async dropCollection(resolved: string): Promise<boolean> {
    return await this.#entries!.destroyCollection(resolved);
  }

  /**
   * Deletes every entry of this store: every key under the prefix, or, with
   * no prefix, every key shaped `[collection, key]` that holds an envelope.
   *
   * @returns `true`.
   */
  protected override async dropAll(): Promise<boolean> {
    await this.#entries!.destroy();
    return true;
  }

  /**
   * Deletes expired entries now (Deno KV removes them itself within about a
   * minute). An entry rewritten meanwhile is kept (versionstamp check).
   *
   * @returns How many entries were deleted.
   */
  protected override async removeExpired(): Promise<number> {
    return await this.#entries!.cull();
  }

  /**
   * Stores `value` only if the key has no live entry (an atomic check on
   * the versionstamp).
   *
   * @param key The key.
   * @param value The value.
   * @param options The collection and TTL.
   * @returns `true` if stored.
   */
  protected override async putEntryIfAbsent(
    collection: string,
    key: string,
    entry: Entry,
  ): Promise<boolean> {
    return await this.#entries!.create(collection, key, entry);
  }
}

/**
 * The capabilities BaseStore installs on every DenoKvStore from its hooks
 * (`listKeys`, ...), as the class JSDoc lists them.
 */
export interface DenoKvStore
  extends EnumerateKeys, EnumerateCollections, DestroyCollection, DestroyStore, Cull, PutIfAbsent {}
