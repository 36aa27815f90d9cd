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

// The official MongoDB Node.js driver (the client is created in _mongodb_setup.ts).
import type { Collection, Db, MongoClient } from "mongodb";
import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../../core/base_store.ts";
import type {
  Cull,
  DestroyCollection,
  EnumerateCollections,
  EnumerateKeys,
  PutIfAbsent,
} from "../../core/capabilities.ts";
import type { Entry } from "../../core/envelope.ts";
import type { SanitizationStrategy } from "../../core/sanitization.ts";
import { checkOptions } from "../../core/options.ts";
import {
  deleteLive,
  findEntries,
  findEntry,
  insertIfAbsent,
  upsertEntries,
  upsertEntry,
} from "./_batch.ts";
import {
  isConnectionFailure,
  type KvDocument,
  mongoCollectionName,
  MongoDBWhenNeededStrategy,
} from "./_documents.ts";
import { cullExpired, dropIfExists, liveCollections, liveKeys } from "./_enumerate.ts";
import { createClient, ensureCollection } from "./_setup.ts";
import { ErrorMapper } from "../_shared/errors.ts";
import { setupName } from "../_shared/setup.ts";

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
/** The options {@linkcode MongoDBStore} adds to the shared ones. */
const OWN_OPTIONS = ["url", "client", "database", "autoCreate", "timeout"];
/** Every option {@linkcode MongoDBStore} accepts (it takes no key strategy). */
const VALID_OPTIONS = [
  ...OWN_OPTIONS,
  "defaultCollection",
  "collectionSanitizationStrategy",
  "seed",
  "clock",
];

function checked(options: MongoDBStoreOptions): MongoDBStoreOptions {
  checkOptions("MongoDBStore", options, VALID_OPTIONS);
  return options;
}

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
 * - Names are injective: the default collection strategy keeps a name
 *   MongoDB can hold unless it is shaped like a sanitized name
 *   (`S_<name>-<8 hex digits>`), which is sanitized too, so no two
 *   collections share a Mongo collection; the V1 strategy refuses the names
 *   py-key-value would cut without a hash. A document that records another
 *   collection (a custom strategy that maps two names to one) is a miss
 *   for reads, deletes and keys().
 * - Every deadline (the read filter, deletes, keys(), collections(),
 *   `cull()`, putIfAbsent) is judged by the `clock` option; the TTL index
 *   uses the server's clock.
 * - Errors go through the shared mapping: connection failures (socket
 *   codes, the driver's network and server-selection errors) are
 *   StoreConnectionError, any other driver error a KeyValueStoreError with
 *   it as `cause`; a document without `value.object` is a
 *   DeserializationError. Unknown options are a TypeError.
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
export class MongoDBStore extends BaseStore {
  /** The database name. */
  readonly database: string;
  readonly #client: MongoClient;
  readonly #ownsClient: boolean;
  readonly #db: Db;
  readonly #strategy: SanitizationStrategy;
  readonly #autoCreate: boolean;
  readonly #collections = new Map<string, Collection<KvDocument>>();
  readonly #errors: ErrorMapper;
  #ttlIndexes = true;

  /**
   * Creates the store; nothing is sent until the first operation.
   *
   * @param options See {@linkcode MongoDBStoreOptions}.
   * @throws {TypeError} When neither `url` nor `client` is given.
   */
  constructor(options: MongoDBStoreOptions) {
    super(checked(options), OWN_OPTIONS);
    this.database = options.database ?? DEFAULT_DATABASE;
    this.#strategy = options.collectionSanitizationStrategy ?? new MongoDBWhenNeededStrategy();
    this.#autoCreate = options.autoCreate ?? true;
    if (options.client) {
      this.#client = options.client as unknown as MongoClient;
      this.#ownsClient = false;
    } else if (typeof options.url === "string") {
      this.#client = createClient(options.url, options.timeout ?? 5000);
      this.#ownsClient = true;
    } else {
      throw new TypeError("Cannot create MongoDBStore: pass a url or a client");
    }
    this.#db = this.#client.db(this.database);
    this.#errors = new ErrorMapper({
      store: "MongoDBStore",
      extraInfo: { database: this.database },
      context: (operation) => this.context(operation),
      isConnectionFailure,
    });
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
    const name = setupName(() => this.#name(collection, "put"));
    if (name === undefined) return;
    const options = { autoCreate: this.#autoCreate, ttlIndexes: this.#ttlIndexes };
    const ttl = await this.#errors.call(
      "setup",
      () => ensureCollection(this.#db, name, collection, options),
    );
    if (!ttl) this.#ttlIndexes = false;
    this.#collections.set(collection, this.#db.collection<KvDocument>(name));
  }

  #name(collection: string, operation: StoreOperation): string {
    return mongoCollectionName(collection, this.#strategy, this.context(operation));
  }

  #handle(collection: string): Collection<KvDocument> {
    // Set up through this store, or else (cannot happen after prepare()) derived.
    return this.#collections.get(collection) ??
      this.#db.collection<KvDocument>(this.#name(collection, "get"));
  }

  /** Reads one entry. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    return await this.#errors.call(
      "get",
      () => findEntry(this.#handle(collection), collection, key),
    );
  }

  /** Reads many entries with one `find` and `$in`. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    if (keys.length === 0) return [];
    return await this.#errors.call(
      "get",
      () => findEntries(this.#handle(collection), collection, keys),
    );
  }

  /** Writes one entry (a replacing upsert, so no field of an older entry survives). */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    await this.#errors.call(
      "put",
      () => upsertEntry(this.#handle(collection), collection, key, entry),
    );
  }

  /** Writes many entries with one `bulkWrite` of replacing upserts. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    if (keys.length > 0) {
      await this.#errors.call(
        "put",
        () => upsertEntries(this.#handle(collection), collection, keys, entries),
      );
    }
  }

  /** Deletes one live entry. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    return await this.#errors.call(
      "delete",
      () => deleteLive(this.#handle(collection), collection, key, this.clock.now()),
    ) > 0;
  }

  /** Deletes many live entries with one `deleteMany`. */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    if (keys.length === 0) return 0;
    return await this.#errors.call(
      "delete",
      () => deleteLive(this.#handle(collection), collection, keys, this.clock.now()),
    );
  }

  /** Lists the live keys of a collection. */
  protected override async listKeys(
    collection: string,
    limit: number | undefined,
  ): Promise<string[]> {
    return await this.#errors.call(
      "keys",
      () => liveKeys(this.#handle(collection), collection, limit, this.clock.now()),
    );
  }

  /**
   * Lists the collections holding live entries, by their original names
   * (read from the documents, so sanitized names map back).
   */
  protected override async listCollections(limit: number | undefined): Promise<string[]> {
    return await this.#errors.call(
      "collections",
      () => liveCollections(this.#db, limit, this.clock.now()),
    );
  }

  /** Drops a collection's Mongo collection; `true` if it existed. */
  protected override async dropCollection(resolved: string): Promise<boolean> {
    const name = this.#name(resolved, "destroy");
    const existed = await this.#errors.call("destroy", () => dropIfExists(this.#db, name));
    this.#collections.delete(resolved);
    this.forgetCollectionSetup(resolved);
    return existed;
  }

  /** Deletes every expired document of every collection now; returns how many. */
  protected override async removeExpired(): Promise<number> {
    return await this.#errors.call("destroy", () => cullExpired(this.#db, this.clock.now()));
  }

  /**
   * Stores `value` only if the key has no live entry: one upsert that can
   * replace only an expired document, so the unique index on `key` lets
   * exactly one of many concurrent callers win. `true` if stored.
   */
  protected override async putEntryIfAbsent(
    collection: string,
    key: string,
    entry: Entry,
  ): Promise<boolean> {
    return await this.#errors.call(
      "put",
      () => insertIfAbsent(this.#handle(collection), collection, key, entry, this.clock.now()),
    );
  }
}

/**
 * The capabilities BaseStore installs on every MongoDBStore from its hooks
 * (`listKeys`, ...), as the class JSDoc lists them.
 */
export interface MongoDBStore
  extends EnumerateKeys, EnumerateCollections, DestroyCollection, Cull, PutIfAbsent {}
