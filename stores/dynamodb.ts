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

// The official AWS SDK v3 client: modular, typed, and the one AWS maintains.
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../core/base_store.ts";
import type {
  DestroyCollection,
  EnumerateKeys,
  KeysOptions,
  PutIfAbsent,
} from "../core/capabilities.ts";
import type { Entry } from "../core/envelope.ts";
import { KeyValueStoreError, StoreConnectionError, StoreSetupError } from "../core/errors.ts";
import type { PutOptions, Value } from "../core/protocol.ts";
import {
  backoffMs,
  BATCH_GET_SIZE,
  BATCH_WRITE_SIZE,
  checkKeyNames,
  chunk,
  fromItem,
  isConnectionFailure,
  type Item,
  itemKey,
  liveness,
  originalKey,
  toItem,
} from "./_dynamodb_items.ts";

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

const LOOPBACK = /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i;
const MAX_BATCH_ATTEMPTS = 10;
const DELETE_CONCURRENCY = 16;

/**
 * A store over one DynamoDB table in py-key-value's layout: partition key
 * `collection` (S), sort key `key` (S), `value` the v1 envelope JSON (S), and
 * `ttl` the expiry in epoch seconds (N), rounded up, with DynamoDB TTL
 * enabled on the table. DynamoDB deletes expired items lazily (up to days
 * later), so every read checks the envelope's `expires_at` to the
 * millisecond.
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
 * - Connection failures (refused, reset, timed out) are StoreConnectionError.
 * - `delete` returns false for an item that had already expired.
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
export class DynamoDBStore extends BaseStore
  implements EnumerateKeys, DestroyCollection, PutIfAbsent {
  /** The table name. */
  readonly tableName: string;
  readonly #client: DynamoDBClient;
  readonly #ownsClient: boolean;
  readonly #tableConfig: Partial<CreateTableCommandInput>;
  readonly #autoCreate: boolean;
  readonly #consistent: boolean;

  /**
   * Creates the store; nothing is sent until the first operation.
   *
   * @param options See {@linkcode DynamoDBStoreOptions}.
   * @throws {TypeError} When `tableName` is missing.
   */
  constructor(options: DynamoDBStoreOptions) {
    super(options);
    if (typeof options?.tableName !== "string" || options.tableName === "") {
      throw new TypeError("Cannot create DynamoDBStore: tableName must be a non-empty string");
    }
    this.tableName = options.tableName;
    this.#tableConfig = (options.tableConfig ?? {}) as Partial<CreateTableCommandInput>;
    this.#autoCreate = options.autoCreate ?? true;
    this.#consistent = options.consistentRead ?? true;
    if (options.client) {
      this.#client = options.client as unknown as DynamoDBClient;
      this.#ownsClient = false;
    } else {
      this.#client = new DynamoDBClient(createdClientConfig(options));
      this.#ownsClient = true;
    }
  }

  /** Destroys the client if the store created it (a client you passed stays open). */
  close(): Promise<void> {
    if (this.#ownsClient) this.#client.destroy();
    return Promise.resolve();
  }

  /** Same as {@linkcode DynamoDBStore.prototype.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Checks the table (creating it when allowed) and enables TTL on `ttl`. */
  protected override async setupStore(): Promise<void> {
    const TableName = this.tableName;
    let exists = true;
    try {
      await this.#client.send(new DescribeTableCommand({ TableName }));
    } catch (error) {
      if (!isNamed(error, "ResourceNotFoundException")) throw this.#mapError(error, "setup");
      exists = false;
    }
    if (!exists) {
      if (!this.#autoCreate) {
        throw new StoreSetupError(
          `Cannot set up DynamoDBStore: table ${JSON.stringify(TableName)} does not exist ` +
            "and autoCreate is false",
          { extraInfo: { store: "DynamoDBStore", tableName: TableName } },
        );
      }
      await this.#createTable();
    }
    const ttl = await this.#call(
      "setup",
      () => this.#client.send(new DescribeTimeToLiveCommand({ TableName })),
    );
    const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
    if (status === undefined || status === "DISABLED") {
      await this.#call("setup", () =>
        this.#client.send(
          new UpdateTimeToLiveCommand({
            TableName,
            TimeToLiveSpecification: { Enabled: true, AttributeName: "ttl" },
          }),
        ));
    }
  }

  async #createTable(): Promise<void> {
    const TableName = this.tableName;
    try {
      await this.#client.send(
        new CreateTableCommand({
          ...this.#tableConfig,
          TableName,
          KeySchema: [
            { AttributeName: "collection", KeyType: "HASH" },
            { AttributeName: "key", KeyType: "RANGE" },
          ],
          AttributeDefinitions: [
            { AttributeName: "collection", AttributeType: "S" },
            { AttributeName: "key", AttributeType: "S" },
          ],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
    } catch (error) {
      // Another process created it first: fine.
      if (!isNamed(error, "ResourceInUseException")) throw this.#mapError(error, "setup");
    }
    try {
      await waitUntilTableExists(
        { client: this.#client, maxWaitTime: 120, minDelay: 1, maxDelay: 5 },
        { TableName },
      );
    } catch (error) {
      throw this.#mapError(error, "setup");
    }
  }

  /** Reads one entry. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    const result = await this.#call("get", () =>
      this.#client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: this.#key(collection, key, "get"),
          ConsistentRead: this.#consistent,
        }),
      ));
    return result.Item ? fromItem(result.Item) : undefined;
  }

  /** Reads many entries with BatchGetItem, 100 keys a request. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    const sanitized = keys.map((key) => this.#names(collection, key, "get").key);
    const unique = [...new Set(sanitized)];
    const found = new Map<string, Entry>();
    const names = this.#names(collection, keys[0] ?? "x", "get");
    await Promise.all(
      chunk(unique, BATCH_GET_SIZE).map(async (part) => {
        for (const item of await this.#batchGet(names.collection, part)) {
          const sortKey = (item.key as { S?: string } | undefined)?.S;
          if (sortKey !== undefined) found.set(sortKey, fromItem(item));
        }
      }),
    );
    // A repeated key gets its own entry, so callers never share a value object.
    const seen = new Set<string>();
    return sanitized.map((key) => {
      const entry = found.get(key);
      if (entry === undefined || !seen.has(key)) {
        seen.add(key);
        return entry;
      }
      return { ...entry, value: structuredClone(entry.value) };
    });
  }

  async #batchGet(
    collection: string,
    keys: readonly string[],
    projection?: string,
  ): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let pending: Record<string, AttributeValue>[] = keys.map((key) => itemKey(collection, key));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) throw this.#unprocessed(pending.length, "get");
      if (attempt > 0) await sleep(backoffMs(attempt - 1));
      const request = {
        Keys: pending,
        ConsistentRead: this.#consistent,
        ...(projection
          ? {
            ProjectionExpression: projection,
            ExpressionAttributeNames: { "#k": "key", "#v": "value", "#t": "ttl" },
          }
          : {}),
      };
      const result = await this.#call(
        "get",
        () =>
          this.#client.send(
            new BatchGetItemCommand({ RequestItems: { [this.tableName]: request } }),
          ),
      );
      items.push(...(result.Responses?.[this.tableName] ?? []));
      pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return items;
  }

  /** Writes one entry. */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    const item = this.#item(collection, key, entry);
    await this.#call(
      "put",
      () => this.#client.send(new PutItemCommand({ TableName: this.tableName, Item: item })),
    );
  }

  /** Writes many entries with BatchWriteItem, 25 items a request. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    // BatchWriteItem refuses a repeated key in one request: the last value wins.
    const items = new Map<string, Item>();
    keys.forEach((key, i) => {
      const item = this.#item(collection, key, entries[i]!);
      const sortKey = (item.key as { S: string }).S;
      items.delete(sortKey);
      items.set(sortKey, item);
    });
    const requests = [...items.values()].map((Item): WriteRequest => ({ PutRequest: { Item } }));
    await Promise.all(
      chunk(requests, BATCH_WRITE_SIZE).map((part) => this.#batchWrite(part, "put")),
    );
  }

  async #batchWrite(requests: WriteRequest[], operation: StoreOperation): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) throw this.#unprocessed(pending.length, operation);
      if (attempt > 0) await sleep(backoffMs(attempt - 1));
      const result = await this.#call(operation, () =>
        this.#client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }),
        ));
      pending = result.UnprocessedItems?.[this.tableName] ?? [];
    }
  }

  /** Deletes one entry; false when it was missing or already expired. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    const result = await this.#call("delete", () =>
      this.#client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: this.#key(collection, key, "delete"),
          ReturnValues: "ALL_OLD",
        }),
      ));
    if (!result.Attributes) return false;
    const expiresAt = safeExpiry(result.Attributes);
    return expiresAt === undefined || expiresAt > Date.now();
  }

  /** Deletes many entries with concurrent DeleteItem calls (exact count). */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    for (const key of keys) this.#names(collection, key, "delete");
    const unique = [...new Set(keys)];
    let count = 0;
    for (const part of chunk(unique, DELETE_CONCURRENCY)) {
      const results = await Promise.all(part.map((key) => this.deleteEntry(collection, key)));
      count += results.filter(Boolean).length;
    }
    return count;
  }

  /** Lists the live keys of a collection with Query (original names). */
  async keys(options?: KeysOptions): Promise<string[]> {
    const { collection, limit } = await this.beginKeys(options);
    const partition = this.#names(collection, "x", "keys").collection;
    const recordsOriginal = this.keySanitizationStrategy !== undefined;
    const keys: string[] = [];
    const max = limit ?? Infinity;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#call("keys", () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: "#c = :c",
            ExpressionAttributeNames: { "#c": "collection", "#k": "key", "#t": "ttl" },
            ExpressionAttributeValues: { ":c": { S: partition } },
            ProjectionExpression: "#k, #t",
            ConsistentRead: this.#consistent,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ));
      start = page.LastEvaluatedKey;
      const now = Date.now();
      const live: string[] = [];
      const unsure: string[] = [];
      for (const item of page.Items ?? []) {
        const sortKey = (item.key as { S?: string }).S!;
        const state = liveness(item, now);
        if (state === "live" && !recordsOriginal) live.push(sortKey);
        else if (state !== "expired") unsure.push(sortKey);
      }
      if (unsure.length > 0) {
        for (const part of chunk(unsure, BATCH_GET_SIZE)) {
          for (const item of await this.#batchGet(partition, part, "#k, #v, #t")) {
            const expiresAt = safeExpiry(item);
            if (expiresAt !== undefined && expiresAt <= now) continue;
            live.push(originalKey(item) ?? (item.key as { S: string }).S);
          }
        }
      }
      for (const key of live) {
        if (keys.length >= max) break;
        keys.push(key);
      }
    } while (start && keys.length < max);
    return keys;
  }

  /** Deletes every item of a collection (Query, then BatchWriteItem); `true` if any existed. */
  async destroyCollection(collection: string): Promise<boolean> {
    const name = await this.beginDestroyCollection(collection);
    const partition = this.#names(name, "x", "destroy").collection;
    let deleted = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#call("destroy", () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: "#c = :c",
            ExpressionAttributeNames: { "#c": "collection", "#k": "key" },
            ExpressionAttributeValues: { ":c": { S: partition } },
            ProjectionExpression: "#c, #k",
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ));
      start = page.LastEvaluatedKey;
      const requests = (page.Items ?? []).map((Key): WriteRequest => ({ DeleteRequest: { Key } }));
      await Promise.all(
        chunk(requests, BATCH_WRITE_SIZE).map((part) => this.#batchWrite(part, "destroy")),
      );
      deleted += requests.length;
    } while (start);
    return deleted > 0;
  }

  /**
   * Stores `value` only if the key has no live item, atomically: a
   * conditional PutItem, and for an expired item a PutItem conditioned on
   * the expired item's exact `value`. `true` if stored.
   */
  async putIfAbsent(key: string, value: Value, options?: PutOptions): Promise<boolean> {
    const { collection, entry } = await this.beginPutIfAbsent(key, value, options);
    const item = this.#item(collection, key, entry);
    let condition = "attribute_not_exists(#k)";
    let values: Record<string, AttributeValue> | undefined;
    for (let attempt = 0; attempt < MAX_BATCH_ATTEMPTS; attempt++) {
      try {
        await this.#client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: condition,
            ExpressionAttributeNames: values ? { "#v": "value" } : { "#k": "key" },
            ...(values ? { ExpressionAttributeValues: values } : {}),
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        );
        return true;
      } catch (error) {
        if (!isNamed(error, "ConditionalCheckFailedException")) throw this.#mapError(error, "put");
        const old = (error as { Item?: Record<string, AttributeValue> }).Item ??
          (await this.#call(
            "put",
            () =>
              this.#client.send(
                new GetItemCommand({
                  TableName: this.tableName,
                  Key: itemKey(
                    (item.collection as { S: string }).S,
                    (item.key as { S: string }).S,
                  ),
                  ConsistentRead: true,
                }),
              ),
          )).Item;
        if (!old) {
          condition = "attribute_not_exists(#k)";
          values = undefined;
          continue;
        }
        const expiresAt = safeExpiry(old);
        if (expiresAt === undefined || expiresAt > Date.now()) return false;
        // Replace the expired item only if nobody changed it meanwhile.
        condition = "#v = :old";
        values = { ":old": old.value! };
      }
    }
    throw this.#unprocessed(1, "put");
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

  async #call<T>(operation: StoreOperation | "setup", run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.#mapError(error, operation);
    }
  }

  /** The one place where client errors become this library's errors. */
  #mapError(error: unknown, operation: StoreOperation | "setup"): unknown {
    if (!isConnectionFailure(error)) return error;
    const reason = error instanceof Error ? error.message || error.name : String(error);
    const action = operation === "setup" ? "set up DynamoDBStore" : this.context(operation);
    return new StoreConnectionError(`Cannot ${action}: ${reason}`, {
      extraInfo: { store: "DynamoDBStore", tableName: this.tableName },
      cause: error,
    });
  }

  #unprocessed(count: number, operation: StoreOperation): KeyValueStoreError {
    return new KeyValueStoreError(
      `Cannot ${this.context(operation)}: ${count} requests stayed unprocessed after ` +
        `${MAX_BATCH_ATTEMPTS} attempts (throughput exceeded)`,
      { extraInfo: { store: "DynamoDBStore", tableName: this.tableName, count } },
    );
  }
}

function createdClientConfig(options: DynamoDBStoreOptions): DynamoDBClientConfig {
  const timeout = options.timeout ?? 5000;
  const config: DynamoDBClientConfig = {
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: timeout,
      requestTimeout: timeout,
      throwOnRequestTimeout: true,
    },
  };
  if (options.url !== undefined) {
    config.endpoint = options.url;
    config.region = "us-east-1";
    if (LOOPBACK.test(options.url)) {
      config.credentials = { accessKeyId: "local", secretAccessKey: "local" };
    }
  }
  if (options.region !== undefined) config.region = options.region;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  return { ...config, ...(options.clientConfig as DynamoDBClientConfig | undefined) };
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === name;
}

function safeExpiry(item: Record<string, unknown>): number | undefined {
  try {
    return fromItem(item).expiresAt;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
