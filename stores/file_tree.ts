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

import { BaseStore, type BaseStoreOptions } from "../core/base_store.ts";
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
import {
  dumpEnvelope,
  type Entry,
  formatTimestamp,
  fromEnvelope,
  loadEnvelope,
} from "../core/envelope.ts";
import {
  DeserializationError,
  InvalidKeyError,
  KeyValueError,
  KeyValueStoreError,
  PathSecurityError,
} from "../core/errors.ts";
import type { PutOptions, Value } from "../core/protocol.ts";
import type { StoreOperation } from "../core/base_store.ts";
import { isTempName, type TreeDirectory } from "./_file_tree_dir.ts";
import {
  fileSystemName,
  isHashedName,
  MAX_COLLECTION_NAME,
  MAX_KEY_NAME,
  unescapeName,
} from "./_file_tree_names.ts";
import { WebTreeDirectory } from "./_file_tree_web.ts";

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

const INFO_SUFFIX = "-info.json";
const JSON_SUFFIX = ".json";
const PARALLEL = 32;

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
 * `core/sanitization_v1.ts`) the names are exactly py-key-value's, so the
 * two libraries share one tree. With any strategy, a name that is not a
 * single file name (`..`, `a/b`, an absolute path) is refused with
 * {@linkcode PathSecurityError}; the default escaping never produces one.
 *
 * **Atomic writes.** A write goes to a temp file in the same directory
 * (`.<random>.tmp`), is flushed, and is renamed over the entry, so a reader
 * never sees a partial file, even when several processes write one key. On
 * OPFS a writable stream is committed on close. `putIfAbsent` publishes its
 * file with a hard link, which fails when the entry exists: atomic on one
 * machine. An expired entry is moved aside and checked before it is
 * replaced.
 *
 * **Security.** Nothing outside the root is read, written or deleted: a
 * collection directory that is a symlink leading outside the root, or an
 * entry that links outside it, is refused with {@linkcode PathSecurityError}
 * (links that stay inside are followed). `destroy()` and `cull()` walk only
 * collection directories that have a `-info.json`, delete only `.json` and
 * `.tmp` files in them, and remove a directory only once it is empty.
 *
 * **Expiry** is checked on every read; expired files stay on disk until
 * `cull()` removes them. `keys()` reads each file of the collection to skip
 * expired entries. `collections()` lists collections whose directory holds
 * at least one entry file.
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
 * } from "@kv/core/core/sanitization-v1";
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
  readonly #autoCreate: boolean;
  readonly #fsync: boolean;
  #tree: TreeDirectory | undefined;
  readonly #ready = new Set<string>();
  readonly #creating = new Map<string, Promise<unknown>>();

  /**
   * Creates the store; the root is opened (and created) on first use.
   *
   * @param options See {@linkcode FileTreeStoreOptions}.
   * @throws {TypeError} When `directory` is neither a non-empty string nor a directory handle.
   */
  constructor(options: FileTreeStoreOptions) {
    super(options);
    const directory = options?.directory;
    const isHandle = typeof directory === "object" && directory !== null &&
      (directory as { kind?: string }).kind === "directory";
    if (!(typeof directory === "string" && directory !== "") && !isHandle) {
      throw new TypeError(
        "Cannot create FileTreeStore: directory must be a path or a FileSystemDirectoryHandle",
      );
    }
    this.#source = directory;
    this.#autoCreate = options.autoCreate ?? true;
    this.#fsync = options.fsync ?? true;
  }

  /** Where the store keeps its files: the resolved root path, or the handle's name. */
  get location(): string | undefined {
    return this.#tree?.location();
  }

  /** Opens the root. */
  protected override async setupStore(): Promise<void> {
    if (typeof this.#source === "string") {
      // Loaded only for paths, so a browser bundle never needs node:fs.
      const { openNodeTree } = await import("./_file_tree_node.ts");
      this.#tree = await openNodeTree(this.#source, {
        autoCreate: this.#autoCreate,
        fsync: this.#fsync,
      });
    } else {
      this.#tree = new WebTreeDirectory(this.#source);
    }
  }

  // ------------------------------------------------------------- naming

  #component(name: string, original: string, what: "key" | "collection", op: StoreOperation) {
    if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
      throw new PathSecurityError(
        `Cannot ${this.context(op)}: ${what} ${JSON.stringify(original)} does not name a single ` +
          `file inside the store's directory (sanitized to ${JSON.stringify(name)})`,
        { extraInfo: { [what]: original, sanitized: name } },
      );
    }
  }

  #dirName(collection: string, op: StoreOperation): string {
    if (!this.collectionSanitizationStrategy) {
      return fileSystemName(collection, MAX_COLLECTION_NAME);
    }
    const name = this.sanitizeCollection(collection);
    this.#component(name, collection, "collection", op);
    return name;
  }

  #fileName(key: string, op: StoreOperation): string {
    if (!this.keySanitizationStrategy) return fileSystemName(key, MAX_KEY_NAME) + JSON_SUFFIX;
    const name = this.sanitizeKey(key);
    this.#component(name, key, "key", op);
    return name + JSON_SUFFIX;
  }

  /** The key a file holds, or `undefined` when the file's name is not this store's name for it. */
  #keyOf(file: string, envelope: Record<string, unknown>): string | undefined {
    const stem = file.slice(0, -JSON_SUFFIX.length);
    const recorded = envelope.key;
    const matches = typeof recorded === "string" && recorded !== "" &&
      this.#tryName(() => this.#fileName(recorded, "keys")) === file;
    if (matches) return recorded;
    const strategy = this.keySanitizationStrategy;
    if (!strategy) return isHashedName(stem) ? undefined : unescapeName(stem);
    return strategy.tryUnsanitize ? strategy.tryUnsanitize(stem) : stem;
  }

  /** The collection a directory holds, from its `-info.json` or its name. */
  #collectionOf(dir: string, info: Record<string, unknown> | undefined): string | undefined {
    const recorded = info?.collection;
    if (typeof recorded === "string" && recorded !== "") {
      return this.#tryName(() => this.#dirName(recorded, "collections")) === dir
        ? recorded
        : undefined;
    }
    const strategy = this.collectionSanitizationStrategy;
    if (!strategy) return isHashedName(dir) ? undefined : unescapeName(dir);
    return strategy.tryUnsanitize ? strategy.tryUnsanitize(dir) : dir;
  }

  #tryName(name: () => string): string | undefined {
    try {
      return name();
    } catch {
      return undefined;
    }
  }

  // -------------------------------------------------------------- hooks

  /** Reads one entry's file. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    const dir = this.#dirName(collection, "get");
    const file = this.#fileName(key, "get");
    const text = await this.#run("get", () => this.#tree!.read(dir, file));
    return text === undefined ? undefined : this.#parse(text, dir, file, "get");
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
    const dir = this.#dirName(collection, "put");
    const file = this.#fileName(key, "put");
    const text = dumpEnvelope(entry, key, collection);
    await this.#run(
      "put",
      () =>
        this.#write(
          dir,
          collection,
          async (tree) => (await tree.write(dir, file, text)) || undefined,
        ),
    );
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
    const dir = this.#dirName(collection, "delete");
    const file = this.#fileName(key, "delete");
    return await this.#run("delete", () => this.#tree!.remove(dir, file));
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
    const dir = this.#dirName(collection, "keys");
    return await this.#run("keys", async () => {
      const files = (await this.#tree!.list(dir))
        .filter((entry) => !entry.directory && entry.name.endsWith(JSON_SUFFIX))
        .map((entry) => entry.name);
      const keys: string[] = [];
      const now = Date.now();
      for (let i = 0; i < files.length && keys.length !== limit; i += PARALLEL) {
        const batch = files.slice(i, i + PARALLEL);
        const found = await Promise.all(batch.map(async (file) => {
          const text = await this.#tree!.read(dir, file).catch(skipEscape);
          const envelope = text === undefined ? undefined : parseObject(text);
          if (envelope === undefined || !isLive(envelope, now)) return undefined;
          return this.#keyOf(file, envelope);
        }));
        for (const key of found) {
          if (key !== undefined && keys.length !== limit) keys.push(key);
        }
      }
      return keys;
    });
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
    return await this.#run("collections", async () => {
      const names: string[] = [];
      for (const [dir, collection] of await this.#collectionDirs()) {
        if (collection === undefined) continue;
        const files = await this.#tree!.list(dir).catch(ignoreEscape);
        if (files.some((entry) => !entry.directory && entry.name.endsWith(JSON_SUFFIX))) {
          names.push(collection);
          if (names.length === limit) break;
        }
      }
      return names;
    });
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
    const dir = this.#dirName(resolved, "destroy");
    return await this.#run("destroy", () => this.#destroyDir(dir));
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
    return await this.#run("destroy", async () => {
      for (const [dir] of await this.#collectionDirs()) {
        await this.#destroyDir(dir).catch(ignoreEscape);
      }
      return true;
    });
  }

  /**
   * Deletes the files of expired entries in every collection directory. A
   * file replaced while it was being checked is kept.
   *
   * @returns How many files were deleted.
   */
  async cull(): Promise<number> {
    await this.ensureSetup();
    return await this.#run("destroy", async () => {
      const tree = this.#tree!;
      let removed = 0;
      const now = Date.now();
      for (const [dir] of await this.#collectionDirs()) {
        const files = (await tree.list(dir).catch(ignoreEscape))
          .filter((entry) => !entry.directory && entry.name.endsWith(JSON_SUFFIX));
        const results = await mapLimit(files, async ({ name }) => {
          const version = await tree.readVersion(dir, name).catch(skipEscape);
          const envelope = version === undefined ? undefined : parseObject(version.text);
          if (envelope === undefined || isLive(envelope, now)) return false;
          return await tree.removeIfUnchanged(dir, name, version!.token);
        });
        removed += results.filter(Boolean).length;
      }
      return removed;
    });
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
    const dir = this.#dirName(collection, "put");
    const file = this.#fileName(key, "put");
    const text = dumpEnvelope(entry, key, collection);
    const replaceable = (current: string) => {
      const envelope = parseObject(current);
      return envelope !== undefined && !isLive(envelope, Date.now());
    };
    // One caller at a time per file in this process; link() settles it across processes.
    const lock = `${dir}/${file}`;
    const previous = this.#creating.get(lock) ?? Promise.resolve();
    const run = previous.then(() =>
      this.#run(
        "put",
        () => this.#write(dir, collection, (tree) => tree.create(dir, file, text, replaceable)),
      )
    );
    const settled = run.then(() => {}, () => {});
    this.#creating.set(lock, settled);
    void settled.then(() => {
      if (this.#creating.get(lock) === settled) this.#creating.delete(lock);
    });
    return await run;
  }

  // ------------------------------------------------------------ helpers

  /** Runs a write, creating the collection's directory and `-info.json` when missing. */
  async #write<T>(
    dir: string,
    collection: string,
    write: (tree: TreeDirectory) => Promise<T | undefined>,
  ): Promise<T> {
    const tree = this.#tree!;
    if (!this.#ready.has(dir)) await this.#makeCollection(dir, collection);
    let result = await write(tree);
    if (result === undefined) {
      // The directory vanished (another process destroyed it): make it again, once.
      this.#ready.delete(dir);
      await this.#makeCollection(dir, collection);
      result = await write(tree);
      if (result === undefined) throw new Error(`directory ${JSON.stringify(dir)} keeps vanishing`);
    }
    return result;
  }

  async #makeCollection(dir: string, collection: string): Promise<void> {
    const tree = this.#tree!;
    await tree.makeDirectory(dir);
    const info = JSON.stringify({
      collection,
      created_at: formatTimestamp(Date.now()),
      directory: tree.location(dir),
      version: 1,
    });
    await tree.create(undefined, dir + INFO_SUFFIX, info, () => false);
    this.#ready.add(dir);
  }

  /** Collection directories (those with a `-info.json`) and their original names. */
  async #collectionDirs(): Promise<Map<string, string | undefined>> {
    const tree = this.#tree!;
    const entries = await tree.list();
    const dirs = new Set(entries.filter((entry) => entry.directory).map((entry) => entry.name));
    const found = new Map<string, string | undefined>();
    const infos = entries.filter((entry) =>
      !entry.directory && entry.name.endsWith(INFO_SUFFIX) &&
      dirs.has(entry.name.slice(0, -INFO_SUFFIX.length))
    );
    await mapLimit(infos, async ({ name }) => {
      const dir = name.slice(0, -INFO_SUFFIX.length);
      const text = await tree.read(undefined, name);
      const info = text === undefined ? undefined : parseObject(text);
      found.set(dir, this.#collectionOf(dir, info));
    });
    return found;
  }

  async #destroyDir(dir: string): Promise<boolean> {
    const tree = this.#tree!;
    this.#ready.delete(dir);
    const files = (await tree.list(dir)).filter((entry) =>
      !entry.directory && (entry.name.endsWith(JSON_SUFFIX) || isTempName(entry.name))
    );
    await mapLimit(files, ({ name }) => tree.remove(dir, name));
    await tree.removeDirectory(dir);
    await tree.remove(undefined, dir + INFO_SUFFIX);
    return files.some(({ name }) => name.endsWith(JSON_SUFFIX));
  }

  #parse(text: string, dir: string, file: string, op: StoreOperation): Entry {
    try {
      return loadEnvelope(text);
    } catch (cause) {
      throw new DeserializationError(
        `Cannot ${this.context(op)}: ${dir}/${file} is not a valid entry`,
        { cause, extraInfo: { file: `${dir}/${file}` } },
      );
    }
  }

  /** Runs a file operation, turning file-system errors into the library's errors. */
  async #run<T>(op: StoreOperation, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (error instanceof KeyValueError) throw error;
      const code = (error as { code?: string } | null)?.code;
      const message = error instanceof Error ? error.message : String(error);
      if (code === "ENAMETOOLONG") {
        throw new InvalidKeyError(
          `Cannot ${this.context(op)}: a name is longer than the file system allows (NAME_MAX); ` +
            "use the default naming or a FileTree sanitization strategy",
          { cause: error },
        );
      }
      throw new KeyValueStoreError(`Cannot ${this.context(op)}: ${message}`, { cause: error });
    }
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an envelope holds a value that has not expired (undecodable ones are not live). */
function isLive(envelope: Record<string, unknown>, now: number): boolean {
  try {
    const entry = fromEnvelope(envelope);
    return entry.expiresAt === undefined || entry.expiresAt > now;
  } catch {
    return false;
  }
}

function ignoreEscape(error: unknown): never[] {
  if (error instanceof PathSecurityError) return [];
  throw error;
}

function skipEscape(error: unknown): undefined {
  if (error instanceof PathSecurityError) return undefined;
  throw error;
}

async function mapLimit<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  return results;
}
