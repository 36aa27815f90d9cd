/**
 * {@linkcode MongoDBStore}: a store over a MongoDB database (or FerretDB), in
 * py-key-value's layout, so Python and TypeScript services can share it.
 *
 * @example Usage
 * ```ts ignore
 * import { MongoDBStore } from "@kv/core/stores/mongodb";
 * import assert from "node:assert/strict";
 *
 * await using store = new MongoDBStore({ url: "mongodb://127.0.0.1:27017" });
 * await store.put("session", { user: "ada" }, { ttl: 60, collection: "sessions" });
 * assert.deepEqual(await store.get("session", { collection: "sessions" }), { user: "ada" });
 * ```
 *
 * @module
 */

// The official MongoDB Node.js driver.
import {
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  MongoClient,
  type MongoClientOptions,
} from "mongodb";
import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../core/base_store.ts";
import type {
  CollectionsOptions,
  Cull,
  DestroyCollection,
  EnumerateCollections,
  EnumerateKeys,
  KeysOptions,
  PutIfAbsent,
} from "../core/capabilities.ts";
import type { Entry } from "../core/envelope.ts";
import { InvalidKeyError, StoreConnectionError, StoreSetupError } from "../core/errors.ts";
import type { PutOptions, Value } from "../core/protocol.ts";
import type { SanitizationStrategy } from "../core/sanitization.ts";
import {
  errorCode,
  fromDocument,
  isConnectionFailure,
  type KvDocument,
  liveFilter,
  mongoCollectionName,
  MongoDBWhenNeededStrategy,
  toDocument,
} from "./_mongodb_documents.ts";

/**
 * The client the store needs: a `MongoClient` from the `mongodb` package.
 */
export interface MongoClientLike {
  /** Returns a database handle. */
  db(name: string): unknown;
  /** Closes the client. */
  close(): Promise<void>;
}

/** Options of {@linkcode MongoDBStore}. */
export interface MongoDBStoreOptions extends Omit<BaseStoreOptions, "keySanitizationStrategy"> {
  /** A connection string, e.g. `mongodb://127.0.0.1:27017`; the store owns the client it creates. */
  url?: string;
  /** A `MongoClient` you built; the store never closes it. */
  client?: MongoClientLike;
  /** The database. @default {"kv-store-adapter"} */
  database?: string;
  /**
   * How a collection becomes a Mongo collection name. By default a name
   * MongoDB can hold is kept, and any other (with `$` or NUL, a leading `.`
   * or `system.`, over 200 bytes) is sanitized like py-key-value's
   * `MongoDBV1CollectionSanitizationStrategy`, except that over-long names
   * are hashed rather than only cut. Pass
   * `new MongoDBV1CollectionSanitizationStrategy()` to get py-key-value's
   * V1 names for every collection.
   */
  collectionSanitizationStrategy?: SanitizationStrategy;
  /** Create missing collections (with their indexes); when false, refuse them. @default {true} */
  autoCreate?: boolean;
  /**
   * Milliseconds a created client waits to select a server or connect, so
   * an unreachable server surfaces as StoreConnectionError. @default {5000}
   */
  timeout?: number;
}

const DEFAULT_DATABASE = "kv-store-adapter";
const DUPLICATE_KEY = 11000;
const NAMESPACE_EXISTS = 48;
const INDEX_CONFLICTS = new Set([85, 86]);
const NOT_IMPLEMENTED = 238;

/**
 * A store over one MongoDB database in py-key-value's layout: one Mongo
 * collection per KV collection, one document per key,
 * `{key, collection, version: 1, value: {object: <value>}, created_at,
 * expires_at}` with BSON dates, a unique index on `key` and a TTL index on
 * `expires_at` (MongoDB removes expired documents within about a minute;
 * FerretDB, which has no TTL indexes, is tolerated). Every read also
 * checks `expires_at`, so expiry is exact to the millisecond.
 *
 * - Values are native BSON objects; a value of a shape some servers refuse
 *   (property names containing `.` or starting with `$`, arrays directly
 *   inside arrays: FerretDB rejects both) is stored as JSON text in
 *   `value.object`, which py-key-value also reads.
 * - `getMany` is one `find` with `$in`, `putMany` one `bulkWrite` of upserts,
 *   `deleteMany` one `deleteMany`.
 * - Capabilities: keys, collections (the original names, read back from the
 *   documents), destroyCollection (drops the Mongo collection), cull and
 *   putIfAbsent (atomic through the unique index).
 * - `delete` and `deleteMany` count only live entries; an expired document
 *   is left for the TTL index or `cull()`.
 * - Connection failures are StoreConnectionError; a document without
 *   `value.object` is a DeserializationError.
 *
 * @example Sharing a client
 * ```ts ignore
 * import { MongoClient } from "mongodb";
 * import { MongoDBStore } from "@kv/core/stores/mongodb";
 * import assert from "node:assert/strict";
 *
 * const client = new MongoClient("mongodb://127.0.0.1:27017");
 * const store = new MongoDBStore({ client, database: "cache" });
 * await store.put("k", { a: 1 }, { collection: "users!" }); // stored in "S_users_-<hash>"
 * assert.deepEqual(await store.collections(), ["users!"]);
 * await client.close(); // the store never closes a client you built
 * ```
 */
export class MongoDBStore extends BaseStore
  implements EnumerateKeys, EnumerateCollections, DestroyCollection, Cull, PutIfAbsent {
  /** The database name. */
  readonly database: string;
  readonly #client: MongoClient;
  readonly #ownsClient: boolean;
  readonly #db: Db;
  readonly #strategy: SanitizationStrategy;
  readonly #autoCreate: boolean;
  readonly #collections = new Map<string, Collection<KvDocument>>();
  #ttlIndexes = true;

  /**
   * Creates the store; nothing is sent until the first operation.
   *
   * @param options See {@linkcode MongoDBStoreOptions}.
   * @throws {TypeError} When neither `url` nor `client` is given.
   */
  constructor(options: MongoDBStoreOptions) {
    super(options);
    this.database = options.database ?? DEFAULT_DATABASE;
    this.#strategy = options.collectionSanitizationStrategy ?? new MongoDBWhenNeededStrategy();
    this.#autoCreate = options.autoCreate ?? true;
    if (options.client) {
      this.#client = options.client as unknown as MongoClient;
      this.#ownsClient = false;
    } else if (typeof options.url === "string") {
      const timeout = options.timeout ?? 5000;
      this.#client = new MongoClient(options.url, {
        serverSelectionTimeoutMS: timeout,
        connectTimeoutMS: timeout,
      } as MongoClientOptions);
      this.#ownsClient = true;
    } else {
      throw new TypeError("Cannot create MongoDBStore: pass a url or a client");
    }
    this.#db = this.#client.db(this.database);
  }

  /** Whether the server accepted the TTL index (FerretDB does not); known after setup. */
  get hasTtlIndexes(): boolean {
    return this.#ttlIndexes;
  }

  /** Closes the client if the store created it (a client you passed stays open). */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.close();
  }

  /** Same as {@linkcode MongoDBStore.prototype.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Creates the Mongo collection and its indexes (unique `key`, TTL `expires_at`). */
  protected override async setupCollection(collection: string): Promise<void> {
    let name: string;
    try {
      name = mongoCollectionName(collection, this.#strategy, this.context("put"));
    } catch (error) {
      // A name MongoDB cannot hold: the operation itself reports InvalidKeyError.
      if (error instanceof InvalidKeyError) return;
      throw error;
    }
    const handle = this.#db.collection<KvDocument>(name);
    await this.#call("setup", async () => {
      if (!this.#autoCreate) {
        const found = await this.#db.listCollections({ name }, { nameOnly: true }).toArray();
        if (found.length === 0) {
          throw new StoreSetupError(
            `Cannot set up MongoDBStore: collection ${JSON.stringify(name)} does not exist ` +
              "and autoCreate is false",
            { extraInfo: { store: "MongoDBStore", collection } },
          );
        }
        return;
      }
      try {
        await this.#db.createCollection(name);
      } catch (error) {
        if (errorCode(error) !== NAMESPACE_EXISTS) throw error;
      }
      await this.#ensureIndexes(handle);
    });
    this.#collections.set(collection, handle);
  }

  async #ensureIndexes(handle: Collection<KvDocument>): Promise<void> {
    try {
      await handle.createIndex({ key: 1 }, { unique: true, name: "key_1" });
    } catch (error) {
      // A collection py-key-value created has a non-unique key index: keep it.
      if (!INDEX_CONFLICTS.has(errorCode(error) ?? 0)) throw error;
    }
    if (!this.#ttlIndexes) return;
    try {
      await handle.createIndex({ expires_at: 1 }, { expireAfterSeconds: 0 });
    } catch (error) {
      const code = errorCode(error);
      // FerretDB: "Index option expireAfterSeconds is not implemented yet".
      if (code === NOT_IMPLEMENTED) this.#ttlIndexes = false;
      else if (!INDEX_CONFLICTS.has(code ?? 0)) throw error;
    }
  }

  #handle(collection: string): Collection<KvDocument> {
    const handle = this.#collections.get(collection);
    if (handle) return handle;
    // Not set up through this store (cannot happen after prepare()); derive it.
    return this.#db.collection<KvDocument>(
      mongoCollectionName(collection, this.#strategy, this.context("get")),
    );
  }

  /** Reads one entry. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    const doc = await this.#call("get", () => this.#handle(collection).findOne({ key }));
    return doc ? fromDocument(doc as unknown as Record<string, unknown>) : undefined;
  }

  /** Reads many entries with one `find` and `$in`. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    if (keys.length === 0) return [];
    const unique = [...new Set(keys)];
    const docs = await this.#call(
      "get",
      () => this.#handle(collection).find({ key: { $in: unique } }).toArray(),
    );
    const byKey = new Map<string, Record<string, unknown>>();
    for (const doc of docs) byKey.set(doc.key, doc as unknown as Record<string, unknown>);
    // A repeated key gets its own copy, so callers never share a value object.
    const seen = new Set<string>();
    return keys.map((key) => {
      const doc = byKey.get(key);
      if (!doc) return undefined;
      if (seen.has(key)) return fromDocument(structuredClone(doc));
      seen.add(key);
      return fromDocument(doc);
    });
  }

  /** Writes one entry (a replacing upsert, so no field of an older entry survives). */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    const doc = toDocument(collection, key, entry);
    await this.#call(
      "put",
      () =>
        retryUpsertRace(() =>
          this.#handle(collection).replaceOne({ key }, doc, { upsert: true, ignoreUndefined: true })
        ),
    );
  }

  /** Writes many entries with one `bulkWrite` of replacing upserts. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    if (keys.length === 0) return;
    const operations: AnyBulkWriteOperation<KvDocument>[] = keys.map((key, i) => ({
      replaceOne: {
        filter: { key },
        replacement: toDocument(collection, key, entries[i]!),
        upsert: true,
      },
    }));
    await this.#call(
      "put",
      () =>
        retryUpsertRace(() =>
          this.#handle(collection).bulkWrite(operations, { ordered: true, ignoreUndefined: true })
        ),
    );
  }

  /** Deletes one live entry. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    const result = await this.#call(
      "delete",
      () => this.#handle(collection).deleteOne({ key, ...liveFilter(Date.now()) }),
    );
    return result.deletedCount > 0;
  }

  /** Deletes many live entries with one `deleteMany`. */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    if (keys.length === 0) return 0;
    const result = await this.#call(
      "delete",
      () =>
        this.#handle(collection).deleteMany({
          key: { $in: [...new Set(keys)] },
          ...liveFilter(Date.now()),
        }),
    );
    return result.deletedCount;
  }

  /** Lists the live keys of a collection. */
  async keys(options?: KeysOptions): Promise<string[]> {
    const { collection, limit } = await this.beginKeys(options);
    const docs = await this.#call("keys", () => {
      const cursor = this.#handle(collection).find(liveFilter(Date.now()), {
        projection: { key: 1, _id: 0 },
      });
      return (limit === undefined ? cursor : cursor.limit(limit)).toArray();
    });
    return docs.map((doc) => doc.key);
  }

  /**
   * Lists the collections holding live entries, by their original names
   * (read from the documents, so sanitized names map back).
   */
  async collections(options?: CollectionsOptions): Promise<string[]> {
    const limit = await this.beginCollections(options);
    const now = Date.now();
    return await this.#call("collections", async () => {
      const infos = await this.#db.listCollections({}, { nameOnly: true }).toArray();
      const names = infos.map((info) => info.name).filter((name) => !name.startsWith("system."));
      const found = await Promise.all(names.map(async (name) => {
        const doc = await this.#db.collection<KvDocument>(name).findOne(liveFilter(now), {
          projection: { collection: 1, _id: 0 },
        });
        if (!doc) return undefined;
        return typeof doc.collection === "string" ? doc.collection : name;
      }));
      const live = found.filter((name): name is string => name !== undefined).sort();
      return limit === undefined ? live : live.slice(0, limit);
    });
  }

  /** Drops a collection's Mongo collection; `true` if it existed. */
  async destroyCollection(collection: string): Promise<boolean> {
    const resolved = await this.beginDestroyCollection(collection);
    const name = mongoCollectionName(resolved, this.#strategy, this.context("destroy"));
    const existed = await this.#call("destroy", async () => {
      const found = await this.#db.listCollections({ name }, { nameOnly: true }).toArray();
      if (found.length === 0) return false;
      await this.#db.dropCollection(name);
      return true;
    });
    this.#collections.delete(resolved);
    this.forgetCollectionSetup(resolved);
    return existed;
  }

  /** Deletes every expired document of every collection now; returns how many. */
  async cull(): Promise<number> {
    await this.ensureSetup();
    const now = new Date();
    return await this.#call("destroy", async () => {
      const infos = await this.#db.listCollections({}, { nameOnly: true }).toArray();
      const counts = await Promise.all(
        infos
          .filter((info) => !info.name.startsWith("system."))
          .map((info) => this.#db.collection(info.name).deleteMany({ expires_at: { $lte: now } })),
      );
      return counts.reduce((sum, result) => sum + result.deletedCount, 0);
    });
  }

  /**
   * Stores `value` only if the key has no live entry: one upsert that can
   * replace only an expired document, so the unique index on `key` lets
   * exactly one of many concurrent callers win. `true` if stored.
   */
  async putIfAbsent(key: string, value: Value, options?: PutOptions): Promise<boolean> {
    const { collection, entry } = await this.beginPutIfAbsent(key, value, options);
    const doc = toDocument(collection, key, entry);
    try {
      await this.#handle(collection).replaceOne(
        { key, expires_at: { $lte: new Date() } },
        doc,
        { upsert: true, ignoreUndefined: true },
      );
      return true;
    } catch (error) {
      if (errorCode(error) === DUPLICATE_KEY) return false;
      throw this.#mapError(error, "put");
    }
  }

  async #call<T>(operation: StoreOperation | "setup", run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.#mapError(error, operation);
    }
  }

  /** The one place where driver errors become this library's errors. */
  #mapError(error: unknown, operation: StoreOperation | "setup"): unknown {
    if (!isConnectionFailure(error)) return error;
    const reason = error instanceof Error ? error.message || error.name : String(error);
    const action = operation === "setup" ? "set up MongoDBStore" : this.context(operation);
    return new StoreConnectionError(`Cannot ${action}: ${reason}`, {
      extraInfo: { store: "MongoDBStore", database: this.database },
      cause: error,
    });
  }
}

/**
 * Runs an upsert again when a concurrent upsert of the same key inserted
 * first (E11000 on the unique key index): the retry then replaces that
 * document. MongoDB retries some of these itself; FerretDB does not.
 */
async function retryUpsertRace<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (errorCode(error) !== DUPLICATE_KEY || attempt >= 5) throw error;
    }
  }
}
