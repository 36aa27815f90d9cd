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

import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../core/base_store.ts";
import type {
  CollectionsOptions,
  Cull,
  DestroyCollection,
  DestroyStore,
  EnumerateCollections,
  EnumerateKeys,
  KeysOptions,
  PutIfAbsent,
} from "../core/capabilities.ts";
import { dumpEnvelope, type Entry, loadEnvelope } from "../core/envelope.ts";
import {
  DeserializationError,
  KeyValueError,
  KeyValueStoreError,
  ValueTooLargeError,
} from "../core/errors.ts";
import type { PutOptions, Value } from "../core/protocol.ts";
import {
  batches,
  chunks,
  keySize,
  type KvKey,
  MAX_COLLECTION_PART,
  MAX_KEY_PART,
  MAX_PREFIX_BYTES,
  MAX_READ_KEYS,
  MAX_VALUE_BYTES,
  namePart,
} from "./_deno_kv_keys.ts";
import { type DenoKvLike, openDenoKv } from "./_deno_kv_open.ts";
import { cullExpired, deleteUnder, isLive, scanCollections, scanKeys } from "./_deno_kv_scan.ts";
export type { DenoKvAtomic, DenoKvEntry, DenoKvEntryMaybe, DenoKvLike } from "./_deno_kv_open.ts";
export type { KvKey, KvKeyPart } from "./_deno_kv_keys.ts";

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

const encoder = new TextEncoder();
const decoder = new TextDecoder();

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
 * `keys()`, `collections()` and `cull()`.
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
export class DenoKvStore extends BaseStore
  implements
    EnumerateKeys,
    EnumerateCollections,
    DestroyCollection,
    DestroyStore,
    Cull,
    PutIfAbsent {
  readonly #path: string | undefined;
  readonly #prefix: KvKey;
  #kv: DenoKvLike | undefined;
  #owned = false;
  #closed = false;

  /**
   * Creates the store; a `path` is opened on first use.
   *
   * @param options See {@linkcode DenoKvStoreOptions}.
   * @throws {TypeError} When neither or both of `kv` and `path` are given, or the prefix is bad.
   */
  constructor(options: DenoKvStoreOptions) {
    super(options);
    const { kv, path } = options ?? {};
    if ((kv === undefined) === (path === undefined)) {
      throw new TypeError("Cannot create DenoKvStore: pass exactly one of kv and path");
    }
    if (path !== undefined && (typeof path !== "string" || path === "")) {
      throw new TypeError("Cannot create DenoKvStore: path must be a non-empty string");
    }
    const prefix = options.prefix === undefined
      ? []
      : typeof options.prefix === "string"
      ? [options.prefix]
      : [...options.prefix];
    if (!Array.isArray(prefix) || keySize(prefix) > MAX_PREFIX_BYTES) {
      throw new TypeError(
        `Cannot create DenoKvStore: prefix must be a key of at most ${MAX_PREFIX_BYTES} bytes`,
      );
    }
    this.#prefix = Object.freeze(prefix);
    this.#path = path;
    this.#kv = kv;
  }

  /** Opens the database when the store was given a path. */
  protected override async setupStore(): Promise<void> {
    if (this.#closed) throw new KeyValueStoreError("Cannot use DenoKvStore: it is closed");
    if (this.#kv === undefined) {
      this.#kv = await openDenoKv(this.#path!);
      this.#owned = true;
    }
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

  // -------------------------------------------------------------- layout

  #collectionKey(collection: string): KvKey {
    return [...this.#prefix, namePart(collection, MAX_COLLECTION_PART)];
  }

  #key(collection: string, key: string): KvKey {
    return [
      ...this.#prefix,
      namePart(collection, MAX_COLLECTION_PART),
      namePart(key, MAX_KEY_PART),
    ];
  }

  #encode(entry: Entry, key: string, collection: string): Uint8Array {
    const bytes = encoder.encode(dumpEnvelope(entry, key, collection));
    if (bytes.length > MAX_VALUE_BYTES) {
      throw new ValueTooLargeError(
        `Cannot ${this.context("put")}: the entry takes ${bytes.length} bytes, ` +
          `over Deno KV's limit of ${MAX_VALUE_BYTES} bytes per value`,
        { extraInfo: { key, collection, size: bytes.length, limit: MAX_VALUE_BYTES } },
      );
    }
    return bytes;
  }

  #decode(value: unknown, op: StoreOperation): Entry | undefined {
    if (value === null || value === undefined) return undefined;
    try {
      if (value instanceof Uint8Array) return loadEnvelope(decoder.decode(value));
      if (typeof value === "string") return loadEnvelope(value);
    } catch (cause) {
      throw new DeserializationError(`Cannot ${this.context(op)}: the stored entry is invalid`, {
        cause,
      });
    }
    throw new DeserializationError(
      `Cannot ${this.context(op)}: the stored value is not an entry (bytes of envelope JSON)`,
      { extraInfo: { type: typeof value } },
    );
  }

  #expireIn(entry: Entry): { expireIn: number } | undefined {
    if (entry.expiresAt === undefined) return undefined;
    return { expireIn: Math.max(1, Math.ceil(entry.expiresAt - Date.now())) };
  }

  // --------------------------------------------------------------- hooks

  /** Reads one entry. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    const result = await this.#run("get", () => this.#kv!.get(this.#key(collection, key)));
    return this.#decode(result.value, "get");
  }

  /** Reads many entries, 10 keys per `getMany`, in parallel. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    const kvKeys = keys.map((key) => this.#key(collection, key));
    const groups = await this.#run(
      "get",
      () => Promise.all(chunks(kvKeys, MAX_READ_KEYS).map((group) => this.#kv!.getMany(group))),
    );
    return groups.flat().map((result) => this.#decode(result.value, "get"));
  }

  /** Writes one entry with Deno KV's expiry. */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    const value = this.#encode(entry, key, collection);
    await this.#run(
      "put",
      () => this.#kv!.set(this.#key(collection, key), value, this.#expireIn(entry)),
    );
  }

  /** Writes many entries in atomic operations within Deno KV's limits. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    const mutations = keys.map((key, i) => ({
      key: this.#key(collection, key),
      value: this.#encode(entries[i]!, key, collection),
      expire: this.#expireIn(entries[i]!),
    }));
    for (const group of batches(mutations)) {
      await this.#run("put", async () => {
        const op = this.#kv!.atomic();
        for (const { key, value, expire } of group) op.set(key, value, expire);
        await this.#commit(op, "put");
      });
    }
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
    const unique = [...new Map(keys.map((key) => [key, this.#key(collection, key)])).values()];
    let live = 0;
    const now = Date.now();
    const found = await this.#run(
      "delete",
      () => Promise.all(chunks(unique, MAX_READ_KEYS).map((group) => this.#kv!.getMany(group))),
    );
    const existing: KvKey[] = [];
    for (const result of found.flat()) {
      if (result.versionstamp === null) continue;
      existing.push(result.key);
      let entry: Entry | undefined;
      try {
        entry = this.#decode(result.value, "delete");
      } catch {
        entry = undefined;
      }
      if (entry !== undefined && isLive(entry, now)) live++;
    }
    for (const group of batches(existing.map((key) => ({ key })))) {
      await this.#run("delete", async () => {
        const op = this.#kv!.atomic();
        for (const { key } of group) op.delete(key);
        await this.#commit(op, "delete");
      });
    }
    return live;
  }

  // -------------------------------------------------------- capabilities

  /**
   * Lists the live keys of a collection, in key order.
   *
   * @param options The collection and an optional limit.
   * @returns The original keys.
   */
  async keys(options?: KeysOptions): Promise<string[]> {
    const { collection, limit } = await this.beginKeys(options);
    return await this.#run(
      "keys",
      () => scanKeys(this.#kv!, this.#prefix, this.#collectionKey(collection), limit),
    );
  }

  /**
   * Lists the collections that hold live entries, skipping from one
   * collection to the next (one short listing per collection).
   *
   * @param options An optional limit.
   * @returns The original collection names.
   */
  async collections(options?: CollectionsOptions): Promise<string[]> {
    const limit = await this.beginCollections(options);
    return await this.#run("collections", () => scanCollections(this.#kv!, this.#prefix, limit));
  }

  /**
   * Deletes every entry of a collection.
   *
   * @param collection The collection.
   * @returns `true` if it held any entry.
   */
  async destroyCollection(collection: string): Promise<boolean> {
    const resolved = await this.beginDestroyCollection(collection);
    const under = this.#collectionKey(resolved);
    return await this.#run(
      "destroy",
      async () => (await deleteUnder(this.#kv!, this.#prefix, under, false)) > 0,
    );
  }

  /**
   * Deletes every entry of this store: every key under the prefix, or, with
   * no prefix, every key shaped `[collection, key]` that holds an envelope.
   *
   * @returns `true`.
   */
  async destroy(): Promise<boolean> {
    await this.ensureSetup();
    const prefix = this.#prefix;
    await this.#run("destroy", () => deleteUnder(this.#kv!, prefix, prefix, prefix.length > 0));
    return true;
  }

  /**
   * Deletes expired entries now (Deno KV removes them itself within about a
   * minute). An entry rewritten meanwhile is kept (versionstamp check).
   *
   * @returns How many entries were deleted.
   */
  async cull(): Promise<number> {
    await this.ensureSetup();
    return await this.#run("destroy", () => cullExpired(this.#kv!, this.#prefix));
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
  async putIfAbsent(key: string, value: Value, options?: PutOptions): Promise<boolean> {
    const { collection, entry } = await this.beginPutIfAbsent(key, value, options);
    const kvKey = this.#key(collection, key);
    const bytes = this.#encode(entry, key, collection);
    for (;;) {
      const current = await this.#run("put", () => this.#kv!.get(kvKey));
      let existing: Entry | undefined;
      try {
        existing = this.#decode(current.value, "put");
      } catch {
        return false; // undecodable data is something, not nothing
      }
      if (existing && isLive(existing, Date.now())) return false;
      const op = this.#kv!.atomic().check({ key: kvKey, versionstamp: current.versionstamp }).set(
        kvKey,
        bytes,
        this.#expireIn(entry),
      );
      if ((await this.#run("put", () => op.commit())).ok) return true;
    }
  }

  // ------------------------------------------------------------- helpers

  async #commit(op: { commit(): Promise<{ ok: boolean }> }, name: StoreOperation): Promise<void> {
    if (!(await op.commit()).ok) {
      throw new KeyValueStoreError(`Cannot ${this.context(name)}: the atomic operation failed`);
    }
  }

  async #run<T>(op: StoreOperation, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof KeyValueError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new KeyValueStoreError(`Cannot ${this.context(op)}: ${message}`, { cause: error });
    }
  }
}
