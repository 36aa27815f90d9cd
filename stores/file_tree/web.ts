// This module is browser compatible.
/**
 * {@linkcode FileTreeStore} for browsers: the same store as
 * `@kv/core/stores/file-tree`, over a Web `FileSystemDirectoryHandle` (the
 * Origin Private File System) only. This entry and everything it imports
 * never reach `node:*`, so a bundle of it (with or without code splitting)
 * holds no Node code.
 *
 * **Two entries, one class.** This module holds the store's whole
 * implementation. `@kv/core/stores/file-tree` exports a subclass that adds
 * path roots (node:fs, for Deno, Node and Bun) and nothing else, so a store
 * of either entry behaves the same on a handle, and is `instanceof` this
 * class. In the npm package, `@kv/core/stores/file-tree` has a `browser`
 * export condition that resolves to this module, so a browser bundle (esbuild
 * `platform: "browser"`, Vite, webpack) of
 * `import { FileTreeStore } from "@kv/core/stores/file-tree"` gets this class
 * too. JSR has no export conditions: on JSR, import
 * `@kv/core/stores/file-tree/web` in code meant for a browser bundle.
 *
 * A path root here is a `TypeError` at construction that says which entry
 * opens paths.
 *
 * @example In a browser, on the Origin Private File System
 * ```ts ignore
 * import { FileTreeStore } from "@kv/core/stores/file-tree/web";
 *
 * const root = await navigator.storage.getDirectory();
 * const store = new FileTreeStore({ directory: await root.getDirectoryHandle("kv", { create: true }) });
 * await store.put("draft", { text: "hello" }, { ttl: 86_400 });
 * console.log(await store.get("draft")); // { text: "hello" }
 * ```
 *
 * @example A path root is refused here
 * ```ts
 * import { FileTreeStore } from "@kv/core/stores/file-tree/web";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => new FileTreeStore({ directory: "./data" } as never), TypeError);
 * ```
 *
 * @module
 */

import { BaseStore, type BaseStoreOptions } from "../../core/base_store.ts";
import type {
  Cull,
  DestroyCollection,
  DestroyStore,
  EnumerateCollections,
  EnumerateKeys,
  PutIfAbsent,
} from "../../core/capabilities.ts";
import type { Entry } from "../../core/envelope.ts";
import { TreeEntries } from "./_entries.ts";
import { TreeNaming } from "./_naming.ts";
import {
  checkRoot,
  openTree,
  type OpenTreeOptions,
  type PathOpener,
  pathOpenerOf,
} from "./_open.ts";

/** Options of {@linkcode FileTreeStore}. */
export interface FileTreeStoreOptions extends BaseStoreOptions {
  /**
   * The root: a Web `FileSystemDirectoryHandle` such as
   * `await navigator.storage.getDirectory()`. (Path roots: the FileTreeStore
   * of `@kv/core/stores/file-tree`, on Deno, Node and Bun.)
   */
  directory: FileSystemDirectoryHandle;
  /** Create a missing root directory (path roots only). @default {true} */
  autoCreate?: boolean;
  /**
   * Flush each file to disk (fsync) before renaming it into place (path
   * roots only; on a handle the browser commits each write on close).
   * @default {true}
   */
  fsync?: boolean;
}

/**
 * The FileTreeStore of `@kv/core/stores/file-tree`, without path roots: its
 * layout (`root/<collection>/<key>.json` and `root/<collection>-info.json`,
 * py-key-value's), names, batches, expiry and capabilities (keys,
 * collections, destroyCollection, destroy, cull, putIfAbsent) are documented
 * there. On a directory handle a write goes through a writable stream, which
 * the browser commits on close (a file created for the first time reads as
 * absent until then), and `putIfAbsent` runs under a Web Lock shared by the
 * origin's tabs and workers. The Origin Private File System has no symlinks,
 * and a handle cannot name anything outside its directory.
 *
 * @example Usage
 * ```ts ignore
 * import { FileTreeStore } from "@kv/core/stores/file-tree/web";
 *
 * const store = new FileTreeStore({ directory: await navigator.storage.getDirectory() });
 * await store.put("user:1", { name: "Ada" }, { collection: "users" });
 * console.log(await store.keys({ collection: "users" })); // ["user:1"]
 * ```
 */
export class FileTreeStore extends BaseStore {
  readonly #source: string | FileSystemDirectoryHandle;
  readonly #open: OpenTreeOptions;
  readonly #paths: PathOpener | undefined;
  readonly #naming: TreeNaming;
  #entries: TreeEntries | undefined;

  /**
   * Creates the store; the root is opened on first use.
   *
   * @param options See {@linkcode FileTreeStoreOptions}.
   * @throws {TypeError} When `directory` is not a directory handle (a path,
   *   with a message naming the entry that opens paths), or an option is unknown.
   */
  constructor(options: FileTreeStoreOptions) {
    super(options, ["directory", "autoCreate", "fsync"]);
    this.#paths = pathOpenerOf(new.target);
    this.#source = checkRoot(options?.directory, this.#paths !== undefined);
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
    const tree = await openTree(this.#source, this.#open, this.#paths);
    this.#entries = new TreeEntries(tree, this.#naming, {
      name: this.constructor.name,
      context: (op) => this.context(op),
      clock: this.clock,
    });
  }

  // -------------------------------------------------------------- hooks

  /** Reads one entry's file. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    return await this.#entries!.read(collection, key);
  }

  /** Reads many entries' files, 32 at a time, once every name has been checked. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    return await this.#entries!.readMany(collection, keys);
  }

  /** Writes one entry's file atomically. */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    await this.#entries!.write(collection, key, entry);
  }

  /**
   * Writes many entries, 32 at a time, once every name has been checked (a
   * repeated key keeps its last value). A refused name rejects the batch
   * before anything is written; after a failed write no further file is
   * started, and the call rejects once the writes under way have settled.
   */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    await this.#entries!.writeMany(collection, keys, entries);
  }

  /** Deletes one entry's file; an expired entry is a miss (`false`), its file culled. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    return await this.#entries!.remove(collection, key);
  }

  /** Deletes many entries' files, 32 at a time, once every name has been checked. */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    return await this.#entries!.removeMany(collection, keys);
  }

  // ------------------------------------------------------- capabilities

  /**
   * Lists the live keys of a collection (reading each file to skip expired
   * entries), in no particular order.
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
   * Lists the collections whose directory (one with a `-info.json`) holds at
   * least one entry file.
   *
   * @param options An optional limit.
   * @returns The original collection names.
   */
  protected override async listCollections(limit: number | undefined): Promise<string[]> {
    return await this.#entries!.collections(limit);
  }

  /**
   * Deletes a collection's entry files, its directory (once empty) and its
   * `-info.json`.
   *
   * @param collection The collection.
   * @returns `true` if the collection held any entry file.
   */
  protected override async dropCollection(resolved: string): Promise<boolean> {
    return await this.#entries!.destroyCollection(resolved);
  }

  /**
   * Deletes every collection in the root: each directory that has a
   * `-info.json`, as {@linkcode FileTreeStore.prototype.destroyCollection}
   * does. Other files in the root are left alone.
   *
   * @returns `true`.
   */
  protected override async dropAll(): Promise<boolean> {
    await this.#entries!.destroy();
    return true;
  }

  /**
   * Deletes the files of expired entries in every collection directory (a
   * file replaced while it was being checked is kept), and temp files
   * untouched for an hour by the store's clock.
   *
   * @returns How many entry files were deleted (temp files are not counted).
   */
  protected override async removeExpired(): Promise<number> {
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
  protected override async putEntryIfAbsent(
    collection: string,
    key: string,
    entry: Entry,
  ): Promise<boolean> {
    return await this.#entries!.create(collection, key, entry);
  }
}

/**
 * The capabilities BaseStore installs on every FileTreeStore from its hooks
 * (`listKeys`, ...), as the class JSDoc lists them.
 */
export interface FileTreeStore
  extends EnumerateKeys, EnumerateCollections, DestroyCollection, DestroyStore, Cull, PutIfAbsent {}
