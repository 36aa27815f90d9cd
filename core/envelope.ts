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
