// Maps errors of ioredis and iovalkey (and of the servers behind them) to the
// library's error classes, in one place for RedisStore and ValkeyStore.

import { KeyValueError, KeyValueStoreError, StoreConnectionError } from "../../core/errors.ts";

// Socket error codes that mean the server cannot be reached or went away.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENOTCONN",
  "ERR_SOCKET_CLOSED",
  "ERR_STREAM_DESTROYED",
]);

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
  /^connect ETIMEDOUT/,
];

// Server replies that mean "not available now" or "not allowed to connect".
const CONNECTION_REPLIES = /^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOAUTH|WRONGPASS|BUSY)\b/;

/** Whether a client error means the server could not be reached or answer in time. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, message } = error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
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
 * Turns an error of the client into the library's error: our own errors
 * pass through, connection failures become {@linkcode StoreConnectionError},
 * anything else (a server reply such as OOM) a {@linkcode KeyValueStoreError}.
 * Each keeps the client's error as `cause`.
 *
 * @param error What the client threw.
 * @param context The operation, as "get from RedisStore".
 * @param lastSocketError The last socket error the client reported, which
 * says why the connection is down better than the command's own error.
 */
export function toStoreError(error: unknown, context: string, lastSocketError?: Error): Error {
  if (error instanceof KeyValueError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isConnectionError(error)) {
    const reason = lastSocketError && lastSocketError.message !== message
      ? `${message} (last connection error: ${lastSocketError.message})`
      : message;
    return new StoreConnectionError(`Cannot ${context}: server unreachable: ${reason}`, {
      cause: error,
    });
  }
  return new KeyValueStoreError(`Cannot ${context}: ${message}`, { cause: error });
}
