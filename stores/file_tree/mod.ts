// This module is browser compatible.
/**
 * {@linkcode FileTreeStore}: a store in a directory of JSON files that
 * survives restarts without a server, and that you can open and read. It
 * works over a path on Deno, Node and Bun, and over a Web
 * `FileSystemDirectoryHandle` in browsers (the Origin Private File System).
 *
 * @example Usage
 * ```ts
 * import { FileTreeStore } from "@kv/core/stores/file-tree";
 * import assert from "node:assert/strict";
 * import { mkdtemp, readFile, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const directory = await mkdtemp(join(tmpdir(), "kv-"));
 * const store = new FileTreeStore({ directory });
 * await store.put("user:1", { name: "Ada" }, { collection: "users" });
 * assert.deepEqual(await store.get("user:1", { collection: "users" }), { name: "Ada" });
 * const file = JSON.parse(await readFile(join(directory, "users", "user%3A1.json"), "utf8"));
 * assert.deepEqual(file.value, { name: "Ada" });
 * assert.deepEqual(await store.keys({ collection: "users" }), ["user:1"]);
 * await rm(directory, { recursive: true });
 * ```
 *
 * @module
 */

import { BaseStore, type BaseStoreOptions } from "../../core/base_store.ts";
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
import type { Entry } from "../../core/envelope.ts";
import type { PutOptions, Value } from "../../core/protocol.ts";
import { TreeEntries } from "./_entries.ts";
import { TreeNaming } from "./_naming.ts";
import { checkRoot, openTree, type OpenTreeOptions } from "./_open.ts";
import { mapLimit } from "./_walk.ts";

/** Options of {@linkcode FileTreeStore}. */
export interface FileTreeStoreOptions extends BaseStoreOptions {
  /**
   * The root: a path (Deno, Node, Bun; relative paths resolve against the
   * working directory) or a Web `FileSystemDirectoryHandle` such as
   * `await navigator.storage.getDirectory()`.
   */
  directory: string | FileSystemDirectoryHandle;
  /** Create a missing root directory (with its parents). @default {true} */
  autoCreate?: boolean;
  /**
   * Flush each file to disk (fsync) before renaming it into place, so a
   * power loss cannot leave an empty file. Turn off for caches and tests.
   * Path roots only. @default {true}
   */
  fsync?: boolean;
}

/**
 * A store in a directory tree: `root/<collection>/<key>.json` holds each
 * entry's py-key-value envelope, and `root/<collection>-info.json` the
 * collection's metadata, as in py-key-value's FileTreeStore, which reads
 * these files (and whose files this store reads).
 *
 * **Names.** By default every string works as a key or collection, and
 * `keys()`/`collections()` hand back the original names. A name maps to a
 * file name by escaping: `a-z`, `0-9`, `_`, `-` and `.` stay as they are;
 * every other character (uppercase letters included, so names differing in
 * case stay apart on case-insensitive file systems) becomes `%XX` for each
 * UTF-8 byte, as do a leading or trailing dot and the first letter of a
 * Windows device name (`con`, `nul`, ...). `user:1` is `user%3A1.json`; `..`
 * is `%2E%2E.json`. An escaped name longer than NAME_MAX allows (250 bytes
 * for a key, 245 for a collection, leaving room for `.json` and
 * `-info.json`) becomes a prefix of its escaping, `~`, and the SHA-256 hex
 * of the name; the original name is kept in the entry's envelope (`key`,
 * `collection`) and in the collection's `-info.json`.
 *
 * **py-key-value's names.** With `keySanitizationStrategy:
 * new FileTreeV1KeySanitizationStrategy()` and `collectionSanitizationStrategy:
 * new FileTreeV1CollectionSanitizationStrategy()` (from
 * `./sanitization.ts`) the names are exactly py-key-value's, so the
 * two libraries share one tree. With any strategy, a name that is not a
 * single file name (`..`, `a/b`, an absolute path) is refused with
 * `PathSecurityError`; the default escaping never produces one.
 *
 * **Atomic writes.** A write goes to a temp file in the same directory
 * (`.<random>.tmp`), is flushed, and is renamed over the entry, so a reader
 * never sees a partial file, even when several processes write one key. On
 * OPFS a writable stream is committed on close (a file created for the first
 * time reads as absent until then), and `putIfAbsent` runs under a Web Lock
 * shared by the origin's tabs and workers. On disk `putIfAbsent` publishes its
 * file with a hard link, which fails when the entry exists: atomic on one
 * machine. An expired entry is moved aside and checked before it is
 * replaced.
 *
 * **Security.** Nothing outside the root is read, written or deleted: a
 * collection directory that is a symlink leading outside the root, or an
 * entry that links outside it, is refused with `PathSecurityError`
 * (links that stay inside are followed). `destroy()` and `cull()` walk only
 * collection directories that have a `-info.json`, delete only `.json` and
 * `.tmp` files in them, and remove a directory only once it is empty.
 *
 * **Expiry** is checked on every read; expired files stay on disk until
 * `cull()` removes them. `keys()` reads each file of the collection to skip
 * expired entries. `collections()` lists collections that have a
 * `-info.json` and whose directory holds at least one entry file.
 *
 * Capabilities: keys, collections, destroyCollection, destroy, cull and
 * putIfAbsent. Undecodable files are a {@linkcode DeserializationError} on
 * read and are skipped by `keys()` and `cull()`.
 *
 * @example A tree py-key-value can share
 * ```ts
 * import { FileTreeStore } from "@kv/core/stores/file-tree";
 * import {
 *   FileTreeV1CollectionSanitizationStrategy,
 *   FileTreeV1KeySanitizationStrategy,
 * } from "@kv/core/stores/file-tree/sanitization";
 * import assert from "node:assert/strict";
 * import { mkdtemp, readdir, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const directory = await mkdtemp(join(tmpdir(), "kv-"));
 * const store = new FileTreeStore({
 *   directory,
 *   keySanitizationStrategy: new FileTreeV1KeySanitizationStrategy(),
 *   collectionSanitizationStrategy: new FileTreeV1CollectionSanitizationStrategy(),
 * });
 * await store.put("session_1", { user: "ada" }, { collection: "sessions", ttl: 60 });
 * assert.deepEqual((await readdir(directory)).sort(), ["sessions", "sessions-info.json"]);
 * assert.deepEqual(await readdir(join(directory, "sessions")), ["session_1.json"]);
 * await rm(directory, { recursive: true });
 * ```
 *
 * @example In a browser, on the Origin Private File System
 * ```ts ignore
 * import { FileTreeStore } from "@kv/core/stores/file-tree";
 *
 * const root = await navigator.storage.getDirectory();
 * const store = new FileTreeStore({ directory: await root.getDirectoryHandle("kv", { create: true }) });
 * await store.put("draft", { text: "hello" }, { ttl: 86_400 });
 * ```
 */
export class FileTreeStore extends BaseStore
  implements
    EnumerateKeys,
    EnumerateCollections,
    DestroyCollection,
    DestroyStore,
    Cull,
    PutIfAbsent {
  readonly #source: string | FileSystemDirectoryHandle;
  readonly #open: OpenTreeOptions;
  readonly #naming: TreeNaming;
  #entries: TreeEntries | undefined;

  /**
   * Creates the store; the root is opened (and created) on first use.
   *
   * @param options See {@linkcode FileTreeStoreOptions}.
   * @throws {TypeError} When `directory` is neither a non-empty string nor a directory handle.
   */
  constructor(options: FileTreeStoreOptions) {
    super(options);
    this.#source = checkRoot(options?.directory);
    this.#naming = new TreeNaming(
      options.keySanitizationStrategy,
      options.collectionSanitizationStrategy,
    );
    this.#open = { autoCreate: options.autoCreate ?? true, fsync: options.fsync ?? true };
  }

  /** Where the store keeps its files: the resolved root path, or the handle's name. */
  get location(): string | undefined {
    return this.#entries?.tree.location();
  }

  /** Opens the root. */
  protected override async setupStore(): Promise<void> {
    const tree = await openTree(this.#source, this.#open);
    this.#entries = new TreeEntries(tree, this.#naming, (op) => this.context(op));
  }

  // -------------------------------------------------------------- hooks

  /** Reads one entry's file. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    return await this.#entries!.read(collection, key);
  }

  /** Reads many entries' files, 32 at a time. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    return await mapLimit(keys, (key) => this.getEntry(collection, key));
  }

  /** Writes one entry's file atomically. */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    await this.#entries!.write(collection, key, entry);
  }

  /** Writes many entries, 32 at a time (a repeated key keeps its last value). */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    const last = new Map<string, number>();
    keys.forEach((key, i) => last.set(key, i));
    await mapLimit([...last.values()], (i) => this.putEntry(collection, keys[i]!, entries[i]!));
  }

  /** Deletes one entry's file. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    return await this.#entries!.remove(collection, key);
  }

  /** Deletes many entries' files, 32 at a time. */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    const unique = [...new Set(keys)];
    const results = await mapLimit(unique, (key) => this.deleteEntry(collection, key));
    return results.filter(Boolean).length;
  }

  // ------------------------------------------------------- capabilities

  /**
   * Lists the live keys of a collection (reading each file to skip expired
   * entries), in no particular order.
   *
   * @param options The collection and an optional limit.
   * @returns The original keys.
   */
  async keys(options?: KeysOptions): Promise<string[]> {
    const { collection, limit } = await this.beginKeys(options);
    return await this.#entries!.keys(collection, limit);
  }

  /**
   * Lists the collections whose directory (one with a `-info.json`) holds at
   * least one entry file.
   *
   * @param options An optional limit.
   * @returns The original collection names.
   */
  async collections(options?: CollectionsOptions): Promise<string[]> {
    const limit = await this.beginCollections(options);
    return await this.#entries!.collections(limit);
  }

  /**
   * Deletes a collection's entry files, its directory (once empty) and its
   * `-info.json`.
   *
   * @param collection The collection.
   * @returns `true` if the collection held any entry file.
   */
  async destroyCollection(collection: string): Promise<boolean> {
    const resolved = await this.beginDestroyCollection(collection);
    return await this.#entries!.destroyCollection(resolved);
  }

  /**
   * Deletes every collection in the root: each directory that has a
   * `-info.json`, as {@linkcode FileTreeStore.prototype.destroyCollection}
   * does. Other files in the root are left alone.
   *
   * @returns `true`.
   */
  async destroy(): Promise<boolean> {
    await this.ensureSetup();
    await this.#entries!.destroy();
    return true;
  }

  /**
   * Deletes the files of expired entries in every collection directory. A
   * file replaced while it was being checked is kept.
   *
   * @returns How many files were deleted.
   */
  async cull(): Promise<number> {
    await this.ensureSetup();
    return await this.#entries!.cull();
  }

  /**
   * Stores `value` only if the key has no live entry; atomic on one machine.
   *
   * @param key The key.
   * @param value The value.
   * @param options The collection and TTL.
   * @returns `true` if stored.
   */
  async putIfAbsent(key: string, value: Value, options?: PutOptions): Promise<boolean> {
    const { collection, entry } = await this.beginPutIfAbsent(key, value, options);
    return await this.#entries!.create(collection, key, entry);
  }
}
