// What PostgreSQL can hold, and how PostgresStore's rows become entries: the
// value as JSONB (refusing what JSONB cannot keep), the names as TEXT (refusing
// NUL and index entries too long for the primary key), timestamps as
// timestamptz.

import type { Entry } from "../../core/envelope.ts";
import { formatTimestamp } from "../../core/envelope.ts";
import { InvalidKeyError, SerializationError } from "../../core/errors.ts";
import type { Value } from "../../core/protocol.ts";
import { parseValue } from "../../core/serialization.ts";

/**
 * The most UTF-8 bytes of collection plus key: the primary key's B-tree
 * holds at most about 2700 bytes per entry (a third of an 8 kB page), and a
 * longer pair would fail at the INSERT, so it is refused up front.
 */
export const MAX_NAME_BYTES = 2600;

const encoder = new TextEncoder();

/**
 * Checks that a (sanitized) collection and key fit the table: no NUL (TEXT
 * cannot hold it) and at most {@linkcode MAX_NAME_BYTES} bytes together.
 *
 * @throws {InvalidKeyError} Naming the limit and a strategy that fixes it.
 */
export function checkNames(
  collection: string,
  key: string,
  context: string,
  collectionBytes: number = byteLength(collection),
): void {
  if (collection.includes("\0")) throw nulError("collection", collection, context);
  if (key.includes("\0")) throw nulError("key", key, context);
  // Fast path: a UTF-16 unit is at most 3 bytes of UTF-8.
  if (collectionBytes + 3 * key.length <= MAX_NAME_BYTES) return;
  const bytes = collectionBytes + byteLength(key);
  if (bytes > MAX_NAME_BYTES) {
    throw new InvalidKeyError(
      `Cannot ${context}: collection and key are ${bytes} bytes of UTF-8 together, over the ` +
        `${MAX_NAME_BYTES} bytes PostgresStore's primary key index can hold; pass ` +
        "keySanitizationStrategy: new HashExcessLengthStrategy({ maxLength: 1024 }) to hash long keys",
      { extraInfo: { bytes, limit: MAX_NAME_BYTES } },
    );
  }
}

function nulError(what: "collection" | "key", name: string, context: string): InvalidKeyError {
  return new InvalidKeyError(
    `Cannot ${context}: the ${what} contains NUL (U+0000), which a PostgreSQL TEXT column ` +
      `cannot hold; pass ${what}SanitizationStrategy: new AlwaysHashStrategy() to hash such names`,
    { extraInfo: { [what]: name } },
  );
}

/** The UTF-8 length of a name. */
export function byteLength(text: string): number {
  // Fast path: ASCII-only strings have one byte per UTF-16 unit.
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).byteLength;
}

function unstorable(text: string): string | undefined {
  if (text.includes("\0")) return "NUL (U+0000)";
  if (!text.isWellFormed()) return "a lone surrogate";
  return undefined;
}

function findUnstorable(value: unknown): string | undefined {
  if (typeof value === "string") return unstorable(value);
  if (typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const bad = findUnstorable(item);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const name in value) {
    const bad = unstorable(name) ?? findUnstorable((value as Record<string, unknown>)[name]);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * Checks a validated value (a plain copy) for what JSONB refuses: NUL and
 * lone surrogates, in strings or property names.
 *
 * @throws {SerializationError} When JSONB cannot hold the value.
 */
export function checkJsonb(value: Value, context: string): void {
  const bad = findUnstorable(value);
  if (bad) {
    throw new SerializationError(
      `Cannot ${context}: the value holds ${bad} in a string, which PostgreSQL's JSONB cannot store`,
      { extraInfo: { reason: bad } },
    );
  }
}

/** A row of `get`/`getMany`: the value as JSON text, timestamps as epoch ms text. */
export interface Row {
  /** The value (JSONB as text). */
  v: string;
  /** created_at in epoch milliseconds, or null. */
  c: string | null;
  /** expires_at in epoch milliseconds, or null. */
  e: string | null;
  /** The key (getMany only). */
  k?: string;
}

/** A row as an entry. @throws {DeserializationError} When the value is not a JSON object. */
export function rowEntry(row: Row, context: string): Entry {
  const value = parseValue(typeof row.v === "string" ? row.v : JSON.stringify(row.v), context);
  const createdAt = row.c === null || row.c === undefined ? undefined : Number(row.c);
  const expiresAt = row.e === null || row.e === undefined ? undefined : Number(row.e);
  return { value, createdAt, expiresAt };
}

/** The timestamptz parameter for epoch milliseconds (exact to the microsecond), or null. */
export function timestamp(ms: number | undefined): string | null {
  return ms === undefined ? null : formatTimestamp(ms);
}

/** The `ttl` column: the seconds from creation to expiry, as py-key-value writes it, or null. */
export function ttlColumn(entry: Entry): number | null {
  if (entry.expiresAt === undefined || entry.createdAt === undefined) return null;
  return (entry.expiresAt - entry.createdAt) / 1000;
}

const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection timeout|^timeout expired$|Client has encountered a connection error|Connection refused|ECONNRESET|the database system is (starting up|shutting down)/i;

/**
 * node-postgres's signs of a lost or refused connection, beyond the shared
 * socket codes: its own messages, and SQLSTATE class 08 (connection
 * exception), 57P01-57P03 (shutdown, cannot connect now) and 53300 (too many
 * connections).
 */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^(08...|57P0[123]|53300)$/.test(code)) return true;
  return CONNECTION_MESSAGES.test(error.message);
}
