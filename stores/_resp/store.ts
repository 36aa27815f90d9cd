// The store behind RedisStore and ValkeyStore: py-key-value's layout (a
// string key `collection::key` holding the v1 envelope JSON, expiry with PX),
// batches in one round trip (per hash slot on a cluster), SCAN that follows
// the cursor, and destroy operations that delete only our own entries.

import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../../core/base_store.ts";
import type {
  CollectionsOptions,
  DestroyCollection,
  DestroyStore,
  EnumerateCollections,
  EnumerateKeys,
  KeysOptions,
  PutIfAbsent,
} from "../../core/capabilities.ts";
import { dumpEnvelope, type Entry, loadEnvelope } from "../../core/envelope.ts";
import { DeserializationError } from "../../core/errors.ts";
import type { PutOptions, Value } from "../../core/protocol.ts";
import { mget, mset, scan, setEach, unlink } from "./batch.ts";
import type { RespArg, RespClient } from "./client.ts";
import { GetCoalescer } from "./coalesce.ts";
import { isWrongType, toStoreError } from "./errors.ts";
import { escapeGlob, ownEntryName } from "./scan.ts";

/** Options of the layout shared by RedisStore and ValkeyStore. */
export interface RespStoreOptions
  extends Omit<BaseStoreOptions, "keySanitizationStrategy" | "collectionSanitizationStrategy"> {
  /**
   * Put before every name: entries live at `prefix + collection::key`. Keep
   * it empty to share data with py-key-value, which uses no prefix; set it to
   * give one application its own namespace in a shared database.
   * @default {""}
   */
  prefix?: string;
}

/** The client a store works through, and whether the store owns it. */
export interface RespConnection {
  /** The ioredis or iovalkey client (a `Redis` or a `Cluster`). */
  readonly client: RespClient;
  /** `true` when the store created it (then the store closes it). */
  readonly owned: boolean;
}

/**
 * Implements the whole store over {@linkcode RespClient}; RedisStore and
 * ValkeyStore only build the client. See RedisStore for the documentation.
 */
export abstract class RespStore extends BaseStore
  implements EnumerateKeys, EnumerateCollections, DestroyCollection, DestroyStore, PutIfAbsent {
  readonly #client: RespClient;
  readonly #owned: boolean;
  readonly #prefix: string;
  // Reads of one tick share an MGET, on clients the store created only: a
  // user's client may also carry the user's own commands, which a deferred
  // read must not be moved behind.
  readonly #coalescer: GetCoalescer<Entry | undefined> | undefined;
  #lastError: Error | undefined;
  #closed = false;

  /**
   * Creates the store over a connection.
   *
   * @param options The layout options.
   * @param connection The client and whether the store owns it.
   */
  constructor(options: RespStoreOptions, connection: RespConnection) {
    super(options);
    const name = this.constructor.name;
    const prefix = options.prefix ?? "";
    if (typeof prefix !== "string") {
      throw new TypeError(`Cannot create ${name}: prefix must be a string`);
    }
    if (connection.client.options?.keyPrefix) {
      throw new TypeError(
        `Cannot create ${name}: the client has keyPrefix set, which SCAN does not apply; ` +
          "use the store's prefix option instead",
      );
    }
    this.#client = connection.client;
    this.#owned = connection.owned;
    this.#prefix = prefix;
    this.#coalescer = this.#owned
      ? new GetCoalescer(
        this.#client,
        (text, collection, key) => this.#decode(text, collection, key),
        (error) => toStoreError(error, this.context("get"), this.#lastError),
      )
      : undefined;
    if (this.#owned) this.#client.on("error", (error) => void (this.#lastError = error));
  }

  /** The client the store talks through. */
  protected get respClient(): RespClient {
    return this.#client;
  }

  // ------------------------------------------------------------------ hooks

  /**
   * Reads one entry with GET (a key of another Redis type, WRONGTYPE for
   * GET, reads as missing, as it does in an MGET); the reads of one tick
   * share one MGET on a created client.
   */
  protected getEntry(collection: string, key: string): Promise<Entry | undefined> {
    const name = this.#name(collection, key);
    if (this.#coalescer) return this.#coalescer.get(name, collection, key);
    return this.#call("GET", [name]).then(
      (text) => this.#decode(text, collection, key),
      (error) =>
        isWrongType(error)
          ? undefined
          : Promise.reject(toStoreError(error, this.context("get"), this.#lastError)),
    );
  }

  /** Reads many entries with one MGET (one per hash slot on a cluster). */
  protected override getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    if (keys.length === 0) return Promise.resolve([]);
    const names = new Array<string>(keys.length);
    for (let i = 0; i < keys.length; i++) names[i] = this.#name(collection, keys[i]!);
    const texts = this.#client.isCluster
      ? this.#run("get", () => mget(this.#client, names))
      : this.#call("MGET", names).then(
        undefined,
        (error) => Promise.reject(toStoreError(error, this.context("get"), this.#lastError)),
      ) as Promise<unknown[]>;
    return texts.then((texts) => {
      const entries = new Array<Entry | undefined>(keys.length);
      for (let i = 0; i < keys.length; i++) {
        entries[i] = this.#decode(texts[i], collection, keys[i]!);
      }
      return entries;
    });
  }

  /** Writes one entry with SET (PX when it expires). */
  protected putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    const args = this.#setArgs(collection, key, entry, pxOf(entry));
    return this.#call("SET", args).then(
      nothing,
      (error) => Promise.reject(toStoreError(error, this.context("put"), this.#lastError)),
    );
  }

  /** Writes many entries: MSET, or one pipeline of SET PX when they expire. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    if (keys.length === 0) return;
    const px = pxOf(entries[0]!);
    await this.#run("put", () => {
      if (px !== undefined) {
        return setEach(
          this.#client,
          keys.map((key, i) => this.#setArgs(collection, key, entries[i]!, px)),
        );
      }
      const names = keys.map((key) => this.#name(collection, key));
      const texts = keys.map((key, i) => dumpEnvelope(entries[i]!, key, collection));
      return mset(this.#client, names, texts);
    });
  }

  /** Deletes one entry with UNLINK. */
  protected deleteEntry(collection: string, key: string): Promise<boolean> {
    return this.#run(
      "delete",
      async () => (await unlink(this.#client, [this.#name(collection, key)])) > 0,
    );
  }

  /** Deletes many entries with one UNLINK (one per hash slot on a cluster). */
  protected override deleteEntries(collection: string, keys: readonly string[]): Promise<number> {
    const names = [...new Set(keys)].map((key) => this.#name(collection, key));
    return this.#run("delete", () => unlink(this.#client, names));
  }

  // ----------------------------------------------------------- capabilities

  /**
   * Lists the keys of a collection, following SCAN's cursor to the end on
   * every node (glob characters in names are escaped). Order is SCAN's.
   */
  async keys(options?: KeysOptions): Promise<string[]> {
    const { collection, limit } = await this.beginKeys(options);
    const base = this.#name(collection, "");
    const found = new Set<string>();
    await this.#run("keys", () =>
      scan(this.#client, `${escapeGlob(base)}*`, async (names) => {
        const unsure: string[] = [];
        for (const name of names) {
          if (ambiguous(name, this.#prefix.length)) unsure.push(name);
          else found.add(name.slice(base.length));
        }
        for (const own of await this.#ownEntries(unsure)) {
          if (own.collection === collection) found.add(own.key);
        }
        return limit === undefined || found.size < limit;
      }));
    return [...found].slice(0, limit);
  }

  /** Lists the collections that hold entries (SCAN over every node). */
  async collections(options?: CollectionsOptions): Promise<string[]> {
    const limit = await this.beginCollections(options);
    const prefixLength = this.#prefix.length;
    const found = new Set<string>();
    await this.#run(
      "collections",
      () =>
        scan(this.#client, `${escapeGlob(this.#prefix)}*::*`, async (names) => {
          const unsure: string[] = [];
          for (const name of names) {
            if (ambiguous(name, prefixLength)) unsure.push(name);
            else found.add(name.slice(prefixLength, name.indexOf("::", prefixLength)));
          }
          for (const own of await this.#ownEntries(unsure)) found.add(own.collection);
          return limit === undefined || found.size < limit;
        }),
    );
    return [...found].slice(0, limit);
  }

  /**
   * Deletes the entries of one collection: the keys under `collection::`
   * whose value is one of our envelopes naming this collection. Foreign
   * values under the same pattern are left alone.
   */
  async destroyCollection(collection: string): Promise<boolean> {
    const name = await this.beginDestroyCollection(collection);
    const deleted = await this.#destroyWhere(
      `${escapeGlob(this.#name(name, ""))}*`,
      (own) => own.collection === name,
    );
    this.forgetCollectionSetup(name);
    return deleted > 0;
  }

  /**
   * Deletes every entry in this store's layout: keys `prefix + *::*` whose
   * value is a v1 envelope naming exactly that key. Never FLUSHDB; a key of
   * another application survives (unless it is, byte for byte, an entry in
   * py-key-value's format under its own name).
   */
  async destroy(): Promise<boolean> {
    await this.ensureSetup();
    await this.#destroyWhere(`${escapeGlob(this.#prefix)}*::*`, () => true);
    this.forgetCollectionSetup();
    return true;
  }

  /** Stores the value only if the key is absent (SET NX, atomic); `true` if stored. */
  async putIfAbsent(key: string, value: Value, options?: PutOptions): Promise<boolean> {
    const { collection, entry } = await this.beginPutIfAbsent(key, value, options);
    const args = this.#setArgs(collection, key, entry, pxOf(entry));
    args.push("NX");
    return (await this.#run("put", () => this.#client.call("SET", args))) === "OK";
  }

  /** Closes the client if the store created it; a client passed in is left open. */
  async close(): Promise<void> {
    if (!this.#owned || this.#closed) return;
    this.#closed = true;
    this.#coalescer?.flush();
    if (this.#client.status === "ready") await this.#client.quit().catch(() => {});
    this.#client.disconnect();
  }

  /** Same as {@linkcode RespStore.prototype.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---------------------------------------------------------------- helpers

  #name(collection: string, key: string): string {
    return `${this.#prefix}${collection}::${key}`;
  }

  #setArgs(collection: string, key: string, entry: Entry, px: number | undefined): RespArg[] {
    const args: RespArg[] = [this.#name(collection, key), dumpEnvelope(entry, key, collection)];
    if (px !== undefined) args.push("PX", px);
    return args;
  }

  #decode(text: unknown, collection: string, key: string): Entry | undefined {
    if (text === null || text === undefined) return undefined;
    try {
      return loadEnvelope(String(text));
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new DeserializationError(
        `Cannot ${this.context("get")}: the value of ${
          JSON.stringify(this.#name(collection, key))
        } is not a valid entry: ${reason}`,
        { extraInfo: { collection, key }, cause },
      );
    }
  }

  // Sends one command after the queued reads, a synchronous throw rejecting.
  #call(command: string, args: RespArg[]): Promise<unknown> {
    this.#coalescer?.flush();
    try {
      return this.#client.call(command, args);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #run<T>(operation: StoreOperation, fn: () => Promise<T>): Promise<T> {
    this.#coalescer?.flush();
    try {
      return await fn();
    } catch (error) {
      throw toStoreError(error, this.context(operation), this.#lastError);
    }
  }

  async #ownEntries(names: readonly string[]): Promise<OwnEntry[]> {
    if (names.length === 0) return [];
    const texts = await mget(this.#client, names);
    const own: OwnEntry[] = [];
    texts.forEach((text, i) => {
      const entry = ownEntryName(names[i]!, text, this.#prefix);
      if (entry) own.push({ ...entry, name: names[i]! });
    });
    return own;
  }

  async #destroyWhere(
    pattern: string,
    keep: (own: OwnEntry) => boolean,
  ): Promise<number> {
    let deleted = 0;
    await this.#run("destroy", () =>
      scan(this.#client, pattern, async (names) => {
        const own = await this.#ownEntries(names);
        const doomed = own.filter(keep).map((entry) => entry.name);
        deleted += await unlink(this.#client, doomed);
        return true;
      }));
    return deleted;
  }
}

interface OwnEntry {
  readonly collection: string;
  readonly key: string;
  readonly name: string;
}

// A name (after the prefix) with more than one `::` could split two ways.
function ambiguous(name: string, prefixLength: number): boolean {
  const first = name.indexOf("::", prefixLength);
  return first !== name.lastIndexOf("::");
}

function pxOf(entry: Entry): number | undefined {
  if (entry.expiresAt === undefined) return undefined;
  return Math.max(1, Math.ceil(entry.expiresAt - Date.now()));
}

function nothing(): void {}
