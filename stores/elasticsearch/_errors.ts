// ElasticsearchStore's knowledge of its client's errors: connection failures
// by name, the error type of a response, and the documents Elasticsearch
// refuses (a SerializationError). The shared ErrorMapper applies them.

import type { StoreOperation } from "../../core/base_store.ts";
import { type KeyValueError, KeyValueStoreError, SerializationError } from "../../core/errors.ts";
import type { StoreAction } from "../_shared/errors.ts";

const CONNECTION_ERRORS = new Set(["ConnectionError", "TimeoutError", "NoLivingConnectionsError"]);

/** Whether a client error means the cluster could not be reached. */
export function isConnectionFailure(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === "string" && CONNECTION_ERRORS.has(name);
}

/** The `type` of an Elasticsearch error (response error or bulk item error), if any. */
export function errorType(error: unknown): string | undefined {
  const e = error as {
    type?: unknown;
    meta?: { body?: { error?: { type?: unknown } } };
    body?: { error?: { type?: unknown } };
  } | undefined;
  const type = e?.type ?? e?.meta?.body?.error?.type ?? e?.body?.error?.type;
  return typeof type === "string" ? type : undefined;
}

/** Error types that mean "Elasticsearch cannot index this value". */
export const DOCUMENT_ERRORS: ReadonlySet<string> = new Set([
  "document_parsing_exception",
  "mapper_parsing_exception",
  "illegal_argument_exception",
]);

/** The error type of a write refused because the document changed since it was read. */
export const VERSION_CONFLICT = "version_conflict_engine_exception";

/**
 * The error of a document Elasticsearch refused: a SerializationError when
 * it cannot index the value, else a KeyValueStoreError.
 */
export function itemError(error: unknown, context: string): KeyValueError {
  const type = errorType(error) ?? "unknown";
  const reason = (error as { reason?: unknown } | undefined)?.reason ?? type;
  const message = `Cannot ${context}: Elasticsearch refused the document: ${String(reason)}`;
  const options = { extraInfo: { store: "ElasticsearchStore", type }, cause: error };
  return DOCUMENT_ERRORS.has(type)
    ? new SerializationError(message, options)
    : new KeyValueStoreError(message, options);
}

/**
 * The store's translation for the shared mapper: a put Elasticsearch refused
 * for its value becomes {@linkcode itemError}; `undefined` leaves any other
 * error to the shared rule.
 */
export function documentError(
  error: unknown,
  operation: StoreAction,
  context: (operation: StoreOperation) => string,
): KeyValueError | undefined {
  if (operation === "put" && DOCUMENT_ERRORS.has(errorType(error) ?? "")) {
    return itemError(
      (error as { meta?: { body?: { error?: unknown } } }).meta?.body?.error ?? error,
      context("put"),
    );
  }
  return undefined;
}
