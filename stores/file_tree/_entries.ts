// This module is browser compatible.
// What FileTreeStore does with its tree once the base store has checked the
// call: names a collection's directory and a key's file (every name of a
// batch before its first write or delete), reads, writes and deletes entry
// files, creates a collection's directory and `-info.json` on its first
// write, and maps file-system errors to the library's errors.

import type { StoreOperation } from "../../core/base_store.ts";
import type { Clock } from "../../core/clock.ts";
import { dumpEnvelope, type Entry, formatTimestamp, loadEnvelope } from "../../core/envelope.ts";
import { DeserializationError, InvalidKeyError, type KeyValueError } from "../../core/errors.ts";
import { ErrorMapper } from "../_shared/errors.ts";
import type { TreeDirectory } from "./_dir.ts";
import { inTurn } from "./_lock.ts";
import { INFO_SUFFIX, type TreeNaming } from "./_naming.ts";
import {
  cullTree,
  destroyAll,
  destroyDir,
  isExpired,
  isLive,
  listCollections,
  listKeys,
  mapLimit,
  parseObject,
} from "./_walk.ts";

/** The store's error context of an operation ("get from FileTreeStore"). */
export type Context = (op: StoreOperation) => string;

/** What {@linkcode TreeEntries} needs from its store. */
export interface TreeStore {
  /** The store's class name, for errors. */
  readonly name: string;
  /** The store's error context of an operation. */
  readonly context: Context;
  /** The store's clock: every TTL check reads it. */
  readonly clock: Clock;
}

/** The entries of one open tree, with the store's error context. */
export class TreeEntries {
  /** The open root. */
  readonly tree: TreeDirectory;
  readonly #naming: TreeNaming;
  readonly #context: Context;
  readonly #clock: Clock;
  readonly #errors: ErrorMapper;
  /** Collection directories known to exist with their `-info.json`. */
  readonly #ready = new Set<string>();
  /** putIfAbsent calls waiting for one file, by `dir/file`. */
  readonly #creating = new Map<string, Promise<unknown>>();

  constructor(tree: TreeDirectory, naming: TreeNaming, store: TreeStore) {
    this.tree = tree;
    this.#naming = naming;
    this.#context = store.context;
    this.#clock = store.clock;
    this.#errors = new ErrorMapper({
      store: store.name,
      context: store.context,
      extraInfo: { directory: tree.location() },
      translate: nameTooLong,
    });
  }

  /** Reads one entry's file. */
  async read(collection: string, key: string): Promise<Entry | undefined> {
    const { dir, file } = this.#names(collection, key, "get");
    return await this.#errors.call("get", () => this.#read(dir, file));
  }

  /** Reads many entries' files, 32 at a time; every name is checked first. */
  async readMany(collection: string, keys: readonly string[]): Promise<(Entry | undefined)[]> {
    const context = this.#context("get");
    const dir = this.#naming.dirName(collection, context);
    const files = keys.map((key) => this.#naming.fileName(key, context));
    return await this.#errors.call("get", () => mapLimit(files, (file) => this.#read(dir, file)));
  }

  /** Writes one entry's file atomically. */
  async write(collection: string, key: string, entry: Entry): Promise<void> {
    const { dir, file } = this.#names(collection, key, "put");
    const text = dumpEnvelope(entry, key, collection);
    await this.#errors.call("put", () => this.#write(dir, collection, file, text));
  }

  /**
   * Writes many entries, 32 at a time, once every name has been checked (a
   * repeated key, or two keys a strategy maps to one file, keep the last).
   */
  async writeMany(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    const context = this.#context("put");
    const dir = this.#naming.dirName(collection, context);
    const texts = new Map<string, string>();
    keys.forEach((key, i) => {
      const file = this.#naming.fileName(key, context);
      texts.delete(file); // keeps the last one's place as well as its value
      texts.set(file, dumpEnvelope(entries[i]!, key, collection));
    });
    await this.#errors.call("put", async () => {
      if (!this.#ready.has(dir)) await this.#makeCollection(dir, collection);
      await mapLimit([...texts], ([file, text]) => this.#write(dir, collection, file, text));
    });
  }

  /** Writes one entry's file only if it has no live entry; `true` if written. */
  async create(collection: string, key: string, entry: Entry): Promise<boolean> {
    const { dir, file } = this.#names(collection, key, "put");
    const text = dumpEnvelope(entry, key, collection);
    const replaceable = (current: string) => {
      const envelope = parseObject(current);
      return envelope !== undefined && !isLive(envelope, this.#clock.now());
    };
    // One caller at a time per file in this process; link() settles it across processes.
    return await inTurn(this.#creating, `${dir}/${file}`, () =>
      this.#errors.call(
        "put",
        () =>
          this.#inCollection(dir, collection, (tree) => tree.create(dir, file, text, replaceable)),
      ));
  }

  /** Deletes one entry's file; `true` if it held a live (or undecodable) entry. */
  async remove(collection: string, key: string): Promise<boolean> {
    const { dir, file } = this.#names(collection, key, "delete");
    return await this.#errors.call("delete", () => this.#remove(dir, file));
  }

  /** Deletes many entries' files, once every name has been checked; how many were live. */
  async removeMany(collection: string, keys: readonly string[]): Promise<number> {
    const context = this.#context("delete");
    const dir = this.#naming.dirName(collection, context);
    const files = [...new Set(keys.map((key) => this.#naming.fileName(key, context)))];
    const removed = await this.#errors.call(
      "delete",
      () => mapLimit(files, (file) => this.#remove(dir, file)),
    );
    return removed.filter(Boolean).length;
  }

  /** The live keys of a collection, at most `limit`. */
  async keys(collection: string, limit: number | undefined): Promise<string[]> {
    const dir = this.#naming.dirName(collection, this.#context("keys"));
    return await this.#errors.call(
      "keys",
      () => listKeys(this.tree, this.#naming, dir, limit, this.#clock.now()),
    );
  }

  /** The collections holding entry files, at most `limit`. */
  async collections(limit: number | undefined): Promise<string[]> {
    return await this.#errors.call(
      "collections",
      () => listCollections(this.tree, this.#naming, limit),
    );
  }

  /** Deletes a collection's files and directory; `true` if it held any entry file. */
  async destroyCollection(collection: string): Promise<boolean> {
    const dir = this.#naming.dirName(collection, this.#context("destroy"));
    this.#ready.delete(dir);
    return await this.#errors.call("destroy", () => destroyDir(this.tree, dir));
  }

  /** Deletes every collection of the root. */
  async destroy(): Promise<void> {
    this.#ready.clear();
    await this.#errors.call("destroy", () => destroyAll(this.tree, this.#naming));
  }

  /** Deletes expired entry files and stale temp files; how many entry files were deleted. */
  async cull(): Promise<number> {
    return await this.#errors.call(
      "destroy",
      () => cullTree(this.tree, this.#naming, this.#clock.now()),
    );
  }

  #names(collection: string, key: string, op: StoreOperation): { dir: string; file: string } {
    const context = this.#context(op);
    const dir = this.#naming.dirName(collection, context);
    return { dir, file: this.#naming.fileName(key, context) };
  }

  async #read(dir: string, file: string): Promise<Entry | undefined> {
    const text = await this.tree.read(dir, file);
    return text === undefined ? undefined : this.#parse(text, dir, file);
  }

  #write(dir: string, collection: string, file: string, text: string): Promise<true> {
    return this.#inCollection(
      dir,
      collection,
      async (tree) => (await tree.write(dir, file, text)) || undefined,
    );
  }

  /**
   * Deletes a file unless it holds an expired entry (a miss: `false`, and
   * the file goes only if nobody replaced it meanwhile).
   */
  async #remove(dir: string, file: string): Promise<boolean> {
    const current = await this.tree.readVersion(dir, file);
    if (current === undefined) return false;
    const envelope = parseObject(current.text);
    if (envelope !== undefined && isExpired(envelope, this.#clock.now())) {
      await this.tree.removeIfUnchanged(dir, file, current.token);
      return false;
    }
    return await this.tree.remove(dir, file);
  }

  /** Runs a write, creating the collection's directory and `-info.json` when missing. */
  async #inCollection<T>(
    dir: string,
    collection: string,
    write: (tree: TreeDirectory) => Promise<T | undefined>,
  ): Promise<T> {
    const tree = this.tree;
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
    const tree = this.tree;
    await tree.makeDirectory(dir);
    const info = JSON.stringify({
      collection,
      created_at: formatTimestamp(this.#clock.now()),
      directory: tree.location(dir),
      version: 1,
    });
    await tree.create(undefined, dir + INFO_SUFFIX, info, () => false);
    this.#ready.add(dir);
  }

  #parse(text: string, dir: string, file: string): Entry {
    try {
      return loadEnvelope(text);
    } catch (cause) {
      throw new DeserializationError(
        `Cannot ${this.#context("get")}: ${dir}/${file} is not a valid entry`,
        { cause, extraInfo: { file: `${dir}/${file}` } },
      );
    }
  }
}

/** ENAMETOOLONG (a path beyond PATH_MAX, as names are checked against NAME_MAX). */
function nameTooLong(error: unknown, _op: unknown, context: string): KeyValueError | undefined {
  if ((error as { code?: string } | null)?.code !== "ENAMETOOLONG") return undefined;
  return new InvalidKeyError(
    `Cannot ${context}: a path is longer than the file system allows (PATH_MAX); ` +
      "use a shorter root, the default naming or a FileTree sanitization strategy",
    { cause: error },
  );
}
