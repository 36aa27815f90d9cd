// What RedisStore and ValkeyStore know of the errors of ioredis, iovalkey and
// the servers behind them, for the one ErrorMapper of stores/_shared/errors.ts
// (socket codes such as ECONNREFUSED are that module's shared list).

import type { StoreOperation } from "../../core/base_store.ts";
import { StoreConnectionError } from "../../core/errors.ts";
import { ErrorMapper, hasConnectionCode } from "../_shared/errors.ts";

// Client errors (by name) raised while the connection is down or too slow.
const CONNECTION_NAMES = new Set([
  "MaxRetriesPerRequestError",
  "ClusterAllFailedError",
  "AbortError",
]);

// Client messages raised while the connection is down or too slow.
const CONNECTION_MESSAGES = [
  /^Connection is closed/,
  /^Stream isn't writeable/,
  /^Command timed out/,
  /Cluster isn't ready/,
  /^None of startup nodes is available/,
  /^Failed to refresh slots cache/,
  /^Too many Cluster redirections/,
  /^Reached the max retries per request limit/,
  // Sentinel mode: no Sentinel answered, or none knows the master.
  /^All sentinels are unreachable/,
];

// Server replies that mean "not available now" or "not allowed to connect".
const CONNECTION_REPLIES = /^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOAUTH|WRONGPASS|BUSY)\b/;

/**
 * Whether a client error is one of the client's own signs that the server
 * could not be reached or answer in time (beyond the shared socket codes):
 * its error names and messages, and server replies such as LOADING.
 */
export function isRespConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, message } = error;
  if (name === "ReplyError") return CONNECTION_REPLIES.test(message);
  if (CONNECTION_NAMES.has(name)) return true;
  return CONNECTION_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * Whether a client error is the server's WRONGTYPE reply: the key holds a
 * hash, list, set, ... where a string was expected.
 */
export function isWrongType(error: unknown): boolean {
  return error instanceof Error && error.name === "ReplyError" &&
    error.message.startsWith("WRONGTYPE");
}

/**
 * The error mapper of one RESP store. A connection failure whose own
 * message says little ("Reached the max retries per request limit") names
 * the last socket error the client reported, which says why the connection
 * is down (ECONNREFUSED, a TLS failure, ...).
 *
 * @param store The store's class name.
 * @param context The store's `context(operation)`.
 * @param lastSocketError The last error the created client emitted, if any.
 */
export function respErrorMapper(
  store: string,
  context: (operation: StoreOperation) => string,
  lastSocketError: () => Error | undefined,
): ErrorMapper {
  return new ErrorMapper({
    store,
    context,
    isConnectionFailure: isRespConnectionFailure,
    translate(error, _operation, context) {
      const last = lastSocketError();
      if (last === undefined || !(error instanceof Error)) return undefined;
      if (!isRespConnectionFailure(error) && !hasConnectionCode(error)) return undefined;
      if (last.message === error.message) return undefined;
      return new StoreConnectionError(
        `Cannot ${context}: ${error.message} (last connection error: ${last.message})`,
        { extraInfo: { store, lastConnectionError: last.message }, cause: error },
      );
    },
  });
}
