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

function byteLength(text: string): number {
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).byteLength;
}

/**
 * Checks that a (sanitized) collection and key fit the table: no NUL (TEXT
 * cannot hold it) and at most {@linkcode MAX_NAME_BYTES} bytes together.
 *
 * @throws {InvalidKeyError} Naming the limit and a strategy that fixes it.
 */
export function checkNames(collection: string, key: string, context: string): void {
  for (const [what, name] of [["collection", collection], ["key", key]] as const) {
    if (name.includes("\0")) {
      throw new InvalidKeyError(
        `Cannot ${context}: the ${what} contains NUL (U+0000), which a PostgreSQL TEXT column ` +
          `cannot hold; pass ${what}SanitizationStrategy: new AlwaysHashStrategy() to hash such names`,
        { extraInfo: { [what]: name } },
      );
    }
  }
  const bytes = byteLength(collection) + byteLength(key);
  if (bytes > MAX_NAME_BYTES) {
    throw new InvalidKeyError(
      `Cannot ${context}: collection and key are ${bytes} bytes of UTF-8 together, over the ` +
        `${MAX_NAME_BYTES} bytes PostgresStore's primary key index can hold; pass ` +
        "keySanitizationStrategy: new HashExcessLengthStrategy({ maxLength: 1024 }) to hash long keys",
      { extraInfo: { bytes, limit: MAX_NAME_BYTES } },
    );
  }
}

// In JSON text from JSON.stringify, `\u0000` (NUL) and `\udXXX` (a lone
// surrogate: well-formed stringify escapes only those) preceded by an even
// number of backslashes. JSONB refuses both.
const UNSTORABLE = /(?<!\\)(?:\\\\)*\\u(0000|d[89a-f][0-9a-f]{2})/;

/**
 * The JSON text of a validated value, checked for what JSONB refuses: NUL
 * and lone surrogates, in strings or property names.
 *
 * @throws {SerializationError} When JSONB cannot hold the value.
 */
export function jsonbText(value: Value, context: string): string {
  const text = JSON.stringify(value);
  const bad = UNSTORABLE.exec(text);
  if (bad) {
    const what = bad[1] === "0000" ? "NUL (U+0000)" : "a lone surrogate";
    throw new SerializationError(
      `Cannot ${context}: the value holds ${what} in a string, which PostgreSQL's JSONB cannot store`,
      { extraInfo: { reason: what } },
    );
  }
  return text;
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
