// Turns client errors into the library's errors, in one place for the stores
// over a client library (MongoDB, Elasticsearch, DynamoDB).

import type { StoreOperation } from "../../core/base_store.ts";
import { StoreConnectionError } from "../../core/errors.ts";

/** An operation of the store, or its one-time setup. */
export type StoreAction = StoreOperation | "setup";

/** How {@linkcode ErrorMapper} recognises and describes one store's failures. */
export interface ErrorMapperOptions {
  /** The store's class name, e.g. "MongoDBStore". */
  store: string;
  /** Copied into every StoreConnectionError's `extraInfo` (after `store`). */
  extraInfo: Record<string, unknown>;
  /** The store's `context(operation)`, e.g. "get from MongoDBStore". */
  context(operation: StoreOperation): string;
  /** Whether a client error means the backend could not be reached. */
  isConnectionFailure(error: unknown): boolean;
  /** Maps any other error; by default it passes through unchanged. */
  other?(error: unknown, operation: StoreAction): unknown;
}

/**
 * The one place where a store's client errors become this library's errors:
 * a connection failure (refused, reset, timed out) becomes a
 * StoreConnectionError with the client's error as `cause`, reading
 * "Cannot <action>: <reason>".
 */
export class ErrorMapper {
  readonly #options: ErrorMapperOptions;

  constructor(options: ErrorMapperOptions) {
    this.#options = options;
  }

  /** The library's error for `error`, thrown by `operation`. */
  map(error: unknown, operation: StoreAction): unknown {
    const options = this.#options;
    if (options.isConnectionFailure(error)) {
      const reason = error instanceof Error ? error.message || error.name : String(error);
      const action = operation === "setup" ? `set up ${options.store}` : options.context(operation);
      return new StoreConnectionError(`Cannot ${action}: ${reason}`, {
        extraInfo: { store: options.store, ...options.extraInfo },
        cause: error,
      });
    }
    return options.other ? options.other(error, operation) : error;
  }

  /** Runs `run`, throwing the mapped error when it fails. */
  async call<T>(operation: StoreAction, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.map(error, operation);
    }
  }
}
