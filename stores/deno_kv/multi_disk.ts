/**
 * {@linkcode MultiDiskStore}: one Deno KV file per collection in a directory,
 * as py-key-value's `MultiDiskStore` keeps one disk cache per collection.
 *
 * @example Usage
 * ```ts
 * import { MultiDiskStore } from "@kv/core/stores/multi-disk";
 * import assert from "node:assert/strict";
 * import { mkdtemp, readdir, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const directory = await mkdtemp(join(tmpdir(), "kv-"));
 * const store = new MultiDiskStore({ directory });
 * await store.put("ada", { admin: true }, { collection: "users" });
 * await store.put("s1", { user: "ada" }, { collection: "sessions", ttl: 60 });
 * assert.deepEqual((await readdir(directory)).filter((f) => f.endsWith(".sqlite")).sort(), [
 *   "sessions.sqlite",
 *   "users.sqlite",
 * ]);
 * assert.deepEqual(await store.collections(), ["sessions", "users"]);
 * await store.close();
 * await rm(directory, { recursive: true });
 * ```
 *
 * @module
 */

import type {
  CollectionsOptions,
  Cull,
  DestroyCollection,
  DestroyStore,
  EnumerateCollections,
  EnumerateKeys,
  KeysOptions,
  PutIfAbsent,
} from "../../core/capabilities.ts";
import type {
  AsyncKeyValue,
  KeyOptions,
  PutOptions,
  TtlEntry,
  Value,
} from "../../core/protocol.ts";
import { checkClock, type Clock } from "../../core/clock.ts";
import { checkOptions } from "../../core/options.ts";
import { DEFAULT_COLLECTION } from "../../core/protocol.ts";
import {
  checkCollectionName,
  checkKey,
  checkKeys,
  resolveCollectionName,
} from "../../core/_validate.ts";
import { validatedCopy } from "../../core/serialization.ts";
import { fileSystemName, isHashedName, unescapeName } from "../_shared/file_names.ts";
import { DenoKvStore } from "./mod.ts";

/** Options of {@linkcode MultiDiskStore}. */
export interface MultiDiskStoreOptions {
  /** The directory of the files (created when missing). */
  directory: string;
  /** The collection used when a call names none. @default {"default_collection"} */
  defaultCollection?: string;
  /** Where every collection's store reads the time for TTL deadlines. @default {the system clock} */
  clock?: Clock;
}

const OPTIONS = ["directory", "defaultCollection", "clock"];

const SUFFIX = ".sqlite";
// NAME_MAX less ".sqlite-journal", the longest of SQLite's companion files.
const MAX_NAME = 255 - ".sqlite-journal".length;

/**
 * One Deno KV file per collection: `<directory>/<collection>.sqlite`, the
 * collection's name escaped as {@linkcode FileTreeStore} escapes names
 * (`a-z0-9_.-` kept, everything else `%XX`; over-long names hashed). Each
 * file is a {@linkcode DenoKvStore} file (keys `[collection, key]`, envelope
 * bytes) that `new DenoKvStore({ path })` opens as well. Files are opened on
 * first use of their collection and stay open until `close()`.
 *
 * Busy collections do not wait on each other (SQLite locks per file), and a
 * collection is one file to copy or delete. `collections()` lists the files
 * of the directory; `destroyCollection()` empties a file but keeps it.
 * The collection is checked here (a name that is not well-formed UTF-16 is an
 * InvalidKeyError before any file is made); everything else is checked by the
 * collection's DenoKvStore, whose name appears in error messages. The
 * `clock` option is every collection's clock. Unknown options are a
 * TypeError. Capabilities: keys, collections, destroyCollection, destroy,
 * cull and putIfAbsent.
 */
export class MultiDiskStore
  implements
    AsyncKeyValue,
    EnumerateKeys,
    EnumerateCollections,
    DestroyCollection,
    DestroyStore,
    Cull,
    PutIfAbsent {
  /** The collection used when a call names none. */
  readonly defaultCollection: string;
  readonly #directory: string;
  readonly #stores = new Map<string, DenoKvStore>();
  readonly #clock: Clock | undefined;
  #made: Promise<void> | undefined;

  /**
   * Creates the store; files are opened on first use.
   *
   * @param options See {@linkcode MultiDiskStoreOptions}.
   * @throws {TypeError} When `directory` or `defaultCollection` is not a non-empty string,
   *   or an option is unknown.
   */
  constructor(options: MultiDiskStoreOptions) {
    checkOptions("MultiDiskStore", options, OPTIONS);
    const { directory, defaultCollection = DEFAULT_COLLECTION, clock } = options ?? {};
    if (typeof directory !== "string" || directory === "") {
      throw new TypeError("Cannot create MultiDiskStore: directory must be a non-empty string");
    }
    if (typeof defaultCollection !== "string" || defaultCollection === "") {
      throw new TypeError(
        "Cannot create MultiDiskStore: defaultCollection must be a non-empty string",
      );
    }
    this.#directory = directory.replace(/[/\\]+$/, "") || "/";
    this.defaultCollection = defaultCollection;
    checkCollectionName(defaultCollection, "create MultiDiskStore");
    this.#clock = clock === undefined ? undefined : checkClock(clock, "MultiDiskStore");
  }

  /** The collection a call addresses (the rules of BaseStore). */
  #collection(options: KeyOptions | undefined, action: string): string {
    return resolveCollectionName(options, this.defaultCollection, `${action} MultiDiskStore`);
  }

  #clockOption(): { clock?: Clock } {
    return this.#clock === undefined ? {} : { clock: this.#clock };
  }

  async #store(options: KeyOptions | undefined, action: string): Promise<DenoKvStore> {
    const collection = this.#collection(options, action);
    return await this.#open(collection);
  }

  async #open(collection: string): Promise<DenoKvStore> {
    let store = this.#stores.get(collection);
    if (store === undefined) {
      this.#made ??= import("node:fs/promises").then((fs) =>
        fs.mkdir(this.#directory, { recursive: true })
      ).then(() => {});
      await this.#made;
      store = this.#stores.get(collection);
      if (store === undefined) {
        const path = `${this.#directory}/${fileSystemName(collection, MAX_NAME)}${SUFFIX}`;
        store = new DenoKvStore({ path, defaultCollection: collection, ...this.#clockOption() });
        this.#stores.set(collection, store);
      }
    }
    return store;
  }

  /** Reads one value. */
  async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    return await (await this.#store(options, "get from")).get(key, options);
  }
  /** Reads many values. */
  async getMany(keys: readonly string[], options?: KeyOptions): Promise<(Value | undefined)[]> {
    const copy = atCall(keys, "get from MultiDiskStore");
    const store = this.#store(options, "get from");
    return await (await store).getMany(copy, options);
  }
  /** Reads a value with its remaining TTL. */
  async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    return await (await this.#store(options, "read ttl from")).ttl(key, options);
  }
  /** Reads many values with their remaining TTLs. */
  async ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    const copy = atCall(keys, "read ttl from MultiDiskStore");
    const store = this.#store(options, "read ttl from");
    return await (await store).ttlMany(copy, options);
  }
  /** Stores a value. */
  async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    checkKey(key, "put into MultiDiskStore");
    const copy = validatedCopy(value, "put into MultiDiskStore");
    const store = this.#store(options, "put into");
    await (await store).put(key, copy, copyOptions(options));
  }
  /** Stores many values with one TTL. */
  async putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const copy = atCall(keys, "put into MultiDiskStore");
    const copies = Array.isArray(values) && values.length === copy.length
      ? values.map((value) => validatedCopy(value, "put into MultiDiskStore"))
      : values; // the inner store says what is wrong
    const store = this.#store(options, "put into");
    await (await store).putMany(copy, copies, copyOptions(options));
  }
  /** Deletes a key. */
  async delete(key: string, options?: KeyOptions): Promise<boolean> {
    return await (await this.#store(options, "delete from")).delete(key, options);
  }
  /** Deletes many keys. */
  async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    const copy = atCall(keys, "delete from MultiDiskStore");
    const store = this.#store(options, "delete from");
    return await (await store).deleteMany(copy, options);
  }
  /** Stores a value only if the key has no live entry. */
  async putIfAbsent(key: string, value: Value, options?: PutOptions): Promise<boolean> {
    checkKey(key, "put into MultiDiskStore");
    const copy = validatedCopy(value, "put into MultiDiskStore");
    const store = this.#store(options, "put into");
    return await (await store).putIfAbsent(key, copy, copyOptions(options));
  }
  /** Lists the live keys of one collection. */
  async keys(options?: KeysOptions): Promise<string[]> {
    return await (await this.#store(options, "list keys of")).keys(options);
  }

  /** The collections that have a file in the directory, with their stores. */
  async #all(): Promise<Map<string, DenoKvStore>> {
    const { readdir } = await import("node:fs/promises");
    const found = new Map<string, DenoKvStore>();
    let names: string[] = [];
    try {
      names = await readdir(this.#directory);
    } catch (error) {
      if ((error as { code?: string }).code !== "ENOENT") throw error;
    }
    for (const name of names.filter((name) => name.endsWith(SUFFIX)).sort()) {
      const stem = name.slice(0, -SUFFIX.length);
      if (isHashedName(stem)) {
        // The name is in the file: ask the file (a fresh store over it).
        const probe = new DenoKvStore({
          path: `${this.#directory}/${name}`,
          ...this.#clockOption(),
        });
        const inside = await probe.collections();
        await probe.close();
        for (const collection of inside) {
          if (fileSystemName(collection, MAX_NAME) === stem) {
            found.set(collection, await this.#open(collection));
          }
        }
        continue;
      }
      const collection = unescapeName(stem);
      if (collection !== undefined) found.set(collection, await this.#open(collection));
    }
    return found;
  }

  /**
   * Lists the collections whose file holds live entries.
   *
   * @param options An optional limit.
   * @returns The collection names, in file-name order.
   */
  async collections(options?: CollectionsOptions): Promise<string[]> {
    const limit = options?.limit;
    if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && limit > 0)) {
      throw new RangeError(
        `Cannot list collections of MultiDiskStore: limit must be a positive integer`,
      );
    }
    const names: string[] = [];
    for (const [collection, store] of await this.#all()) {
      if ((await store.keys({ collection, limit: 1 })).length === 0) continue;
      names.push(collection);
      if (names.length === limit) break;
    }
    return names;
  }

  /**
   * Deletes one collection's entries (its file stays, empty).
   *
   * @param collection The collection.
   * @returns `true` if it held any entry.
   */
  async destroyCollection(collection: string): Promise<boolean> {
    const store = await this.#store({ collection }, "destroy data of");
    return await store.destroyCollection(this.#collection({ collection }, "destroy data of"));
  }

  /**
   * Deletes the entries of every collection file in the directory.
   *
   * @returns `true`.
   */
  async destroy(): Promise<boolean> {
    for (const store of (await this.#all()).values()) await store.destroy();
    return true;
  }

  /**
   * Deletes expired entries in every collection file.
   *
   * @returns How many were deleted.
   */
  async cull(): Promise<number> {
    let removed = 0;
    for (const store of (await this.#all()).values()) removed += await store.cull();
    return removed;
  }

  /** Closes every file this store opened. */
  async close(): Promise<void> {
    const stores = [...this.#stores.values()];
    this.#stores.clear();
    await Promise.all(stores.map((store) => store.close()));
  }

  /** Closes the store, as {@linkcode MultiDiskStore.prototype.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** A batch's keys, checked and copied at the call (the caller's array is never read again). */
function atCall(keys: readonly string[], context: string): string[] {
  checkKeys(keys, context);
  return keys.slice();
}

/** The caller's options as they were at the call. */
function copyOptions<T extends object>(options: T | undefined): T | undefined {
  return options === undefined || options === null || typeof options !== "object"
    ? options
    : { ...options };
}
