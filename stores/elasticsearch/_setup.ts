// Creates ElasticsearchStore's client and its context, and creates and
// deletes its indices.

// The official Elasticsearch client (v9, for Elasticsearch 9).
import { Client, type ClientOptions, HttpConnection } from "@elastic/elasticsearch";
import type { StoreOperation } from "../../core/base_store.ts";
import type { Clock } from "../../core/clock.ts";
import type { EsContext } from "./_context.ts";
import { indexNameProblem, MAPPING, SETTINGS } from "./_documents.ts";
import { documentError, errorType, isConnectionFailure } from "./_errors.ts";
import { ErrorMapper } from "../_shared/errors.ts";
import { missingError } from "../_shared/setup.ts";

/**
 * The lowercased `indexPrefix` (default "kv_store").
 *
 * @throws {TypeError} When it cannot start an index name.
 */
export function checkIndexPrefix(indexPrefix: string | undefined): string {
  const prefix = (indexPrefix ?? "kv_store").toLowerCase();
  const problem = indexNameProblem(`${prefix}-${"x".repeat(200)}`);
  if (prefix === "" || problem !== undefined) {
    throw new TypeError(
      `Cannot create ElasticsearchStore: indexPrefix ${JSON.stringify(prefix)} cannot start ` +
        `an index name${problem ? `: ${problem}` : ""}`,
    );
  }
  return prefix;
}

/** The client options of ElasticsearchStoreOptions. */
export interface EsClientOptions {
  /** A client the caller built. */
  client?: unknown;
  /** The cluster's URL, for a created client. */
  url?: string;
  /** An API key for a created client. */
  apiKey?: string;
  /** A created client's request timeout in milliseconds. @default {10000} */
  timeout?: number;
  /** The `refresh` of writes. @default {true} */
  refresh?: boolean | "wait_for";
}

/**
 * The store's context over the caller's client, or over a client it creates
 * from `url` (then `owned` is true).
 *
 * @throws {TypeError} When neither `url` nor `client` is given.
 */
export function createContext(
  options: EsClientOptions,
  indexPrefix: string,
  clock: Clock,
  context: (operation: StoreOperation) => string,
): { es: EsContext; owned: boolean } {
  let client: Client;
  if (options.client) {
    client = options.client as Client;
  } else if (typeof options.url === "string") {
    client = createClient(options.url, options.timeout ?? 10_000, options.apiKey);
  } else {
    throw new TypeError("Cannot create ElasticsearchStore: pass a url or a client");
  }
  const errors = new ErrorMapper({
    store: "ElasticsearchStore",
    extraInfo: { indexPrefix },
    context,
    isConnectionFailure,
    translate: (error, operation) => documentError(error, operation, context),
  });
  const refresh = options.refresh ?? true;
  return { es: { client, errors, refresh, indexPrefix, clock, context }, owned: !options.client };
}

/** A client for `url` with one retry and a request timeout of `timeout` milliseconds. */
function createClient(url: string, timeout: number, apiKey?: string): Client {
  const config: ClientOptions = { node: url, requestTimeout: timeout, maxRetries: 1 };
  if (apiKey !== undefined) config.auth = { apiKey };
  // Bun's undici shim breaks the default UndiciConnection on refused
  // connections (and on close); node:http works on every runtime.
  if ("Bun" in globalThis) config.Connection = HttpConnection;
  return new Client(config);
}

/**
 * Makes sure `index` (holding `collection`) exists with the mapping, creating
 * it when `autoCreate` allows.
 */
export async function ensureIndex(
  client: Client,
  index: string,
  collection: string,
  autoCreate: boolean,
): Promise<void> {
  if (!autoCreate) {
    if (!(await client.indices.exists({ index }))) {
      throw missingError("ElasticsearchStore", "index", index, { collection, index });
    }
    return;
  }
  try {
    await client.indices.create({ index, mappings: MAPPING, settings: SETTINGS });
  } catch (error) {
    if (errorType(error) !== "resource_already_exists_exception") throw error;
  }
}

/** Deletes `index`; `true` if it existed. */
export async function deleteIndex(es: EsContext, index: string): Promise<boolean> {
  const result = await es.errors.call(
    "destroy",
    () => es.client.indices.delete({ index }, { ignore: [404] }),
  );
  return (result as { acknowledged?: boolean }).acknowledged === true;
}
