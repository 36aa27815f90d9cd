// This module is browser compatible.
// The one place where every store's backend errors become this library's
// errors, with one rule for all of them:
//
//   1. an error of this library (a KeyValueError) passes through unchanged;
//   2. the store's own translation, if it has one, names what it knows
//      (a document too large, a missing index, ...);
//   3. a connection failure (refused, reset, timed out, unreachable: one
//      list of socket codes for every store, plus the client's own names
//      for it) becomes a StoreConnectionError;
//   4. anything else becomes a KeyValueStoreError.
//
// Every mapped error reads "Cannot <operation> <Store>: <reason>" and keeps
// the backend's error as `cause`.

import type { StoreOperation } from "../../core/base_store.ts";
import { KeyValueError, KeyValueStoreError, StoreConnectionError } from "../../core/errors.ts";

/** An operation of the store, or its one-time setup. */
export type StoreAction = StoreOperation | "setup";

/**
 * Socket and system error codes (`code` or `errno`) that mean the backend
 * could not be reached or went away: one list for every store.
 */
export const CONNECTION_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENOTCONN",
  "ERR_SOCKET_CLOSED",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
  "ERR_STREAM_DESTROYED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  // Bun's fetch and sockets
  "ConnectionRefused",
  "ConnectionReset",
  "ConnectionClosed",
  "FailedToOpenSocket",
]);

/**
 * Whether `error`, or an error in its `cause` chain, carries one of the
 * {@linkcode CONNECTION_CODES}.
 *
 * @param error Anything thrown.
 * @returns `true` for a connection failure by code.
 */
export function hasConnectionCode(error: unknown): boolean {
  let e = error;
  for (let depth = 0; typeof e === "object" && e !== null && depth < 6; depth++) {
    const { code, errno } = e as { code?: unknown; errno?: unknown };
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    if (typeof errno === "string" && CONNECTION_CODES.has(errno)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** How {@linkcode ErrorMapper} recognises and describes one store's failures. */
export interface ErrorMapperOptions {
  /** The store's class name, e.g. "MongoDBStore". */
  store: string;
  /** Copied into every mapped error's `extraInfo` (after `store`). */
  extraInfo?: Record<string, unknown>;
  /** The store's `context(operation)`, e.g. "get from MongoDBStore". */
  context(operation: StoreOperation): string;
  /**
   * The client's own signs of a connection failure (error names, messages,
   * server replies such as LOADING), beyond the shared socket codes.
   */
  isConnectionFailure?(error: unknown): boolean;
  /**
   * A store-specific name for an error it knows; `undefined` leaves the
   * error to the shared rule.
   */
  translate?(error: unknown, operation: StoreAction, context: string): KeyValueError | undefined;
}

/**
 * Maps backend errors to library errors by the rule in this module's
 * header. One instance per store.
 */
export class ErrorMapper {
  readonly #options: ErrorMapperOptions;

  /** Creates the mapper. @param options What the store knows of its client's errors. */
  constructor(options: ErrorMapperOptions) {
    this.#options = options;
  }

  /**
   * The library's error for `error`, thrown by `operation`.
   *
   * @param error Anything the backend threw.
   * @param operation The operation (or "setup").
   * @returns A KeyValueError with `error` as its cause (or `error` itself, when it is one).
   */
  map(error: unknown, operation: StoreAction): KeyValueError {
    if (error instanceof KeyValueError) return error;
    const options = this.#options;
    const context = operation === "setup" ? `set up ${options.store}` : options.context(operation);
    const translated = options.translate?.(error, operation, context);
    if (translated !== undefined) return translated;
    const reason = error instanceof Error ? error.message || error.name : String(error);
    const extraInfo = { store: options.store, ...options.extraInfo };
    if (hasConnectionCode(error) || options.isConnectionFailure?.(error) === true) {
      return new StoreConnectionError(`Cannot ${context}: ${reason}`, { extraInfo, cause: error });
    }
    return new KeyValueStoreError(`Cannot ${context}: ${reason}`, { extraInfo, cause: error });
  }

  /**
   * Runs `run`, throwing the mapped error when it fails.
   *
   * @param operation The operation (or "setup").
   * @param run The backend call.
   * @returns What `run` returns.
   */
  async call<T>(operation: StoreAction, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.map(error, operation);
    }
  }
}
