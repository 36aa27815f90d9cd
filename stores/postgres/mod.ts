/**
 * {@linkcode PostgresStore}: a store over one PostgreSQL table in
 * py-key-value's PostgreSQLStore layout, so Python and TypeScript services
 * can share it.
 *
 * @example Usage
 * ```ts ignore
 * import { PostgresStore } from "@kv/core/stores/postgres";
 * import assert from "node:assert/strict";
 *
 * await using store = new PostgresStore({ url: "postgres://postgres@127.0.0.1:5432/app" });
 * await store.put("session", { user: "ada" }, { ttl: 60, collection: "sessions" });
 * assert.deepEqual(await store.get("session", { collection: "sessions" }), { user: "ada" });
 * ```
 *
 * @module
 */

import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../../core/base_store.ts";
import type {
  Cull,
  DestroyCollection,
  DestroyStore,
  EnumerateCollections,
  EnumerateKeys,
  PutIfAbsent,
} from "../../core/capabilities.ts";
import type { Entry } from "../../core/envelope.ts";
import type { ErrorMapper } from "../_shared/errors.ts";
import type { KeyOptions, Value } from "../../core/protocol.ts";
import { missingError } from "../_shared/setup.ts";
import {
  checkUrl,
  createPool,
  postgresErrors,
  type PostgresQueryable,
  type QueryResultLike,
} from "./_client.ts";
import {
  byteLength,
  checkJsonb,
  checkNames,
  type Row,
  rowEntry,
  timestamp,
  ttlColumn,
} from "./_rows.ts";
import { checkTableName, DEFAULT_TABLE, type Statements, statements } from "./_sql.ts";

export type { PostgresQueryable, QueryResultLike } from "./_client.ts";

/** Options of {@linkcode PostgresStore}. */
export interface PostgresStoreOptions extends BaseStoreOptions {
  /** A connection string, e.g. `postgres://user@127.0.0.1:5432/app`; the store owns the pool it creates. */
  url?: string;
  /** A node-postgres `Pool`, `Client` (connected) or pool client you built; the store never closes it. */
  client?: PostgresQueryable;
  /** The table (ASCII letters, digits, `_`; at most 63). @default {"kv_store"} */
  tableName?: string;
  /** Create the table and its index when missing; when false, a missing table is a StoreSetupError. @default {true} */
  autoCreate?: boolean;
  /** Milliseconds a created pool waits for a connection. @default {5000} */
  timeout?: number;
  /** Connections of a created pool. @default {10} */
  poolSize?: number;
}

const OWN_OPTIONS = ["url", "client", "tableName", "autoCreate", "timeout", "poolSize"];

interface OwnedPool extends PostgresQueryable {
  end(): Promise<void>;
}

/**
 * A store over one PostgreSQL table, py-key-value's PostgreSQLStore layout:
 * `kv_store(collection TEXT, key TEXT, value JSONB, ttl DOUBLE PRECISION,
 * created_at TIMESTAMPTZ, expires_at TIMESTAMPTZ, PRIMARY KEY (collection,
 * key))` with a partial index on `expires_at`. `value` holds the value only
 * (not the envelope); the metadata lives in the columns.
 *
 * - `getMany`, `putMany` and `deleteMany` are one statement each
 *   (`key = ANY($2)`, `INSERT ... SELECT FROM unnest(...)`); a `putMany`
 *   that names a key twice stores its last value, as sequential puts would.
 * - The upsert keeps the `created_at` of an existing row (as py-key-value's
 *   does); putIfAbsent is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE`
 *   that replaces only an expired row, so exactly one of many concurrent
 *   callers wins.
 * - Deadlines (reads, deletes, keys(), collections(), cull(), putIfAbsent)
 *   are judged by the `clock` option, sent as a parameter; SQL's `now()` is
 *   never used. PostgreSQL has no native expiry: `cull()` deletes expired
 *   rows in one DELETE, and `delete`/`deleteMany` remove an expired row but
 *   do not count it.
 * - Values round-trip exactly: JSONB reorders object keys (a JSON object
 *   has no order) and keeps every number's digits. A value JSONB cannot
 *   hold (NUL or a lone surrogate in a string or property name) is a
 *   SerializationError at the call, before any write.
 * - Names are stored as they are (or as the sanitization strategies make
 *   them), so they are injective; a collection or key holding NUL, or a
 *   pair over {@linkcode MAX_NAME_BYTES} bytes (what the primary key index
 *   holds), is an InvalidKeyError at the call.
 * - Capabilities: keys, collections (live entries only, unlike
 *   py-key-value), destroyCollection and destroy (DELETE rows; the table
 *   stays), cull and putIfAbsent.
 * - Errors go through the shared mapping: connection failures (socket
 *   codes, node-postgres's connection messages, SQLSTATE 08xxx, 57P01-03,
 *   53300) are StoreConnectionError, other setup failures (bad URL,
 *   authentication, missing database or table) StoreSetupError, anything
 *   else a KeyValueStoreError with the driver's error as `cause`. Unknown
 *   options are a TypeError.
 *
 * @example Your own pool
 * ```ts ignore
 * import pg from "pg";
 * import { PostgresStore } from "@kv/core/stores/postgres";
 * import assert from "node:assert/strict";
 *
 * const pool = new pg.Pool({ connectionString: "postgres://postgres@127.0.0.1:5432/app" });
 * const store = new PostgresStore({ client: pool, tableName: "cache" });
 * await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { ttl: 30 });
 * assert.deepEqual(await store.getMany(["a", "b"]), [{ n: 1 }, { n: 2 }]);
 * await pool.end(); // the store never closes a client you built
 * ```
 */
export class PostgresStore extends BaseStore {
  /** The table holding every collection. */
  readonly tableName: string;
  readonly #client: PostgresQueryable;
  readonly #owned: OwnedPool | undefined;
  readonly #sql: Statements;
  readonly #autoCreate: boolean;
  readonly #errors: ErrorMapper;
  #closed = false;

  /**
   * Creates the store; nothing is sent until the first operation.
   *
   * @param options See {@linkcode PostgresStoreOptions}.
   * @throws {TypeError} When neither `url` nor `client` is given, `url` is not a
   *   postgres:// URL, or `tableName` is not an identifier.
   */
  constructor(options: PostgresStoreOptions) {
    super(options, OWN_OPTIONS);
    this.tableName = checkTableName(options.tableName ?? DEFAULT_TABLE);
    this.#sql = statements(this.tableName);
    this.#autoCreate = options.autoCreate ?? true;
    if (options.client !== undefined) {
      if (typeof options.client?.query !== "function") {
        throw new TypeError(
          "Cannot create PostgresStore: client must have a query(text, values) method",
        );
      }
      this.#client = options.client;
    } else if (typeof options.url === "string") {
      this.#owned = createPool(
        checkUrl(options.url),
        options.timeout ?? 5000,
        options.poolSize ?? 10,
      );
      this.#client = this.#owned;
    } else {
      throw new TypeError("Cannot create PostgresStore: pass a url or a client");
    }
    this.#errors = postgresErrors(this.tableName, (operation) => this.context(operation));
  }

  /** Closes the pool if the store created it (a client you passed stays open); idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#owned?.end();
  }

  /** Same as {@linkcode PostgresStore.prototype.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Creates the table and its index (py-key-value's DDL) unless they exist. */
  protected override async setupStore(): Promise<void> {
    await this.#errors.call("setup", async () => {
      const found = await this.#client.query(this.#sql.tableExists, [this.tableName]);
      if ((found.rows[0] as { e?: boolean } | undefined)?.e === true) return;
      if (!this.#autoCreate) {
        throw missingError("PostgresStore", "table", this.tableName, { table: this.tableName });
      }
      try {
        await this.#client.query(this.#sql.createTable);
        await this.#client.query(this.#sql.createIndex);
      } catch (error) {
        // Another process created it between the check and the CREATE.
        const code = (error as { code?: unknown }).code;
        if (code !== "23505" && code !== "42P07") throw error;
      }
    });
  }

  // Names are checked at the call (sanitized as they will be stored), so a
  // batch is refused whole before setup or any statement.

  /** Checks the key and collection, then resolves the collection. */
  protected override resolve(
    key: string,
    options: KeyOptions | undefined,
    operation: StoreOperation,
  ): string {
    const collection = super.resolve(key, options, operation);
    checkNames(this.sanitizeCollection(collection), this.sanitizeKey(key), this.context(operation));
    return collection;
  }

  /** Checks every key and the collection, then resolves the collection. */
  protected override resolveMany(
    keys: readonly string[],
    options: KeyOptions | undefined,
    operation: StoreOperation,
  ): string {
    const collection = super.resolveMany(keys, options, operation);
    const stored = this.sanitizeCollection(collection);
    const context = this.context(operation);
    const bytes = byteLength(stored);
    for (const key of keys) checkNames(stored, this.sanitizeKey(key), context, bytes);
    return collection;
  }

  /** Resolves a collection and checks that the table can hold it. */
  protected override resolveCollection(
    options: KeyOptions | undefined,
    operation: StoreOperation,
  ): string {
    const collection = super.resolveCollection(options, operation);
    checkNames(this.sanitizeCollection(collection), "", this.context(operation));
    return collection;
  }

  /** Validates and copies a value, and checks that JSONB can hold it, at the call. */
  protected override acceptValue(value: unknown, context: string): Value {
    const copy = super.acceptValue(value, context);
    checkJsonb(copy, context);
    return copy;
  }

  /** The JSON text of a value accepted by acceptValue (a plain copy: no toJSON to meet). */
  #text(value: Value): string {
    return JSON.stringify(value);
  }

  // One promise per query (no async wrapper): the hot paths cost little more than the raw client.
  #query(operation: StoreOperation, text: string, values: unknown[]): Promise<QueryResultLike> {
    let pending: Promise<QueryResultLike>;
    try {
      pending = this.#client.query(text, values);
    } catch (error) {
      return Promise.reject(this.#errors.map(error, operation));
    }
    return pending.then(undefined, (error) => {
      throw this.#errors.map(error, operation);
    });
  }

  #now(): string {
    return timestamp(this.clock.now())!;
  }

  /** Reads one row. */
  protected getEntry(collection: string, key: string): Promise<Entry | undefined> {
    const values = [this.sanitizeCollection(collection), this.sanitizeKey(key)];
    return this.#query("get", this.#sql.get, values).then((result) => {
      const row = result.rows[0] as Row | undefined;
      return row === undefined ? undefined : rowEntry(row, this.context("get"));
    });
  }

  /** Reads many rows with one `key = ANY($2)`. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    if (keys.length === 0) return [];
    const stored = keys.map((key) => this.sanitizeKey(key));
    const c = this.sanitizeCollection(collection);
    const result = await this.#query("get", this.#sql.getMany, [c, [...new Set(stored)]]);
    const context = this.context("get");
    const found = new Map<string, Row>();
    for (const row of result.rows as Row[]) found.set(row.k!, row);
    return stored.map((key) => {
      const row = found.get(key);
      return row === undefined ? undefined : rowEntry(row, context);
    });
  }

  /** Writes one row (an upsert that keeps `created_at`). */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    await this.#query("put", this.#sql.put, [
      this.sanitizeCollection(collection),
      this.sanitizeKey(key),
      this.#text(entry.value),
      ttlColumn(entry),
      timestamp(entry.createdAt),
      timestamp(entry.expiresAt),
    ]);
  }

  /** Writes many rows with one `INSERT ... SELECT FROM unnest(...)`; a repeated key keeps its last value. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    if (keys.length === 0) return;
    const last = new Map<string, string>();
    keys.forEach((key, i) => {
      const stored = this.sanitizeKey(key);
      last.delete(stored); // keep the order of last occurrence
      last.set(stored, this.#text(entries[i]!.value));
    });
    const first = entries[0]!;
    await this.#query("put", this.#sql.putMany, [
      this.sanitizeCollection(collection),
      [...last.keys()],
      [...last.values()],
      ttlColumn(first),
      timestamp(first.createdAt),
      timestamp(first.expiresAt),
    ]);
  }

  /** Deletes one row; `true` only if it was live. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    const c = this.sanitizeCollection(collection);
    const result = await this.#query("delete", this.#sql.delete, [
      c,
      this.sanitizeKey(key),
      this.#now(),
    ]);
    return count(result) > 0;
  }

  /** Deletes many rows with one statement; counts the live ones. */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    if (keys.length === 0) return 0;
    const stored = [...new Set(keys.map((key) => this.sanitizeKey(key)))];
    const c = this.sanitizeCollection(collection);
    return count(await this.#query("delete", this.#sql.deleteMany, [c, stored, this.#now()]));
  }

  /** Lists the live keys of a collection (ordered by key). */
  protected override async listKeys(
    collection: string,
    limit: number | undefined,
  ): Promise<string[]> {
    const c = this.sanitizeCollection(collection);
    const result = await this.#query("keys", this.#sql.keys, [c, this.#now(), limit ?? null]);
    return (result.rows as { k: string }[]).map((row) => row.k);
  }

  /** Lists the collections holding live entries (ordered by name). */
  protected override async listCollections(limit: number | undefined): Promise<string[]> {
    const result = await this.#query("collections", this.#sql.collections, [
      this.#now(),
      limit ?? null,
    ]);
    return (result.rows as { k: string }[]).map((row) => row.k);
  }

  /** Deletes a collection's rows; `true` if it had any. */
  protected override async dropCollection(collection: string): Promise<boolean> {
    const c = this.sanitizeCollection(collection);
    const result = await this.#query("destroy", this.#sql.destroyCollection, [c]);
    return (result.rowCount ?? 0) > 0;
  }

  /** Deletes every row of the table (the table stays); `true` if it had any. */
  protected override async dropAll(): Promise<boolean> {
    const result = await this.#query("destroy", this.#sql.destroy, []);
    return (result.rowCount ?? 0) > 0;
  }

  /** Deletes every expired row in one DELETE; returns how many. */
  protected override async removeExpired(): Promise<number> {
    const result = await this.#query("destroy", this.#sql.cull, [this.#now()]);
    return result.rowCount ?? 0;
  }

  /** Inserts a row unless a live one exists (an expired one is replaced); `true` if stored. */
  protected override async putEntryIfAbsent(
    collection: string,
    key: string,
    entry: Entry,
  ): Promise<boolean> {
    const result = await this.#query("put", this.#sql.putIfAbsent, [
      this.sanitizeCollection(collection),
      this.sanitizeKey(key),
      this.#text(entry.value),
      ttlColumn(entry),
      timestamp(entry.createdAt),
      timestamp(entry.expiresAt),
      this.#now(),
    ]);
    return result.rows.length > 0;
  }
}

function count(result: QueryResultLike): number {
  return Number((result.rows[0] as { n?: unknown } | undefined)?.n ?? 0);
}

/**
 * The capabilities BaseStore installs on every PostgresStore from its hooks
 * (`listKeys`, ...), as the class JSDoc lists them.
 */
export interface PostgresStore
  extends EnumerateKeys, EnumerateCollections, DestroyCollection, DestroyStore, Cull, PutIfAbsent {}

export { MAX_NAME_BYTES } from "./_rows.ts";
