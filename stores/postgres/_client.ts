// PostgresStore's client: node-postgres (`pg`), either the caller's pool or
// client, or a Pool the store creates from a URL; and the one ErrorMapper
// over it.

// node-postgres: the most used PostgreSQL client for JavaScript; pure
// JavaScript over node:net, so the same code runs on Node, Deno and Bun, and
// a `pg.Pool`, `pg.Client` or pool client users already have plugs in.
// @ts-types="./_pg.d.ts"
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
 * Checks a connection URL: `postgres://` or `postgresql://`, parseable, its
 * percent-escapes valid (node-postgres would otherwise fall back to its
 * defaults and connect elsewhere).
 *
 * @throws {TypeError} When the URL is not such a URL.
 */
export function checkUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
    for (const part of [parsed.username, parsed.password, parsed.pathname]) {
      decodeURIComponent(part);
    }
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new TypeError(
      "Cannot create PostgresStore: url must be a postgres:// or postgresql:// URL, " +
        "e.g. postgres://user@127.0.0.1:5432/app (the URL is not repeated: it may hold a password)",
    );
  }
  return url;
}

type ClientConfig = ConstructorParameters<typeof pg.Client>[0];

/**
 * A Pool for `url` whose new connections give up after `timeout` ms (the
 * clients' own `connectionTimeoutMillis`: given to the Pool instead, it would
 * also arm and clear a timer on every checkout of an idle client, which costs
 * each query about a tenth of a loopback round trip). Its idle-client
 * `error` events (the server went away) are absorbed; the failing query
 * reports them.
 */
export function createPool(
  url: string,
  timeout: number,
  size: number,
): PostgresQueryable & { end(): Promise<void> } {
  class TimedClient extends pg.Client {
    constructor(config?: ClientConfig) {
      super({ ...(config as object), connectionTimeoutMillis: timeout });
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: size, Client: TimedClient });
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
