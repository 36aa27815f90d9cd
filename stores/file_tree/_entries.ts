// This module is browser compatible.
// What FileTreeStore does with its tree once the base store has checked the
// call: names a collection's directory and a key's file, reads, writes and
// deletes entry files, creates a collection's directory and `-info.json` on
// its first write, and maps file-system errors to the library's errors.

import type { StoreOperation } from "../../core/base_store.ts";
import { dumpEnvelope, type Entry, formatTimestamp, loadEnvelope } from "../../core/envelope.ts";
import { DeserializationError, InvalidKeyError } from "../../core/errors.ts";
import { runLocal } from "../_shared/local_errors.ts";
import type { TreeDirectory } from "./_dir.ts";
import { inTurn } from "./_lock.ts";
import { INFO_SUFFIX, type TreeNaming } from "./_naming.ts";
import {
  cullTree,
  destroyAll,
  destroyDir,
  isLive,
  listCollections,
  listKeys,
  parseObject,
} from "./_walk.ts";

/** The store's error context of an operation ("get from FileTreeStore"). */
export type Context = (op: StoreOperation) => string;

/** The entries of one open tree, with the store's error context. */
export class TreeEntries {
  /** The open root. */
  readonly tree: TreeDirectory;
  readonly #naming: TreeNaming;
  readonly #context: Context;
  /** Collection directories known to exist with their `-info.json`. */
  readonly #ready = new Set<string>();
  /** putIfAbsent calls waiting for one file, by `dir/file`. */
  readonly #creating = new Map<string, Promise<unknown>>();

  constructor(tree: TreeDirectory, naming: TreeNaming, context: Context) {
    this.tree = tree;
    this.#naming = naming;
    this.#context = context;
  }

  /** Reads one entry's file. */
  async read(collection: string, key: string): Promise<Entry | undefined> {
    const { dir, file } = this.#names(collection, key, "get");
    const text = await this.#run("get", () => this.tree.read(dir, file));
    return text === undefined ? undefined : this.#parse(text, dir, file);
  }

  /** Writes one entry's file atomically. */
  async write(collection: string, key: string, entry: Entry): Promise<void> {
    const { dir, file } = this.#names(collection, key, "put");
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

  /** Writes one entry's file only if it has no live entry; `true` if written. */
  async create(collection: string, key: string, entry: Entry): Promise<boolean> {
    const { dir, file } = this.#names(collection, key, "put");
    const text = dumpEnvelope(entry, key, collection);
    const replaceable = (current: string) => {
      const envelope = parseObject(current);
      return envelope !== undefined && !isLive(envelope, Date.now());
    };
    // One caller at a time per file in this process; link() settles it across processes.
    return await inTurn(this.#creating, `${dir}/${file}`, () =>
      this.#run(
        "put",
        () => this.#write(dir, collection, (tree) => tree.create(dir, file, text, replaceable)),
      ));
  }

  /** Deletes one entry's file; `true` if it existed. */
  async remove(collection: string, key: string): Promise<boolean> {
    const { dir, file } = this.#names(collection, key, "delete");
    return await this.#run("delete", () => this.tree.remove(dir, file));
  }

  /** The live keys of a collection, at most `limit`. */
  async keys(collection: string, limit: number | undefined): Promise<string[]> {
    const dir = this.#naming.dirName(collection, this.#context("keys"));
    return await this.#run("keys", () => listKeys(this.tree, this.#naming, dir, limit));
  }

  /** The collections holding entry files, at most `limit`. */
  async collections(limit: number | undefined): Promise<string[]> {
    return await this.#run("collections", () => listCollections(this.tree, this.#naming, limit));
  }

  /** Deletes a collection's files and directory; `true` if it held any entry file. */
  async destroyCollection(collection: string): Promise<boolean> {
    const dir = this.#naming.dirName(collection, this.#context("destroy"));
    this.#ready.delete(dir);
    return await this.#run("destroy", () => destroyDir(this.tree, dir));
  }

  /** Deletes every collection of the root. */
  async destroy(): Promise<void> {
    this.#ready.clear();
    await this.#run("destroy", () => destroyAll(this.tree, this.#naming));
  }

  /** Deletes the files of expired entries; how many were deleted. */
  async cull(): Promise<number> {
    return await this.#run("destroy", () => cullTree(this.tree, this.#naming));
  }

  #names(collection: string, key: string, op: StoreOperation): { dir: string; file: string } {
    const dir = this.#naming.dirName(collection, this.#context(op));
    return { dir, file: this.#naming.fileName(key, this.#context(op)) };
  }

  /** Runs a write, creating the collection's directory and `-info.json` when missing. */
  async #write<T>(
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
      created_at: formatTimestamp(Date.now()),
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

  /** Runs a file operation, turning file-system errors into the library's errors. */
  #run<T>(op: StoreOperation, body: () => Promise<T>): Promise<T> {
    return runLocal(this.#context(op), body, nameTooLong);
  }
}

function nameTooLong(error: unknown, context: string): InvalidKeyError | undefined {
  if ((error as { code?: string } | null)?.code !== "ENAMETOOLONG") return undefined;
  return new InvalidKeyError(
    `Cannot ${context}: a name is longer than the file system allows (NAME_MAX); ` +
      "use the default naming or a FileTree sanitization strategy",
    { cause: error },
  );
}
