// The SQL of PostgresStore: py-key-value's PostgreSQLStore table and one
// statement per operation (batches with `= ANY($n)` and `unnest`). Pure text
// building, so the unit tests can read it; every value travels as a
// parameter, and only the validated table name is spliced in.

import { sha256Hex } from "../../core/_sha256.ts";

/** py-key-value's default table. */
export const DEFAULT_TABLE = "kv_store";
/** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes. */
export const MAX_IDENTIFIER = 63;
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Checks a table name as py-key-value does (letters, digits and `_`, not
 * starting with a digit, at most 63 characters), but ASCII only: the name is
 * spliced into SQL unquoted, as py-key-value does, so that PostgreSQL folds it
 * to the same lower-case table both libraries use.
 *
 * @param name The table name.
 * @returns The name.
 * @throws {TypeError} When the name is not such an identifier.
 */
export function checkTableName(name: unknown): string {
  if (typeof name !== "string" || !TABLE_NAME.test(name) || name.length > MAX_IDENTIFIER) {
    throw new TypeError(
      `Cannot create PostgresStore: tableName must be 1 to ${MAX_IDENTIFIER} ASCII letters, ` +
        `digits or "_", not starting with a digit; got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/**
 * The name of the partial index on `expires_at`, as py-key-value names it:
 * `idx_<table>_expires_at`, or `idx_<16 hex of sha256(table)>_exp` when that
 * would pass 63 characters.
 */
export function indexName(table: string): string {
  const name = `idx_${table}_expires_at`;
  if (name.length <= MAX_IDENTIFIER) return name;
  return `idx_${sha256Hex(table).slice(0, 16)}_exp`;
}

/** Every statement PostgresStore sends, for one table. */
export interface Statements {
  readonly createTable: string;
  readonly createIndex: string;
  readonly tableExists: string;
  readonly get: string;
  readonly getMany: string;
  readonly put: string;
  readonly putMany: string;
  readonly putIfAbsent: string;
  readonly delete: string;
  readonly deleteMany: string;
  readonly keys: string;
  readonly collections: string;
  readonly destroyCollection: string;
  readonly destroy: string;
  readonly cull: string;
}

// Timestamps are read back as epoch milliseconds in text (exact to the
// microsecond) and values as JSON text, so a client with its own type
// parsers (JSONB, timestamptz, numeric) still hands the store plain text.
const ROW = "value::text AS v, (extract(epoch FROM created_at) * 1000)::text AS c, " +
  "(extract(epoch FROM expires_at) * 1000)::text AS e";
const COLUMNS = "(collection, key, value, ttl, created_at, expires_at)";
const LIVE = "(expires_at IS NULL OR expires_at > $NOW::timestamptz)";
const live = (n: number) => LIVE.replace("$NOW", `$${n}`);

/**
 * The statements for `table` (already checked by {@linkcode checkTableName}).
 *
 * The upsert keeps `created_at` of an existing row, as py-key-value's does;
 * putIfAbsent replaces only a row whose `expires_at <= now` (then with a new
 * `created_at`). Every deadline is a parameter (the store's clock), never
 * SQL's `now()`.
 */
export function statements(table: string): Statements {
  const upsert = "ON CONFLICT (collection, key) DO UPDATE SET value = EXCLUDED.value, " +
    "ttl = EXCLUDED.ttl, expires_at = EXCLUDED.expires_at";
  const deleteCounting = (where: string) =>
    `WITH d AS (DELETE FROM ${table} WHERE ${where} RETURNING expires_at) ` +
    `SELECT (count(*) FILTER (WHERE ${live(3)}))::int AS n FROM d`;
  return {
    createTable: `CREATE TABLE IF NOT EXISTS ${table} (collection TEXT NOT NULL, ` +
      "key TEXT NOT NULL, value JSONB NOT NULL, ttl DOUBLE PRECISION, " +
      "created_at TIMESTAMPTZ, expires_at TIMESTAMPTZ, PRIMARY KEY (collection, key))",
    createIndex: `CREATE INDEX IF NOT EXISTS ${indexName(table)} ON ${table}(expires_at) ` +
      "WHERE expires_at IS NOT NULL",
    tableExists: "SELECT to_regclass($1) IS NOT NULL AS e",
    get: `SELECT ${ROW} FROM ${table} WHERE collection = $1 AND key = $2`,
    getMany:
      `SELECT key AS k, ${ROW} FROM ${table} WHERE collection = $1 AND key = ANY($2::text[])`,
    put: `INSERT INTO ${table} ${COLUMNS} VALUES ($1, $2, $3::jsonb, $4, $5::timestamptz, ` +
      `$6::timestamptz) ${upsert}`,
    putMany: `INSERT INTO ${table} ${COLUMNS} SELECT $1, u.k, u.v::jsonb, $4, $5::timestamptz, ` +
      `$6::timestamptz FROM unnest($2::text[], $3::text[]) AS u(k, v) ${upsert}`,
    putIfAbsent: `INSERT INTO ${table} AS t ${COLUMNS} VALUES ($1, $2, $3::jsonb, $4, ` +
      "$5::timestamptz, $6::timestamptz) ON CONFLICT (collection, key) DO UPDATE SET " +
      "value = EXCLUDED.value, ttl = EXCLUDED.ttl, created_at = EXCLUDED.created_at, " +
      "expires_at = EXCLUDED.expires_at WHERE t.expires_at IS NOT NULL AND " +
      "t.expires_at <= $7::timestamptz RETURNING 1 AS ok",
    delete: deleteCounting("collection = $1 AND key = $2"),
    deleteMany: deleteCounting("collection = $1 AND key = ANY($2::text[])"),
    keys: `SELECT key AS k FROM ${table} WHERE collection = $1 AND ${live(2)} ` +
      "ORDER BY key LIMIT $3",
    collections: `SELECT DISTINCT collection AS k FROM ${table} WHERE ${live(1)} ` +
      "ORDER BY collection LIMIT $2",
    destroyCollection: `DELETE FROM ${table} WHERE collection = $1`,
    destroy: `DELETE FROM ${table}`,
    cull: `DELETE FROM ${table} WHERE expires_at <= $1::timestamptz`,
  };
}
