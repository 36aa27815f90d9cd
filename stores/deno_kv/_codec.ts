// This module is browser compatible.
// DenoKvStore's values: an entry is stored as the UTF-8 bytes of its
// py-key-value envelope JSON (never V8-serialized objects, so every runtime
// reads every database), with Deno KV's `expireIn` set from its expiry.

import { dumpEnvelope, type Entry, loadEnvelope } from "../../core/envelope.ts";
import { DeserializationError, ValueTooLargeError } from "../../core/errors.ts";
import { MAX_VALUE_BYTES } from "./_keys.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The bytes stored for an entry.
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

/**
 * The entry a stored value holds; `undefined` for no value.
 *
 * @throws {DeserializationError} When the value is not an envelope's bytes (or text).
 */
export function decodeEntry(value: unknown, context: string): Entry | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    if (value instanceof Uint8Array) return loadEnvelope(decoder.decode(value));
    if (typeof value === "string") return loadEnvelope(value);
  } catch (cause) {
    throw new DeserializationError(`Cannot ${context}: the stored entry is invalid`, { cause });
  }
  throw new DeserializationError(
    `Cannot ${context}: the stored value is not an entry (bytes of envelope JSON)`,
    { extraInfo: { type: typeof value } },
  );
}

/** Deno KV's set options for an entry: its remaining life, at least 1 ms. */
export function expireIn(entry: Entry): { expireIn: number } | undefined {
  if (entry.expiresAt === undefined) return undefined;
  return { expireIn: Math.max(1, Math.ceil(entry.expiresAt - Date.now())) };
}
