// PostgresStore's client: node-postgres (`pg`), either the caller's pool or
// client, or a Pool the store creates from a URL; and the one ErrorMapper
// over it.

// node-postgres: the most used PostgreSQL client for JavaScript; pure
// JavaScript over node:net, so the same code runs on Node, Deno and Bun, and
// a `pg.Pool`, `pg.Client` or pool client users already have plugs in.
import pg from "pg";
import { StoreSetupError } from "../../core/errors.ts";
import type { StoreOperation } from "../../core/base_store.ts";
import { ErrorMapper, hasConnectionCode } from "../_shared/errors.ts";
import { isConnectionFailure } from "./_rows.ts";

/** What a query returns, as node-postgres shapes it. */
export interface QueryResultLike {
  /** The rows, as objects by column name. */
  rows: unknown[];
  /** Rows inserted, updated or deleted. */
  rowCount: number | null;
}

/**
 * What the store needs of a client: `query(text, values)` as node-postgres's
 * `Pool`, `Client` and pool clients have it.
 */
export interface PostgresQueryable {
  /** Runs one parameterized statement. */
  query(text: string, values?: unknown[]): Promise<QueryResultLike>;
}

/**
 * A Pool for `url`; its idle-client `error` events (the server went away)
 * are absorbed, the failing query reports them.
 */
export function createPool(url: string, timeout: number, size: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: timeout, max: size });
  pool.on("error", () => {});
  return pool;
}

/**
 * The store's error mapping: connection failures are StoreConnectionError,
 * any other failure of setup a StoreSetupError, anything else a
 * KeyValueStoreError; the driver's error is the cause.
 */
export function postgresErrors(
  table: string,
  context: (operation: StoreOperation) => string,
): ErrorMapper {
  const extraInfo = { table };
  return new ErrorMapper({
    store: "PostgresStore",
    extraInfo,
    context,
    isConnectionFailure,
    translate: (error, operation, text) => {
      if (operation !== "setup" || hasConnectionCode(error) || isConnectionFailure(error)) {
        return undefined;
      }
      const reason = error instanceof Error ? error.message : String(error);
      return new StoreSetupError(`Cannot ${text}: ${reason}`, {
        extraInfo: { store: "PostgresStore", ...extraInfo },
        cause: error,
      });
    },
  });
}
