/**
 * {@linkcode ElasticsearchStore}: a store over Elasticsearch indices, in
 * py-key-value's layout, so Python and TypeScript services can share them.
 *
 * @example Usage
 * ```ts ignore
 * import { ElasticsearchStore } from "@kv/core/stores/elasticsearch";
 * import assert from "node:assert/strict";
 *
 * await using store = new ElasticsearchStore({ url: "http://127.0.0.1:9200", indexPrefix: "kv" });
 * await store.put("ada", { name: "Ada", langs: ["en"] }, { collection: "users" });
 * assert.deepEqual(await store.keys({ collection: "users" }), ["ada"]);
 * ```
 *
 * @module
 */

// The official Elasticsearch client (v9, for Elasticsearch 9).
import { Client, type ClientOptions, HttpConnection } from "@elastic/elasticsearch";
import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../core/base_store.ts";
import type {
  CollectionsOptions,
  Cull,
  DestroyCollection,
  EnumerateCollections,
  EnumerateKeys,
  KeysOptions,
} from "../core/capabilities.ts";
import type { Entry } from "../core/envelope.ts";
import {
  InvalidKeyError,
  KeyValueStoreError,
  SerializationError,
  StoreConnectionError,
  StoreSetupError,
} from "../core/errors.ts";
import type { SanitizationStrategy } from "../core/sanitization.ts";
import {
  belongsTo,
  DOCUMENT_ERRORS,
  documentId,
  ElasticsearchLongKeyStrategy,
  ElasticsearchWhenNeededStrategy,
  errorType,
  type EsDocument,
  fromDocument,
  indexName,
  indexNameProblem,
  isConnectionFailure,
  liveQuery,
  MAPPING,
  SETTINGS,
  toDocument,
} from "./_elasticsearch_documents.ts";

/** The client the store needs: a `Client` from `@elastic/elasticsearch` (v9). */
export interface ElasticsearchClientLike {
  /** Closes the client's connections. */
  close(): Promise<void>;
}

/** Options of {@linkcode ElasticsearchStore}. */
export interface ElasticsearchStoreOptions extends BaseStoreOptions {
  /** The cluster's URL, e.g. `http://127.0.0.1:9200`; the store owns the client it creates. */
  url?: string;
  /** An API key for a created client. */
  apiKey?: string;
  /** A `Client` you built; the store never closes it (nor changes its serializers). */
  client?: ElasticsearchClientLike;
  /**
   * Indices are named `<indexPrefix>-<collection>`, lowercased. A prefix
   * must not be another store's prefix followed by `-`, since
   * `collections()` and `cull()` search `<indexPrefix>-*`. @default {"kv_store"}
   */
  indexPrefix?: string;
  /**
   * How writes wait for searches to see them: `true` refreshes the shard
   * (read-after-write for keys() and collections()), `"wait_for"` waits for
   * the next periodic refresh (up to a second), `false` returns at once.
   * `get`/`getMany` are real-time either way. @default {true}
   */
  refresh?: boolean | "wait_for";
  /** Create missing indices (with the mapping); when false, refuse them. @default {true} */
  autoCreate?: boolean;
  /**
   * Milliseconds a created client waits for a request (one retry), so an
   * unreachable cluster surfaces as StoreConnectionError. @default {10000}
   */
  timeout?: number;
  /**
   * How a collection becomes part of an index name. By default a valid
   * lowercase name (`a-z0-9_.-`, at most 200 characters) is kept and any
   * other gets py-key-value's `ElasticsearchV1CollectionSanitizationStrategy`;
   * pass that strategy to sanitize every name as py-key-value's V1 does.
   */
  collectionSanitizationStrategy?: SanitizationStrategy;
  /**
   * How a key becomes a document id. By default a key of at most 512 bytes
   * is kept and a longer one is hashed with
   * `ElasticsearchV1KeySanitizationStrategy`; pass that strategy to hash
   * every key as py-key-value's V1 does.
   */
  keySanitizationStrategy?: SanitizationStrategy;
}

const PAGE_SIZE = 10_000;

/**
 * A store over Elasticsearch in py-key-value's layout: one index per
 * collection, `<prefix>-<collection>` lowercased, created on first use with
 * an explicit mapping (`value.flattened` of type `flattened`, dates, keyword
 * `key` and `collection`); one document per key, its id the key, holding
 * `{collection, created_at, expires_at?, key, value: {flattened}, version}`.
 * Elasticsearch has no expiry, so every read checks `expires_at` and
 * `cull()` deletes expired documents.
 *
 * - Needs only the document, search and index APIs: no `GET /`, scripting
 *   or `_delete_by_query` (so it runs on Elastic's integ-test build too).
 * - `getMany` is one `_mget`; `putMany` and `deleteMany` are one `_bulk`.
 * - Writes refresh by default, so `keys()` and `collections()` (searches)
 *   see them at once; see the `refresh` option.
 * - Capabilities: keys (search, original names), collections (a terms
 *   aggregation), destroyCollection (deletes the index), cull (search,
 *   then a bulk delete).
 * - A value Elasticsearch cannot index (for example nested deeper than the
 *   flattened field's 20 levels) is a SerializationError.
 * - `delete`/`deleteMany` count an expired document that `cull()` has not
 *   removed yet as deleted.
 * - Connection failures are StoreConnectionError.
 *
 * @example Sharing a client
 * ```ts ignore
 * import { Client } from "@elastic/elasticsearch";
 * import { ElasticsearchStore } from "@kv/core/stores/elasticsearch";
 * import assert from "node:assert/strict";
 *
 * const client = new Client({ node: "http://127.0.0.1:9200" });
 * const store = new ElasticsearchStore({ client, indexPrefix: "cache" });
 * await store.put("k", { a: 1 }, { ttl: 60 });
 * assert.deepEqual(await store.collections(), ["default_collection"]);
 * await client.close(); // the store never closes a client you built
 * ```
 */
export class ElasticsearchStore extends BaseStore
  implements EnumerateKeys, EnumerateCollections, DestroyCollection, Cull {
  /** The lowercased index prefix. */
  readonly indexPrefix: string;
  readonly #client: Client;
  readonly #ownsClient: boolean;
  readonly #refresh: boolean | "wait_for";
  readonly #autoCreate: boolean;
  readonly #collectionStrategy: SanitizationStrategy;
  readonly #keyStrategy: SanitizationStrategy;
  readonly #indices = new Map<string, string>();

  /**
   * Creates the store; nothing is sent until the first operation.
   *
   * @param options See {@linkcode ElasticsearchStoreOptions}.
   * @throws {TypeError} When neither `url` nor `client` is given, or the prefix is not valid.
   */
  constructor(options: ElasticsearchStoreOptions) {
    super(options);
    const prefix = (options.indexPrefix ?? "kv_store").toLowerCase();
    const problem = indexNameProblem(`${prefix}-${"x".repeat(200)}`);
    if (prefix === "" || problem !== undefined) {
      throw new TypeError(
        `Cannot create ElasticsearchStore: indexPrefix ${JSON.stringify(prefix)} cannot start ` +
          `an index name${problem ? `: ${problem}` : ""}`,
      );
    }
    this.indexPrefix = prefix;
    this.#refresh = options.refresh ?? true;
    this.#autoCreate = options.autoCreate ?? true;
    this.#collectionStrategy = options.collectionSanitizationStrategy ??
      new ElasticsearchWhenNeededStrategy();
    this.#keyStrategy = options.keySanitizationStrategy ?? new ElasticsearchLongKeyStrategy();
    if (options.client) {
      this.#client = options.client as unknown as Client;
      this.#ownsClient = false;
    } else if (typeof options.url === "string") {
      const config: ClientOptions = {
        node: options.url,
        requestTimeout: options.timeout ?? 10_000,
        maxRetries: 1,
      };
      if (options.apiKey !== undefined) config.auth = { apiKey: options.apiKey };
      // Bun's undici shim breaks the default UndiciConnection on refused
      // connections (and on close); node:http works on every runtime.
      if ("Bun" in globalThis) config.Connection = HttpConnection;
      this.#client = new Client(config);
      this.#ownsClient = true;
    } else {
      throw new TypeError("Cannot create ElasticsearchStore: pass a url or a client");
    }
  }

  /** Closes the client if the store created it (a client you passed stays open). */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.close();
  }

  /** Same as {@linkcode ElasticsearchStore.prototype.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Creates the collection's index with the mapping, unless it exists. */
  protected override async setupCollection(collection: string): Promise<void> {
    let index: string;
    try {
      index = this.#index(collection, "put");
    } catch (error) {
      // A name the backend cannot hold: the operation itself reports InvalidKeyError.
      if (error instanceof InvalidKeyError) return;
      throw error;
    }
    await this.#call("setup", async () => {
      if (!this.#autoCreate) {
        if (!(await this.#client.indices.exists({ index }))) {
          throw new StoreSetupError(
            `Cannot set up ElasticsearchStore: index ${JSON.stringify(index)} does not exist ` +
              "and autoCreate is false",
            { extraInfo: { store: "ElasticsearchStore", collection, index } },
          );
        }
        return;
      }
      try {
        await this.#client.indices.create({ index, mappings: MAPPING, settings: SETTINGS });
      } catch (error) {
        const type = errorType(error);
        if (type !== "resource_already_exists_exception") throw error;
      }
    });
  }

  /** Reads one entry (real-time). */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    const index = this.#index(collection, "get");
    const id = documentId(key, this.#keyStrategy, this.context("get"));
    const result = await this.#call(
      "get",
      () => this.#client.get<EsDocument>({ index, id }, { ignore: [404] }),
    );
    const source = result.found ? result._source : undefined;
    return source && belongsTo(source, key) ? fromDocument(source) : undefined;
  }

  /** Reads many entries with one `_mget`. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    if (keys.length === 0) return [];
    const index = this.#index(collection, "get");
    const ids = keys.map((key) => documentId(key, this.#keyStrategy, this.context("get")));
    const result = await this.#call(
      "get",
      () => this.#client.mget<EsDocument>({ index, ids: [...new Set(ids)] }, { ignore: [404] }),
    );
    const sources = new Map<string, EsDocument>();
    for (const doc of result.docs ?? []) {
      if ("found" in doc && doc.found && doc._source) sources.set(doc._id, doc._source);
    }
    // A repeated key gets its own copy, so callers never share a value object.
    const seen = new Set<string>();
    return ids.map((id, i) => {
      const source = sources.get(id);
      if (!source || !belongsTo(source, keys[i]!)) return undefined;
      if (seen.has(id)) return fromDocument(structuredClone(source));
      seen.add(id);
      return fromDocument(source);
    });
  }

  /** Writes one entry. */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    const index = this.#index(collection, "put");
    const id = documentId(key, this.#keyStrategy, this.context("put"));
    const document = toDocument(collection, key, entry);
    await this.#call(
      "put",
      () => this.#client.index({ index, id, document, refresh: this.#refresh }),
    );
  }

  /** Writes many entries with one `_bulk`. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    if (keys.length === 0) return;
    const index = this.#index(collection, "put");
    const operations: unknown[] = [];
    keys.forEach((key, i) => {
      const id = documentId(key, this.#keyStrategy, this.context("put"));
      operations.push(
        { index: { _index: index, _id: id } },
        toDocument(collection, key, entries[i]!),
      );
    });
    await this.#bulk(operations, "put");
  }

  /** Deletes one entry. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    const index = this.#index(collection, "delete");
    const id = documentId(key, this.#keyStrategy, this.context("delete"));
    const result = await this.#call(
      "delete",
      () => this.#client.delete({ index, id, refresh: this.#refresh }, { ignore: [404] }),
    );
    return result.result === "deleted";
  }

  /** Deletes many entries with one `_bulk`. */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    if (keys.length === 0) return 0;
    const index = this.#index(collection, "delete");
    const ids = new Set(
      keys.map((key) => documentId(key, this.#keyStrategy, this.context("delete"))),
    );
    const operations = [...ids].map((id) => ({ delete: { _index: index, _id: id } }));
    const items = await this.#bulk(operations, "delete");
    return items.filter((item) => item.delete?.result === "deleted").length;
  }

  /** Lists the live keys of a collection (a search; original names). */
  async keys(options?: KeysOptions): Promise<string[]> {
    const { collection, limit } = await this.beginKeys(options);
    const index = this.#index(collection, "keys");
    const query = { bool: { filter: [{ term: { collection } }, liveQuery(Date.now())] } };
    const keys: string[] = [];
    const max = limit ?? Infinity;
    let after: unknown[] | undefined;
    for (;;) {
      const size = Math.min(PAGE_SIZE, max - keys.length);
      const result = await this.#call("keys", () =>
        this.#client.search<EsDocument>({
          index,
          query,
          size,
          _source: ["key"],
          sort: [{ key: "asc" }],
          ...(after ? { search_after: after as never } : {}),
        }, { ignore: [404] }));
      const hits = result.hits?.hits ?? [];
      for (const hit of hits) {
        const key = hit._source?.key;
        if (typeof key === "string") keys.push(key);
      }
      if (hits.length < size || keys.length >= max) return keys;
      after = hits[hits.length - 1]!.sort;
    }
  }

  /** Lists the collections holding live entries (a terms aggregation over the prefix's indices). */
  async collections(options?: CollectionsOptions): Promise<string[]> {
    const limit = await this.beginCollections(options);
    const result = await this.#call("collections", () =>
      this.#client.search({
        index: `${this.indexPrefix}-*`,
        size: 0,
        query: liveQuery(Date.now()),
        aggregations: { collections: { terms: { field: "collection", size: limit ?? PAGE_SIZE } } },
      }, { ignore: [404] }));
    const buckets =
      (result.aggregations?.collections as { buckets?: { key: unknown }[] } | undefined)
        ?.buckets ?? [];
    return buckets.map((bucket) => String(bucket.key));
  }

  /** Deletes a collection's index; `true` if it existed. */
  async destroyCollection(collection: string): Promise<boolean> {
    const name = await this.beginDestroyCollection(collection);
    const index = this.#index(name, "destroy");
    const result = await this.#call(
      "destroy",
      () => this.#client.indices.delete({ index }, { ignore: [404] }),
    );
    this.forgetCollectionSetup(name);
    return (result as { acknowledged?: boolean }).acknowledged === true;
  }

  /** Deletes every expired document under the prefix now (search, then `_bulk`); returns how many. */
  async cull(): Promise<number> {
    await this.ensureSetup();
    const now = Date.now();
    let removed = 0;
    for (;;) {
      const result = await this.#call("destroy", () =>
        this.#client.search({
          index: `${this.indexPrefix}-*`,
          size: PAGE_SIZE,
          _source: false,
          query: { range: { expires_at: { lte: now, format: "epoch_millis" } } },
        }, { ignore: [404] }));
      const hits = result.hits?.hits ?? [];
      if (hits.length === 0) return removed;
      const items = await this.#bulk(
        hits.map((hit) => ({ delete: { _index: hit._index, _id: hit._id } })),
        "destroy",
        true,
      );
      removed += items.filter((item) => item.delete?.result === "deleted").length;
      if (hits.length < PAGE_SIZE) return removed;
    }
  }

  // ------------------------------------------------------------ internals

  #index(collection: string, operation: StoreOperation): string {
    let index = this.#indices.get(collection);
    if (index === undefined) {
      index = indexName(
        this.indexPrefix,
        collection,
        this.#collectionStrategy,
        this.context(operation),
      );
      this.#indices.set(collection, index);
    }
    return index;
  }

  async #bulk(
    operations: unknown[],
    operation: StoreOperation,
    refresh: boolean | "wait_for" = this.#refresh,
  ): Promise<BulkItem[]> {
    const result = await this.#call(
      operation,
      () => this.#client.bulk({ operations: operations as never, refresh }),
    );
    const items = result.items as BulkItem[];
    if (result.errors) {
      const failed = items.find((item) => (item.index ?? item.delete)?.error);
      const error = (failed?.index ?? failed?.delete)?.error;
      throw this.#itemError(error, operation);
    }
    return items;
  }

  #itemError(error: unknown, operation: StoreOperation): Error {
    const type = errorType(error) ?? "unknown";
    const reason = (error as { reason?: unknown } | undefined)?.reason ?? type;
    const message = `Cannot ${this.context(operation)}: Elasticsearch refused the document: ${
      String(reason)
    }`;
    const options = { extraInfo: { store: "ElasticsearchStore", type }, cause: error };
    return DOCUMENT_ERRORS.has(type)
      ? new SerializationError(message, options)
      : new KeyValueStoreError(message, options);
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
    if (isConnectionFailure(error)) {
      const reason = error instanceof Error ? error.message || error.name : String(error);
      const action = operation === "setup" ? "set up ElasticsearchStore" : this.context(operation);
      return new StoreConnectionError(`Cannot ${action}: ${reason}`, {
        extraInfo: { store: "ElasticsearchStore", indexPrefix: this.indexPrefix },
        cause: error,
      });
    }
    if (operation === "put" && DOCUMENT_ERRORS.has(errorType(error) ?? "")) {
      return this.#itemError(
        (error as { meta?: { body?: { error?: unknown } } }).meta?.body?.error ?? error,
        "put",
      );
    }
    return error;
  }
}

interface BulkItem {
  index?: { result?: string; error?: unknown };
  delete?: { result?: string; error?: unknown };
}
