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

import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../../core/base_store.ts";
import type {
  Cull,
  DestroyCollection,
  EnumerateCollections,
  EnumerateKeys,
} from "../../core/capabilities.ts";
import type { Entry } from "../../core/envelope.ts";
import type { SanitizationStrategy } from "../../core/sanitization.ts";
import { bulk, deleteLive, getEntry, mgetEntries } from "./_requests.ts";
import {
  documentId,
  ElasticsearchLongKeyStrategy,
  ElasticsearchWhenNeededStrategy,
  indexName,
  toDocument,
} from "./_documents.ts";
import { cullExpired, searchCollections, searchKeys } from "./_search.ts";
import type { EsContext } from "./_context.ts";
import { checkIndexPrefix, createContext, deleteIndex, ensureIndex } from "./_setup.ts";
import { setupName } from "../_shared/setup.ts";

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

/** The options {@linkcode ElasticsearchStore} adds to the shared ones. */
const OWN_OPTIONS = ["url", "apiKey", "client", "indexPrefix", "refresh", "autoCreate", "timeout"];

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
 * - `delete`/`deleteMany` count only entries live by the clock: they read
 *   the documents, then delete each only if unchanged since; an expired
 *   document is deleted but not counted.
 * - Names are injective: index names are lowercased (py-key-value's layout),
 *   so the default collection strategy keeps only plain lowercase names
 *   (and sanitizes one shaped like a sanitized name, `s_<name>-<8 hex>`),
 *   and a custom strategy that gives upper-case letters is refused with
 *   InvalidKeyError; the default key strategy hashes long keys to
 *   `H_<sha256 hex>` (and a key shaped like that too). A document that
 *   records another collection or key is a miss, and is never deleted.
 * - Every deadline (reads, deletes, keys(), collections(), `cull()`) is
 *   judged by the `clock` option.
 * - Errors go through the shared mapping: connection failures are
 *   StoreConnectionError, a refused value SerializationError, anything else
 *   KeyValueStoreError with the client's error as `cause`. Unknown options
 *   are a TypeError.
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
export class ElasticsearchStore extends BaseStore {
  /** The lowercased index prefix. */
  readonly indexPrefix: string;
  readonly #es: EsContext;
  readonly #ownsClient: boolean;
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
    super(options, OWN_OPTIONS);
    const prefix = checkIndexPrefix(options.indexPrefix);
    this.indexPrefix = prefix;
    this.#autoCreate = options.autoCreate ?? true;
    this.#collectionStrategy = options.collectionSanitizationStrategy ??
      new ElasticsearchWhenNeededStrategy();
    this.#keyStrategy = options.keySanitizationStrategy ?? new ElasticsearchLongKeyStrategy();
    const created = createContext(
      options,
      prefix,
      this.clock,
      (operation) => this.context(operation),
    );
    this.#es = created.es;
    this.#ownsClient = created.owned;
  }

  /** Closes the client if the store created it (a client you passed stays open). */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.#es.client.close();
  }

  /** Same as {@linkcode ElasticsearchStore.prototype.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Creates the collection's index with the mapping, unless it exists. */
  protected override async setupCollection(collection: string): Promise<void> {
    const index = setupName(() => this.#index(collection, "put"));
    if (index === undefined) return;
    await this.#es.errors.call(
      "setup",
      () => ensureIndex(this.#es.client, index, collection, this.#autoCreate),
    );
  }

  /** Reads one entry (real-time). */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    const index = this.#index(collection, "get");
    return await getEntry(this.#es, index, this.#id(key, "get"), { collection, key });
  }

  /** Reads many entries with one `_mget`. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    if (keys.length === 0) return [];
    const index = this.#index(collection, "get");
    const ids = keys.map((key) => this.#id(key, "get"));
    return await mgetEntries(this.#es, index, ids, collection, keys);
  }

  /** Writes one entry. */
  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    const index = this.#index(collection, "put");
    const id = this.#id(key, "put");
    const document = toDocument(collection, key, entry);
    const refresh = this.#es.refresh;
    await this.#es.errors.call(
      "put",
      () => this.#es.client.index({ index, id, document, refresh }),
    );
  }

  /** Writes many entries with one `_bulk`. */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    if (keys.length > 0) {
      const index = this.#index(collection, "put");
      const operations = keys.flatMap((key, i) => [
        { index: { _index: index, _id: this.#id(key, "put") } },
        toDocument(collection, key, entries[i]!),
      ]);
      await bulk(this.#es, operations, "put");
    }
  }

  /** Deletes one entry; `true` if it was live. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    return await this.deleteEntries(collection, [key]) === 1;
  }

  /** Deletes many entries (one `_mget`, one `_bulk`); counts the live ones. */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    if (keys.length === 0) return 0;
    const index = this.#index(collection, "delete");
    const ids = keys.map((key) => this.#id(key, "delete"));
    return await deleteLive(this.#es, index, collection, ids, keys);
  }

  /** Lists the live keys of a collection (a search; original names). */
  protected override async listKeys(
    collection: string,
    limit: number | undefined,
  ): Promise<string[]> {
    return await searchKeys(this.#es, this.#index(collection, "keys"), collection, limit);
  }

  /** Lists the collections holding live entries (a terms aggregation over the prefix's indices). */
  protected override async listCollections(limit: number | undefined): Promise<string[]> {
    return await searchCollections(this.#es, limit);
  }

  /** Deletes a collection's index; `true` if it existed. */
  protected override async dropCollection(name: string): Promise<boolean> {
    const existed = await deleteIndex(this.#es, this.#index(name, "destroy"));
    this.forgetCollectionSetup(name);
    return existed;
  }

  /** Deletes every expired document under the prefix now (search, then `_bulk`); returns how many. */
  protected override async removeExpired(): Promise<number> {
    return await cullExpired(this.#es);
  }

  // ------------------------------------------------------------ internals

  #index(collection: string, operation: StoreOperation): string {
    let index = this.#indices.get(collection);
    if (index === undefined) {
      const context = this.context(operation);
      index = indexName(this.indexPrefix, collection, this.#collectionStrategy, context);
      this.#indices.set(collection, index);
    }
    return index;
  }

  #id(key: string, operation: StoreOperation): string {
    return documentId(key, this.#keyStrategy, this.context(operation));
  }
}

/**
 * The capabilities BaseStore installs on every ElasticsearchStore from its hooks
 * (`listKeys`, ...), as the class JSDoc lists them.
 */
export interface ElasticsearchStore
  extends EnumerateKeys, EnumerateCollections, DestroyCollection, Cull {}
