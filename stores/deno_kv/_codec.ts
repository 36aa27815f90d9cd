// This module is browser compatible.
// DenoKvStore's values: an entry is stored as the UTF-8 bytes of its
// py-key-value envelope JSON (never V8-serialized objects, so every runtime
// reads every database), with Deno KV's `expireIn` set from its expiry.

import { dumpEnvelope, type Entry, fromEnvelope } from "../../core/envelope.ts";
import { DeserializationError, ValueTooLargeError } from "../../core/errors.ts";
import { parseValue } from "../../core/serialization.ts";
import { MAX_VALUE_BYTES } from "./_keys.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The bytes stored for an entry (its value is the validated copy the base
 * store made at the call).
 *
 * @throws {ValueTooLargeError} When they exceed Deno KV's value limit.
 */
export function encodeEntry(
  entry: Entry,
  key: string,
  collection: string,
  context: string,
): Uint8Array {
  const bytes = encoder.encode(dumpEnvelope(entry, key, collection));
  if (bytes.length > MAX_VALUE_BYTES) {
    throw new ValueTooLargeError(
      `Cannot ${context}: the entry takes ${bytes.length} bytes, ` +
        `over Deno KV's limit of ${MAX_VALUE_BYTES} bytes per value`,
      { extraInfo: { key, collection, size: bytes.length, limit: MAX_VALUE_BYTES } },
    );
  }
  return bytes;
}

/** A decoded envelope: the entry, and the names it records (if any). */
export interface Decoded {
  /** The entry. */
  readonly entry: Entry;
  /** The envelope's `key`, when it is a string. */
  readonly key: string | undefined;
  /** The envelope's `collection`, when it is a string. */
  readonly collection: string | undefined;
}

/**
 * The envelope a stored value holds; `undefined` for no value.
 *
 * @throws {DeserializationError} When the value is not an envelope's bytes (or text).
 */
export function decodeEnvelope(value: unknown, context: string): Decoded | undefined {
  if (value === null || value === undefined) return undefined;
  let text: string;
  if (value instanceof Uint8Array) text = decoder.decode(value);
  else if (typeof value === "string") text = value;
  else {
    throw new DeserializationError(
      `Cannot ${context}: the stored value is not an entry (bytes of envelope JSON)`,
      { extraInfo: { type: typeof value } },
    );
  }
  try {
    const envelope = parseValue(text, "read entry");
    const { key, collection } = envelope;
    return {
      entry: fromEnvelope(envelope),
      key: typeof key === "string" ? key : undefined,
      collection: typeof collection === "string" ? collection : undefined,
    };
  } catch (cause) {
    throw new DeserializationError(`Cannot ${context}: the stored entry is invalid`, { cause });
  }
}

/**
 * Whether a decoded envelope belongs to (`collection`, `key`): the names it
 * records match (an envelope that records none, from another writer, is
 * accepted). One that names another pair is not this pair's entry.
 */
export function belongsTo(decoded: Decoded, collection: string, key: string): boolean {
  return (decoded.key === undefined || decoded.key === key) &&
    (decoded.collection === undefined || decoded.collection === collection);
}

/**
 * The entry stored for (`collection`, `key`); `undefined` for no value, or
 * for an envelope that names another key or collection (a miss).
 *
 * @throws {DeserializationError} When the value is not an envelope's bytes (or text).
 */
export function decodeEntry(
  value: unknown,
  collection: string,
  key: string,
  context: string,
): Entry | undefined {
  const decoded = decodeEnvelope(value, context);
  return decoded && belongsTo(decoded, collection, key) ? decoded.entry : undefined;
}

/**
 * Deno KV's set options for an entry: its remaining life by the store's
 * clock (`now`), at least 1 ms.
 */
export function expireIn(entry: Entry, now: number): { expireIn: number } | undefined {
  if (entry.expiresAt === undefined) return undefined;
  return { expireIn: Math.max(1, Math.ceil(entry.expiresAt - now)) };
}
