// This module is browser compatible.
/**
 * The stored entry and py-key-value's v1 JSON envelope.
 *
 * Stores that persist entries write the envelope
 * `{"collection", "created_at", "expires_at"?, "key", "value", "version": 1}`
 * with timestamps in ISO-8601 UTC with microseconds and a `+00:00` offset
 * (`2026-01-01T00:00:10.123000+00:00`), exactly as py-key-value does, so a
 * Python service and a TypeScript service can share one backend. Reading
 * accepts `Z` or any offset, any number of fraction digits, and a value that
 * is an object or a JSON string; `version`, `key`, `collection` and legacy
 * fields such as `ttl` are ignored on read, as py-key-value does.
 *
 * @example Usage
 * ```ts
 * import { dumpEnvelope, loadEnvelope } from "@kv/core/core/envelope";
 * import assert from "node:assert/strict";
 *
 * const json = dumpEnvelope({ value: { a: 1 }, createdAt: 0, expiresAt: 10_123 }, "k", "c");
 * assert.equal(
 *   json,
 *   '{"collection":"c","created_at":"1970-01-01T00:00:00.000000+00:00",' +
 *     '"expires_at":"1970-01-01T00:00:10.123000+00:00","key":"k","value":{"a":1},"version":1}',
 * );
 * assert.deepEqual(loadEnvelope(json), { value: { a: 1 }, createdAt: 0, expiresAt: 10_123 });
 * ```
 *
 * @module
 */

import { DeserializationError } from "./errors.ts";
import type { Value } from "./protocol.ts";
import { parseValue } from "./serialization.ts";

/** An entry as stores hand it to and from the base store. */
export interface Entry {
  /** The value (validated on write; a fresh object on read). */
  readonly value: Value;
  /** When it was written, in epoch milliseconds (fractions carry microseconds). */
  readonly createdAt?: number | undefined;
  /** When it expires, in epoch milliseconds; absent means never. */
  readonly expiresAt?: number | undefined;
}

/**
 * Formats epoch milliseconds as py-key-value does:
 * `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.
 *
 * @param ms Epoch milliseconds (fractions are microseconds).
 * @returns The ISO-8601 text with six fraction digits and `+00:00`.
 */
export function formatTimestamp(ms: number): string {
  // A batch writes one created_at and one expires_at for all its entries:
  // remembering the last two answers saves formatting them again.
  if (ms === lastFormatted[0]) return lastFormatted[1];
  if (ms === lastFormatted[2]) return lastFormatted[3];
  const text = formatFresh(ms);
  lastFormatted = [ms, text, lastFormatted[0], lastFormatted[1]];
  return text;
}

let lastFormatted: [number, string, number, string] = [NaN, "", NaN, ""];

function formatFresh(ms: number): string {
  let whole = Math.floor(ms);
  let micros = Math.round((ms - whole) * 1000);
  if (micros === 1000) {
    whole += 1;
    micros = 0;
  }
  const iso = new Date(whole).toISOString(); // 2026-01-01T00:00:10.123Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, "0")}+00:00`;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO-8601 timestamp (`Z` or an offset, any fraction; no offset
 * means UTC) into epoch milliseconds, keeping microseconds as a fraction.
 *
 * @param text The timestamp.
 * @returns Epoch milliseconds.
 * @throws {DeserializationError} When `text` is not such a timestamp.
 */
export function parseTimestamp(text: string): number {
  // The entries of one batch write share their created_at and expires_at:
  // remembering the last two answers saves parsing them again (about 0.5 µs
  // each in a process that loaded ioredis, see below).
  if (text === lastParsed[0]) return lastParsed[1];
  if (text === lastParsed[2]) return lastParsed[3];
  const ms = parseFresh(text);
  lastParsed = [text, ms, lastParsed[0], lastParsed[1]];
  return ms;
}

let lastParsed: [string, number, string, number] = ["", NaN, "", NaN];

function parseFresh(text: string): number {
  const fast = parseCanonicalTimestamp(text);
  if (fast !== undefined) return fast;
  const match = TIMESTAMP.exec(text);
  if (!match) {
    throw new DeserializationError(`Cannot read entry: invalid timestamp: ${JSON.stringify(text)}`);
  }
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const check = new Date(0);
  check.setUTCFullYear(Number(y), Number(mo) - 1, Number(d)); // Date.UTC maps years 0-99 to 19xx
  check.setUTCHours(Number(h), Number(mi), Number(s));
  let ms = check.getTime();
  if (
    check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) || check.getUTCMinutes() !== Number(mi) ||
    check.getUTCSeconds() !== Number(s)
  ) {
    throw new DeserializationError(`Cannot read entry: invalid timestamp: ${JSON.stringify(text)}`);
  }
  if (fraction) ms += Number(`0.${fraction}`) * 1000;
  if (zone && zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replaceAll(":", "");
    const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0");
    ms -= sign * minutes * 60_000;
  }
  if (!Number.isFinite(ms)) {
    throw new DeserializationError(`Cannot read entry: invalid timestamp: ${JSON.stringify(text)}`);
  }
  return ms;
}

// Strings are read by index, not charCodeAt: once any code defines a
// subclass of String (ioredis and node-redis do, for RESP3 verbatim
// strings), V8 runs String.prototype methods about 5x slower for the whole
// process, while indexing keeps its speed.

/** The digit `c` as a number, or -100 when it is not a digit. */
function digit(c: string | undefined): number {
  return c !== undefined && c >= "0" && c <= "9" ? +c : -100;
}

/** The two decimal digits at `at` as a number, or -1 if either is not a digit. */
function pair(text: string, at: number): number {
  const value = digit(text[at]) * 10 + digit(text[at + 1]);
  return value < 0 ? -1 : value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The fast path of {@linkcode parseTimestamp} for the one format every
 * writer of the envelope uses, `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` (what
 * {@linkcode formatTimestamp} and Python's `isoformat()` write): digits read
 * in place two at a time, fields range-checked, no regular expression, no
 * Date object, no string method. Returns `undefined` for anything else, which the general
 * parser handles.
 */
function parseCanonicalTimestamp(text: string): number | undefined {
  if (
    text.length !== 32 || text[4] !== "-" || text[7] !== "-" || text[10] !== "T" ||
    text[13] !== ":" || text[16] !== ":" || text[19] !== "." || text[26] !== "+" ||
    text[29] !== ":" || (pair(text, 27) | pair(text, 30)) !== 0
  ) return undefined;
  const century = pair(text, 0);
  const yy = pair(text, 2);
  const month = pair(text, 5);
  const day = pair(text, 8);
  const hour = pair(text, 11);
  const minute = pair(text, 14);
  const second = pair(text, 17);
  const f1 = pair(text, 20);
  const f2 = pair(text, 22);
  const f3 = pair(text, 24);
  if ((century | yy | second | f1 | f2 | f3) < 0) return undefined;
  const year = century * 100 + yy;
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second > 59) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  // Days since 1970-01-01 by Howard Hinnant's days_from_civil (twice as
  // fast as Date.UTC here, and exact for every year this format can hold).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy -
    719468;
  const micros = f1 * 10_000 + f2 * 100 + f3;
  // (micros / 1e6) * 1000 is, to the bit, what the general parser computes from `0.ffffff`.
  return days * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + (micros / 1e6) * 1000;
}

/**
 * Builds the envelope object (keys in py-key-value's sorted order).
 *
 * @param entry The entry.
 * @param key The key, written as `key` (omitted when `undefined`).
 * @param collection The collection, written as `collection` (omitted when `undefined`).
 * @returns The envelope as a plain object.
 */
export function toEnvelope(
  entry: Entry,
  key?: string,
  collection?: string,
): Record<string, unknown> {
  const envelope: Record<string, unknown> = {};
  if (collection !== undefined) envelope.collection = collection;
  if (entry.createdAt !== undefined) envelope.created_at = formatTimestamp(entry.createdAt);
  if (entry.expiresAt !== undefined) envelope.expires_at = formatTimestamp(entry.expiresAt);
  if (key !== undefined) envelope.key = key;
  envelope.value = entry.value;
  envelope.version = 1;
  return envelope;
}

/**
 * Serializes an entry as the v1 envelope JSON.
 *
 * @param entry The entry; its value must already be validated.
 * @param key The key to record in the envelope.
 * @param collection The collection to record in the envelope.
 * @returns Compact JSON with sorted top-level keys.
 */
export function dumpEnvelope(entry: Entry, key?: string, collection?: string): string {
  return JSON.stringify(toEnvelope(entry, key, collection));
}

function readTimestamp(envelope: Record<string, unknown>, field: string): number | undefined {
  const raw = envelope[field];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "string") return parseTimestamp(raw);
  throw new DeserializationError(`Cannot read entry: ${field} must be a string`, {
    extraInfo: { field, type: typeof raw },
  });
}

/**
 * Reads an envelope object into an entry.
 *
 * @param envelope The parsed envelope.
 * @returns The entry; its value is the envelope's value object.
 * @throws {DeserializationError} When `value` is missing or not an object, or a timestamp is bad.
 */
export function fromEnvelope(envelope: Record<string, unknown>): Entry {
  const raw = envelope.value;
  let value: Value;
  if (typeof raw === "string") value = parseValue(raw, "read entry");
  else if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) value = raw as Value;
  else {
    throw new DeserializationError("Cannot read entry: value must be an object", {
      extraInfo: { type: raw === null ? "null" : Array.isArray(raw) ? "array" : typeof raw },
    });
  }
  const createdAt = readTimestamp(envelope, "created_at");
  const expiresAt = readTimestamp(envelope, "expires_at");
  const entry: { value: Value; createdAt?: number; expiresAt?: number } = { value };
  if (createdAt !== undefined) entry.createdAt = createdAt;
  if (expiresAt !== undefined) entry.expiresAt = expiresAt;
  return entry;
}

/**
 * Parses v1 envelope JSON into an entry.
 *
 * @param json The stored text.
 * @returns The entry, with a fresh value object.
 * @throws {DeserializationError} When the text is not a valid envelope.
 */
export function loadEnvelope(json: string): Entry {
  return fromEnvelope(parseValue(json, "read entry"));
}
