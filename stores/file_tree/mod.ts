// Not for browser bundles (it loads node:fs for path roots): browsers use ./web.ts.
/**
 * {@linkcode FileTreeStore}: a store in a directory of JSON files that
 * survives restarts without a server, and that you can open and read. It
 * works over a path on Deno, Node and Bun, and over a Web
 * `FileSystemDirectoryHandle` in browsers (the Origin Private File System).
 *
 * The store's implementation is the class of `@kv/core/stores/file-tree/web`,
 * which never reaches `node:*`; this entry's {@linkcode FileTreeStore} is its
 * subclass that adds path roots (node:fs, loaded on the first path root) and
 * nothing else. A browser bundle of this entry built from the npm package
 * resolves to the web entry through the `browser` export condition, so it
 * holds no Node code; with JSR (no export conditions), import
 * `@kv/core/stores/file-tree/web` in code for a browser bundle.
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

import {
  FileTreeStore as WebFileTreeStore,
  type FileTreeStoreOptions as WebFileTreeStoreOptions,
} from "./web.ts";
import { allowPathRoots } from "./_open.ts";

/** Options of {@linkcode FileTreeStore}. */
export interface FileTreeStoreOptions extends Omit<WebFileTreeStoreOptions, "directory"> {
  /**
   * The root: a path (Deno, Node, Bun; relative paths resolve against the
   * working directory) or a Web `FileSystemDirectoryHandle` such as
   * `await navigator.storage.getDirectory()`.
   */
  directory: string | FileSystemDirectoryHandle;
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
 * of the name's UTF-8; the original name is kept in the entry's envelope
 * (`key`, `collection`) and in the collection's `-info.json`. A collection
 * whose escaping would end in `-info.json` has its last letter escaped
 * (`x-info.json` is the directory `x-info.jso%6E`), so no collection
 * directory is ever named like another collection's metadata file.
 *
 * **py-key-value's names.** With `keySanitizationStrategy:
 * new FileTreeV1KeySanitizationStrategy()` and `collectionSanitizationStrategy:
 * new FileTreeV1CollectionSanitizationStrategy()` (from
 * `./sanitization.ts`) the names are exactly py-key-value's, so the
 * two libraries share one tree. Keys starting with `S_` or `H_`, which
 * py-key-value writes as they are, are accepted (see
 * `FileTreeV1KeySanitizationStrategy`). py-key-value records no key in its
 * files, so `keys()` lists such a file by its name only when that name maps
 * back to the file (`plain`, `S_raw`); an entry py-key-value stored under a
 * sanitized name (`S_with_space-b8b8f25a`, from `with space`) is readable
 * with `get("with space")` but left out of `keys()`, since the hash cannot be
 * reversed. Entries this store writes record their key and are always listed.
 * With any strategy, a name that is not a single file name (`..`, `a/b`, an
 * absolute path) is refused with `PathSecurityError`, a file name longer than
 * NAME_MAX (255 bytes) and a collection directory ending in `-info.json` with
 * `InvalidKeyError`, before any file is touched; the default escaping never
 * produces any of them.
 *
 * **Batches.** `putMany`, `getMany` and `deleteMany` name every key (and
 * sanitize and check it) before the first file is touched, so a refused name
 * rejects the call with nothing changed. A write that fails midway (a disk
 * error) keeps the files already written, starts no further one, and rejects
 * once the writes under way have settled.
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
 * (links that stay inside are followed). The collection directory is checked
 * at every operation, so one swapped for a symlink after first use is refused
 * from then on; entry files are opened with `O_NOFOLLOW`, created
 * exclusively and replaced by rename, so a link in place of an entry is
 * replaced or removed, never written through. (Node's file API has no
 * `openat()`: a swap in the instant between the check and the use is not
 * caught. On OPFS there are no symlinks, so none of this applies there.)
 * `destroy()` and `cull()` walk only collection directories that have a
 * `-info.json` (a `-info.json` linking outside makes a directory foreign),
 * delete only `.json` and `.tmp` files in them, and remove a directory only
 * once it is empty.
 *
 * **Expiry** is checked on every read, by the `clock` option; expired files
 * stay on disk until `cull()` removes them, or a `delete` finds them: it
 * removes the file and resolves `false` (an expired entry is a miss), and
 * `deleteMany` does not count it. `keys()` reads each file of the collection
 * to skip expired entries. `collections()` lists collections that have a
 * `-info.json` and whose directory holds at least one entry file. `cull()`
 * also deletes temp files left by a killed writer once they are an hour
 * old by the clock (`.tmp` files of collection directories, and in the root
 * only the temp names this store and py-key-value give metadata files);
 * `keys()` never lists a temp file.
 *
 * **Implementation.** This class extends the FileTreeStore of
 * `@kv/core/stores/file-tree/web` (so a store of either entry is `instanceof`
 * that class) and only adds path roots; on a directory handle both behave
 * the same. Subclasses of this class open path roots too.
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
 * // In a bundle for a browser, from the npm package (or "@kv/core/stores/file-tree/web"):
 * import { FileTreeStore } from "@kv/core/stores/file-tree";
 *
 * const root = await navigator.storage.getDirectory();
 * const store = new FileTreeStore({ directory: await root.getDirectoryHandle("kv", { create: true }) });
 * await store.put("draft", { text: "hello" }, { ttl: 86_400 });
 * ```
 */
export class FileTreeStore extends WebFileTreeStore {
  static {
    // node:fs is loaded on the first path root only.
    allowPathRoots(this, async (path, options) => {
      const { openNodeTree } = await import("./_node.ts");
      return await openNodeTree(path, options);
    });
  }

  /**
   * Creates the store; the root is opened (and created) on first use.
   *
   * @param options See {@linkcode FileTreeStoreOptions}.
   * @throws {TypeError} When `directory` is neither a non-empty string nor a
   *   directory handle, or an option is unknown.
   */
  constructor(options: FileTreeStoreOptions) {
    // The web class checks `directory` itself, and takes a path since this class opens paths.
    super(options as WebFileTreeStoreOptions);
  }
}
