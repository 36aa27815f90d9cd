// The store behind RedisStore and ValkeyStore: py-key-value's layout (a
// string key `collection::key` holding the v1 envelope JSON, expiry with PX),
// batches in one round trip (per hash slot on a cluster), SCAN that follows
// the cursor, and destroy operations that delete only our own entries.

import {
  BASE_STORE_OPTIONS,
  BaseStore,
  type BaseStoreOptions,
  type StoreOperation,
} from "../../core/base_store.ts";
import type {
  DestroyCollection,
  DestroyStore,
  EnumerateCollections,
  EnumerateKeys,
  PutIfAbsent,
} from "../../core/capabilities.ts";
import { dumpEnvelope, type Entry } from "../../core/envelope.ts";
import { DeserializationError } from "../../core/errors.ts";
import type { KeyOptions } from "../../core/protocol.ts";
import { checkOptions } from "../../core/options.ts";
import { checkCompoundCollection, expiredAt, readEntry } from "../_shared/compound.ts";
import type { ErrorMapper } from "../_shared/errors.ts";
import { mget, mset, setEach } from "./batch.ts";
import { CONNECT_OPTIONS } from "./client.ts";
import { GetCoalescer } from "./coalesce.ts";
import { deleteJudged, isAbsent, MAX_ATTEMPTS } from "./entries.ts";
import { isWrongType, respErrorMapper } from "./errors.ts";
import { destroyOwn, listCollections, listKeys } from "./listing.ts";
import { respName } from "./names.ts";
import { deleteOwn, putIfAbsentScript, setIfUnchanged } from "./scripts.ts";
import type { RespArg, RespClient } from "./types.ts";

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

/** The options of RedisStore and ValkeyStore beyond the shared ones. */
export const RESP_OPTIONS: readonly string[] = Object.freeze(["prefix", ...CONNECT_OPTIONS]);

/**
 * Implements the whole store over {@linkcode RespClient}; RedisStore and
 * ValkeyStore only build the client. See RedisStore for the documentation.
 */
export abstract class RespStore extends BaseStore {
  readonly #client: RespClient;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #errors: ErrorMapper;
  // Reads of one tick share an MGET, on clients the store created only: a
  // user's client may also carry the user's own commands, which a deferred
  // read must not be moved behind.
  readonly #coalescer: GetCoalescer<Entry | undefined> | undefined;
  #lastError: Error | undefined;
  #closed = false;

  /**
   * Creates the store: checks every option, then opens the connection.
   *
   * @param options The store's options (unknown ones are a TypeError).
   * @param open Makes the client, once the options passed their checks.
   */
  constructor(options: RespStoreOptions, open: () => RespConnection) {
    // RespStoreOptions leaves out the sanitization strategies: refused too.
    super(strict(options, new.target.name), RESP_OPTIONS);
    const name = this.constructor.name;
    const prefix = options.prefix ?? "";
    if (typeof prefix !== "string") {
      throw new TypeError(`Cannot create ${name}: prefix must be a string`);
    }
    checkCompoundCollection(this.defaultCollection, `create ${name}`);
    for (const collection of Object.keys(options.seed ?? {})) {
      checkCompoundCollection(collection, `create ${name}`);
    }
    const connection = open();
    if (connection.client.options?.keyPrefix) {
      throw new TypeError(
        `Cannot create ${name}: the client has keyPrefix set, which SCAN does not apply; ` +
          "use the store's prefix option instead",
      );
    }
    this.#client = connection.client;
    this.#owned = connection.owned;
    this.#prefix = prefix;
    this.#errors = respErrorMapper(name, (op) => this.context(op), () => this.#lastError);
    this.#coalescer = this.#owned
      ? new GetCoalescer(
        this.#client,
        (text, collection, key) => this.#decode(text, collection, key),
        (error) => this.#errors.map(error, "get"),
      )
      : undefined;
    if (this.#owned) this.#client.on("error", (error) => void (this.#lastError = error));
  }

  /** The client the store talks through. */
  protected get respClient(): RespClient {
    return this.#client;
  }

  /** Resolves a collection and refuses one the layout cannot keep apart (see RedisStore). */
  protected override resolveCollection(
    options: KeyOptions | undefined,
    operation: StoreOperation,
  ): string {
    const collection = super.resolveCollection(options, operation);
    if (collection !== this.defaultCollection) {
      checkCompoundCollection(collection, this.context(operation));
    }
    return collection;
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
      (error) => isWrongType(error) ? undefined : Promise.reject(this.#errors.map(error, "get")),
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
        (error) => Promise.reject(this.#errors.map(error, "get")),
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
    const args = this.#setArgs(collection, key, entry, this.#px(entry));
    return this.#call("SET", args).then(
      nothing,
      (error) => Promise.reject(this.#errors.map(error, "put")),
    );
  }

  /** Writes many entries: MSET, or one pipeline of SET PX when they expire. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    if (keys.length === 0) return;
    const px = this.#px(entries[0]!);
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

  /** Deletes one entry (see `deleteEntries`). */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    return (await this.deleteEntries(collection, [key])) > 0;
  }

  /**
   * Deletes many entries with one script (per hash slot on a cluster) that
   * deletes each name holding this pair's entry, in the command's place in
   * the connection's order. An entry the clock has expired is deleted but
   * not counted; another pair's entry (its envelope names it) is left alone.
   */
  protected override deleteEntries(collection: string, keys: readonly string[]): Promise<number> {
    const unique = [...new Set(keys)];
    const names = unique.map((key) => this.#name(collection, key));
    return this.#run("delete", async () => {
      const results = await deleteOwn(this.#client, names, collection, unique);
      const now = this.clock.now();
      let deleted = 0;
      const undecoded: number[] = [];
      results.forEach((result, i) => {
        if (result.deleted) deleted += expiredAt(result.expiresAt, now) ? 0 : 1;
        else if ("text" in result) undecoded.push(i);
      });
      if (undecoded.length > 0) {
        const texts = results.map((result) => ("text" in result ? result.text : undefined));
        deleted += await deleteJudged(
          this.#client,
          collection,
          unique,
          names,
          texts,
          undecoded,
          () => this.clock.now(),
        );
      }
      return deleted;
    });
  }

  // ----------------------------------------------------------- capabilities

  /**
   * Lists the live keys of a collection, following SCAN's cursor to the end
   * on every node (glob characters in names are escaped), and reading each
   * page's values (one MGET) to list only entries whose envelope names them.
   * Order is SCAN's.
   */
  protected override async listKeys(
    collection: string,
    limit: number | undefined,
  ): Promise<string[]> {
    const now = () => this.clock.now();
    return await this.#run(
      "keys",
      () => listKeys(this.#client, this.#prefix, collection, limit, now),
    );
  }

  /**
   * Lists the collections that hold live entries (SCAN over every node; the
   * values of names whose collection is not yet confirmed are read, one
   * MGET per page).
   */
  protected override async listCollections(limit: number | undefined): Promise<string[]> {
    const now = () => this.clock.now();
    return await this.#run(
      "collections",
      () => listCollections(this.#client, this.#prefix, limit, now),
    );
  }

  /**
   * Deletes the entries of one collection: the keys under `collection::`
   * whose value is an envelope naming exactly that collection and key.
   * Foreign values under the same pattern are left alone.
   */
  protected override async dropCollection(name: string): Promise<boolean> {
    const deleted = await this.#run("destroy", () => destroyOwn(this.#client, this.#prefix, name));
    this.forgetCollectionSetup(name);
    return deleted > 0;
  }

  /**
   * Deletes every entry in this store's layout: keys `prefix + *::*` whose
   * value is a v1 envelope naming exactly that key's pair. Never FLUSHDB; a
   * key of another application survives (unless it is, byte for byte, an
   * entry in py-key-value's format under its own name).
   */
  protected override async dropAll(): Promise<boolean> {
    await this.#run("destroy", () => destroyOwn(this.#client, this.#prefix));
    this.forgetCollectionSetup();
    return true;
  }

  /**
   * Stores the value only if the key is absent as `get()` sees it; `true`
   * if stored. `SET NX`, atomic; when a value is there that `get()` would
   * not return (the clock expired it, or its envelope names another pair),
   * one compare-and-set script replaces it if it is still unchanged. A key
   * holding another Redis type, or a value that does not parse, is not
   * replaced.
   */
  protected override async putEntryIfAbsent(
    collection: string,
    key: string,
    entry: Entry,
  ): Promise<boolean> {
    const name = this.#name(collection, key);
    const text = dumpEnvelope(entry, key, collection);
    return await this.#run("put", async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const px = this.#px(entry);
        const result = await putIfAbsentScript(this.#client, name, text, px, collection, key);
        if (typeof result === "boolean") return result;
        if (!isAbsent(result, collection, key, this.clock.now())) return false;
        if (await setIfUnchanged(this.#client, name, result, text, px)) return true;
      }
      return false;
    });
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
    return respName(this.#prefix, collection, key);
  }

  #setArgs(collection: string, key: string, entry: Entry, px: number | undefined): RespArg[] {
    const args: RespArg[] = [this.#name(collection, key), dumpEnvelope(entry, key, collection)];
    if (px !== undefined) args.push("PX", px);
    return args;
  }

  // The server's expiry of an entry, in ms from now by the store's clock,
  // rounded up (never before the envelope's deadline).
  #px(entry: Entry): number | undefined {
    if (entry.expiresAt === undefined) return undefined;
    return Math.max(1, Math.ceil(entry.expiresAt - this.clock.now()));
  }

  // The entry a stored text holds for this pair (see readEntry), with a
  // DeserializationError naming the store, the operation and the name.
  #decode(text: unknown, collection: string, key: string): Entry | undefined {
    try {
      return readEntry(text, collection, key);
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
      throw this.#errors.map(error, operation);
    }
  }
}

function nothing(): void {}

// Checks the options against the ones a RESP store takes, before BaseStore
// (which also allows the sanitization strategies) and before any client.
function strict(options: RespStoreOptions, store: string): RespStoreOptions {
  const names = BASE_STORE_OPTIONS.filter((option) => !option.endsWith("SanitizationStrategy"));
  checkOptions(store, options, [...names, ...RESP_OPTIONS]);
  return options;
}

/**
 * The capabilities BaseStore installs on every RESP store from its hooks
 * (`listKeys`, ...): keys, collections, destroyCollection, destroy and
 * putIfAbsent.
 */
export interface RespStore
  extends EnumerateKeys, EnumerateCollections, DestroyCollection, DestroyStore, PutIfAbsent {}
