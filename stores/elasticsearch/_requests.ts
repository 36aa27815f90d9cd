// ElasticsearchStore's document requests (get, `_mget`, index, delete,
// `_bulk`) and the errors of refused documents.

import type { StoreOperation } from "../../core/base_store.ts";
import type { Entry } from "../../core/envelope.ts";
import { KeyValueStoreError, SerializationError } from "../../core/errors.ts";
import {
  belongsTo,
  DOCUMENT_ERRORS,
  errorType,
  type EsDocument,
  fromDocument,
} from "./_documents.ts";
import type { EsContext } from "./_setup.ts";
import { decodeEach } from "../_shared/batch.ts";
import type { StoreAction } from "../_shared/errors.ts";

/** Reads the entry of `key`, stored as document `id` (real-time). */
export async function getEntry(
  es: EsContext,
  index: string,
  id: string,
  key: string,
): Promise<Entry | undefined> {
  const result = await es.errors.call(
    "get",
    () => es.client.get<EsDocument>({ index, id }, { ignore: [404] }),
  );
  const source = result.found ? result._source : undefined;
  return source && belongsTo(source, key) ? fromDocument(source) : undefined;
}

/** Reads the entries of `keys`, stored as documents `ids`, with one `_mget`. */
export async function mgetEntries(
  es: EsContext,
  index: string,
  ids: readonly string[],
  keys: readonly string[],
): Promise<(Entry | undefined)[]> {
  const result = await es.errors.call(
    "get",
    () => es.client.mget<EsDocument>({ index, ids: [...new Set(ids)] }, { ignore: [404] }),
  );
  const sources = new Map<string, EsDocument>();
  for (const doc of result.docs ?? []) {
    if ("found" in doc && doc.found && doc._source) sources.set(doc._id, doc._source);
  }
  return decodeEach(ids, (id, i) => {
    const source = sources.get(id);
    return source && belongsTo(source, keys[i]!) ? source : undefined;
  }, fromDocument);
}

/** Deletes document `id`; `true` if it existed. */
export async function deleteDocument(es: EsContext, index: string, id: string): Promise<boolean> {
  const result = await es.errors.call(
    "delete",
    () => es.client.delete({ index, id, refresh: es.refresh }, { ignore: [404] }),
  );
  return result.result === "deleted";
}

/** One item of a `_bulk` response. */
export interface BulkItem {
  /** The outcome of an `index` operation. */
  index?: { result?: string; error?: unknown };
  /** The outcome of a `delete` operation. */
  delete?: { result?: string; error?: unknown };
}

/**
 * Sends one `_bulk` and returns its items; the first refused item is thrown
 * (see {@linkcode itemError}).
 */
export async function bulk(
  es: EsContext,
  operations: unknown[],
  operation: StoreOperation,
  refresh: boolean | "wait_for" = es.refresh,
): Promise<BulkItem[]> {
  const result = await es.errors.call(
    operation,
    () => es.client.bulk({ operations: operations as never, refresh }),
  );
  const items = result.items as BulkItem[];
  if (result.errors) {
    const failed = items.find((item) => (item.index ?? item.delete)?.error);
    const error = (failed?.index ?? failed?.delete)?.error;
    throw itemError(error, es.context(operation));
  }
  return items;
}

/** How many `delete` items of a `_bulk` response deleted a document. */
export function deletedCount(items: readonly BulkItem[]): number {
  return items.filter((item) => item.delete?.result === "deleted").length;
}

/**
 * The error of a document Elasticsearch refused: a SerializationError when
 * it cannot index the value, else a KeyValueStoreError.
 */
export function itemError(error: unknown, context: string): Error {
  const type = errorType(error) ?? "unknown";
  const reason = (error as { reason?: unknown } | undefined)?.reason ?? type;
  const message = `Cannot ${context}: Elasticsearch refused the document: ${String(reason)}`;
  const options = { extraInfo: { store: "ElasticsearchStore", type }, cause: error };
  return DOCUMENT_ERRORS.has(type)
    ? new SerializationError(message, options)
    : new KeyValueStoreError(message, options);
}

/**
 * Maps a client error that is not a connection failure: a put Elasticsearch
 * refused for its value becomes {@linkcode itemError}; others pass through.
 */
export function documentError(
  error: unknown,
  operation: StoreAction,
  context: (operation: StoreOperation) => string,
): unknown {
  if (operation === "put" && DOCUMENT_ERRORS.has(errorType(error) ?? "")) {
    return itemError(
      (error as { meta?: { body?: { error?: unknown } } }).meta?.body?.error ?? error,
      context("put"),
    );
  }
  return error;
}
