/**
 * {@linkcode DynamoDBStore}: a store over one Amazon DynamoDB table, in
 * py-key-value's layout, so Python and TypeScript services can share it.
 *
 * @example Usage
 * ```ts ignore
 * import { DynamoDBStore } from "@kv/core/stores/dynamodb";
 * import assert from "node:assert/strict";
 *
 * await using store = new DynamoDBStore({
 *   tableName: "kv",
 *   url: "http://127.0.0.1:8000", // DynamoDB Local; omit for AWS
 * });
 * await store.put("session", { user: "ada" }, { ttl: 60, collection: "sessions" });
 * assert.deepEqual(await store.get("session", { collection: "sessions" }), { user: "ada" });
 * ```
 *
 * @module
 */

// The official AWS SDK v3 client (created in _dynamodb_setup.ts).
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../../core/base_store.ts";
import type { DestroyCollection, EnumerateKeys, PutIfAbsent } from "../../core/capabilities.ts";
import type { Entry } from "../../core/envelope.ts";
import { getEntries, putItems } from "./_batch.ts";
import { checkKeyNames, chunk, type Item, itemKey, toItem } from "./_items.ts";
import { deletePartition, queryKeys } from "./_query.ts";
import { deleteItem, getItemEntry, putItem, putItemIfAbsent } from "./_requests.ts";
import { createContext, type DynamoContext, setupTable } from "./_setup.ts";

/**
 * The client the store needs: the AWS SDK v3 `DynamoDBClient` (or the
 * `DynamoDB` aggregate client) from `@aws-sdk/client-dynamodb`.
 */
export interface DynamoDBClientLike {
  /** Sends a command. */
  send(command: unknown, options?: unknown): Promise<unknown>;
  /** Releases the client's sockets. */
  destroy(): void;
}

/** AWS credentials, or a function that resolves them. */
export type AwsCredentials =
  | { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }
  | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>);

/** Options of {@linkcode DynamoDBStore}. */
export interface DynamoDBStoreOptions extends BaseStoreOptions {
  /** The table holding every collection (created when missing, see `autoCreate`). */
  tableName: string;
  /**
   * A client you built (`new DynamoDBClient(...)`). The store never destroys
   * it; without it the store creates (and owns) one from `url`, `region`,
   * `credentials` and `clientConfig`.
   */
  client?: DynamoDBClientLike;
  /** The endpoint, e.g. `http://127.0.0.1:8000` for DynamoDB Local; AWS's when absent. */
  url?: string;
  /**
   * The region of a created client. @default {the SDK's (AWS_REGION), or
   * "us-east-1" when `url` is set}
   */
  region?: string;
  /**
   * Credentials of a created client. @default {the SDK's provider chain, or
   * dummy keys when `url` is a loopback address (DynamoDB Local accepts any)}
   */
  credentials?: AwsCredentials;
  /**
   * More `DynamoDBClientConfig` fields for a created client, merged over the
   * store's defaults (timeouts, two attempts).
   */
  clientConfig?: object;
  /**
   * Extra `CreateTableCommandInput` fields (Tags, SSESpecification,
   * StreamSpecification, ...) used when the store creates the table; the
   * table name, key schema, attribute definitions and billing mode
   * (PAY_PER_REQUEST) cannot be overridden.
   */
  tableConfig?: object;
  /** Create the table (and enable TTL) when missing; when false, refuse a missing table. @default {true} */
  autoCreate?: boolean;
  /** Strongly consistent reads, so a read always sees the last write. @default {true} */
  consistentRead?: boolean;
  /**
   * Milliseconds a created client waits to connect and for each request;
   * a slower server surfaces as StoreConnectionError. @default {5000}
   */
  timeout?: number;
}

const DELETE_CONCURRENCY = 16;
/** The options {@linkcode DynamoDBStore} adds to the shared ones. */
const OWN_OPTIONS = [
  "tableName",
  "client",
  "url",
  "region",
  "credentials",
  "clientConfig",
  "tableConfig",
  "autoCreate",
  "consistentRead",
  "timeout",
];

/**
 * A store over one DynamoDB table in py-key-value's layout: partition key
 * `collection` (S), sort key `key` (S), `value` the v1 envelope JSON (S), and
 * `ttl` the expiry in epoch seconds (N), with DynamoDB TTL enabled on the
 * table. DynamoDB deletes expired items lazily (up to days later), so every
 * read checks the envelope's `expires_at` to the millisecond.
 *
 * - **`ttl` is the deadline's second rounded down**, as py-key-value writes
 *   it. py-key-value reads `ttl` (whole seconds) as the deadline, so it
 *   never reads one of these entries as live after its deadline (it may
 *   drop one up to a second early, as it does its own). The price: DynamoDB
 *   may treat an item as expired in the last second of its life; its
 *   deletion is lazy (typically days after expiry), so that takes its sweeper
 *   reaching the item in that very second. Rounding up would instead keep
 *   DynamoDB from ever deleting early but let Python read expired entries
 *   for up to a second. This store's own reads use `expires_at`, exact.
 *
 * - Names are stored as given (no sanitization by default); a collection
 *   over 2,048 UTF-8 bytes or a key over 1,024 is refused with
 *   InvalidKeyError naming the strategy that fixes it
 *   (`HashExcessLengthStrategy`). The envelope keeps the original names.
 * - Items are limited to 400 KB: a larger one is a ValueTooLargeError,
 *   raised before anything of the batch is written.
 * - `getMany` uses BatchGetItem (100 keys a request) and `putMany`
 *   BatchWriteItem (25 items a request), retrying unprocessed items with
 *   backoff; `deleteMany` uses concurrent DeleteItem calls so its count is
 *   exact.
 * - Capabilities: keys (Query), destroyCollection (Query plus batch delete)
 *   and putIfAbsent (a conditional PutItem; an expired item counts as absent).
 * - Errors go through the shared mapping: connection failures (refused,
 *   reset, timed out) are StoreConnectionError, any other SDK error a
 *   KeyValueStoreError with it as `cause`. Unknown options are a TypeError.
 * - Every deadline (`delete`'s count, keys(), putIfAbsent) is judged by the
 *   `clock` option; `delete` returns false for an item that had expired.
 * - An item whose envelope records another collection or key (two names
 *   mapped to one by a sanitization strategy) is a miss.
 *
 * @example Sharing a client
 * ```ts ignore
 * import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
 * import { DynamoDBStore } from "@kv/core/stores/dynamodb";
 * import assert from "node:assert/strict";
 *
 * const client = new DynamoDBClient({ region: "eu-west-1" });
 * const store = new DynamoDBStore({ client, tableName: "kv", autoCreate: false });
 * assert.equal(await store.putIfAbsent("lock", { owner: "a" }, { ttl: 30 }), true);
 * assert.equal(await store.putIfAbsent("lock", { owner: "b" }, { ttl: 30 }), false);
 * client.destroy(); // the store never closes a client you built
 * ```
 */
export class DynamoDBStore extends BaseStore {
  /** The table name. */
  readonly tableName: string;
  readonly #ddb: DynamoContext;
  readonly #ownsClient: boolean;
  readonly #tableConfig: Partial<CreateTableCommandInput>;
  readonly #autoCreate: boolean;

  /**
   * Creates the store; nothing is sent until the first operation.
   *
   * @param options See {@linkcode DynamoDBStoreOptions}.
   * @throws {TypeError} When `tableName` is missing.
   */
  constructor(options: DynamoDBStoreOptions) {
    super(options, OWN_OPTIONS);
    if (typeof options?.tableName !== "string" || options.tableName === "") {
      throw new TypeError("Cannot create DynamoDBStore: tableName must be a non-empty string");
    }
    this.tableName = options.tableName;
    this.#tableConfig = (options.tableConfig ?? {}) as Partial<CreateTableCommandInput>;
    this.#autoCreate = options.autoCreate ?? true;
    const created = createContext(
      options,
      this.tableName,
      this.clock,
      (operation) => this.context(operation),
    );
    this.#ddb = created.ddb;
    this.#ownsClient = created.owned;
  }

  /** Destroys the client if the store created it (a client you passed stays open). */
  close(): Promise<void> {
    if (this.#ownsClient) this.#ddb.client.destroy();
    return Promise.resolve();
  }

  /** Same as {@linkcode DynamoDBStore.prototype.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Checks the table (creating it when allowed) and enables TTL on `ttl`. */
  protected override async setupStore(): Promise<void> {
    await setupTable(this.#ddb, this.#autoCreate, this.#tableConfig);
  }

  /** Reads one entry. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    return await getItemEntry(
      this.#ddb,
      () => this.#key(collection, key, "get"),
      { collection, key },
    );
  }

  /** Reads many entries with BatchGetItem, 100 keys a request. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    const sortKeys = keys.map((key) => this.#names(collection, key, "get").key);
    const partition = this.#names(collection, keys[0] ?? "x", "get").collection;
    return await getEntries(this.#ddb, partition, sortKeys, { collection, keys });
  }

  /** Writes one entry. */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    await putItem(this.#ddb, this.#item(collection, key, entry));
  }

  /** Writes many entries with BatchWriteItem, 25 items a request. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    await putItems(this.#ddb, keys.map((key, i) => this.#item(collection, key, entries[i]!)));
  }

  /** Deletes one entry; false when it was missing or already expired. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    return await deleteItem(
      this.#ddb,
      () => this.#key(collection, key, "delete"),
      { collection, key },
    );
  }

  /** Deletes many entries with concurrent DeleteItem calls (exact count). */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    for (const key of keys) this.#names(collection, key, "delete");
    let count = 0;
    for (const part of chunk([...new Set(keys)], DELETE_CONCURRENCY)) {
      const results = await Promise.all(part.map((key) => this.deleteEntry(collection, key)));
      count += results.filter(Boolean).length;
    }
    return count;
  }

  /** Lists the live keys of a collection with Query (original names). */
  protected override async listKeys(
    collection: string,
    limit: number | undefined,
  ): Promise<string[]> {
    const partition = this.#names(collection, "x", "keys").collection;
    const recordsOriginal = this.keySanitizationStrategy !== undefined;
    return await queryKeys(this.#ddb, partition, { limit, recordsOriginal });
  }

  /** Deletes every item of a collection (Query, then BatchWriteItem); `true` if any existed. */
  protected override async dropCollection(name: string): Promise<boolean> {
    const partition = this.#names(name, "x", "destroy").collection;
    return await deletePartition(this.#ddb, partition) > 0;
  }

  /**
   * Stores `value` only if the key has no live item, atomically: a
   * conditional PutItem, and for an expired item a PutItem conditioned on
   * the expired item's exact `value`. `true` if stored.
   */
  protected override async putEntryIfAbsent(
    collection: string,
    key: string,
    entry: Entry,
  ): Promise<boolean> {
    return await putItemIfAbsent(this.#ddb, this.#item(collection, key, entry), {
      collection,
      key,
    });
  }

  // ------------------------------------------------------------ internals

  #names(collection: string, key: string, operation: StoreOperation) {
    const names = { collection: this.sanitizeCollection(collection), key: this.sanitizeKey(key) };
    checkKeyNames(names.collection, names.key, this.context(operation));
    return names;
  }

  #key(collection: string, key: string, operation: StoreOperation): Item {
    const names = this.#names(collection, key, operation);
    return itemKey(names.collection, names.key);
  }

  #item(collection: string, key: string, entry: Entry): Item {
    return toItem(
      this.#names(collection, key, "put"),
      { collection, key },
      entry,
      this.context("put"),
    );
  }
}

/**
 * The capabilities BaseStore installs on every DynamoDBStore from its hooks
 * (`listKeys`, ...), as the class JSDoc lists them.
 */
export interface DynamoDBStore extends EnumerateKeys, DestroyCollection, PutIfAbsent {}
