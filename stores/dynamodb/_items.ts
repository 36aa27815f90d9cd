// Pure helpers of DynamoDBStore: the item layout, DynamoDB's size limits,
// batching and connection-error detection. No AWS SDK import here (the client
// package is loaded only by stores/dynamodb.ts).

import { dumpEnvelope, type Entry, fromEnvelope } from "../../core/envelope.ts";
import { DeserializationError, InvalidKeyError, ValueTooLargeError } from "../../core/errors.ts";
import type { Value } from "../../core/protocol.ts";
import { parseValue } from "../../core/serialization.ts";

/** A DynamoDB attribute value as this store writes and reads it. */
export type Attr = { S: string } | { N: string };
/** A DynamoDB item (or key) of this store. */
export type Item = Record<string, Attr>;

/** The largest partition key value: 2,048 bytes of UTF-8. */
export const MAX_COLLECTION_BYTES = 2048;
/** The largest sort key value: 1,024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/** The largest item, names and values included: 400 KB. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** Keys per BatchGetItem request. */
export const BATCH_GET_SIZE = 100;
/** Requests per BatchWriteItem call. */
export const BATCH_WRITE_SIZE = 25;

const encoder = new TextEncoder();

/** UTF-8 length of a string. */
export function byteLength(text: string): number {
  // Fast path: ASCII-only strings have one byte per UTF-16 unit.
  // deno-lint-ignore no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).byteLength;
}

/**
 * Checks that a (sanitized) collection and key fit DynamoDB's key limits.
 *
 * @throws {InvalidKeyError} Naming the limit and a strategy that fixes it.
 */
export function checkKeyNames(collection: string, key: string, context: string): void {
  const collectionBytes = byteLength(collection);
  if (collectionBytes > MAX_COLLECTION_BYTES) {
    throw new InvalidKeyError(
      `Cannot ${context}: the collection is ${collectionBytes} bytes of UTF-8, over DynamoDB's ` +
        `partition key limit of ${MAX_COLLECTION_BYTES} bytes; pass ` +
        "collectionSanitizationStrategy: new HashExcessLengthStrategy({ maxLength: 500 }) " +
        "to hash long collection names",
      { extraInfo: { collectionBytes, limit: MAX_COLLECTION_BYTES } },
    );
  }
  const keyBytes = byteLength(key);
  if (keyBytes > MAX_KEY_BYTES) {
    throw new InvalidKeyError(
      `Cannot ${context}: the key is ${keyBytes} bytes of UTF-8, over DynamoDB's sort key ` +
        `limit of ${MAX_KEY_BYTES} bytes; pass keySanitizationStrategy: ` +
        "new HashExcessLengthStrategy({ maxLength: 250 }) to hash long keys",
      { extraInfo: { keyBytes, limit: MAX_KEY_BYTES } },
    );
  }
}

/**
 * The `ttl` attribute: the deadline's epoch second, rounded down, as
 * py-key-value writes its own (`int(expires_at.timestamp())`).
 *
 * py-key-value reads `ttl` as the deadline and only as whole seconds (it
 * parses it with `int()`), so no integer keeps both of these exact for a
 * deadline between two seconds: rounded up, py-key-value would read an
 * entry as live for up to a second after it expired; rounded down, it
 * drops the entry up to a second early, exactly as it does its own entries,
 * and DynamoDB may treat the item as expired during the last second of its
 * life. Rounded down is the choice: no reader ever sees an expired entry
 * as live. DynamoDB deletes expired items lazily (AWS: typically within a
 * few days of expiry, never on time), so an early delete within that last
 * second needs its sweeper to reach the item in that very second. This
 * store itself reads the envelope's `expires_at`, exact to the millisecond.
 */
export function ttlSeconds(expiresAt: number): number {
  return Math.floor(expiresAt / 1000);
}

/** The primary key of an item. */
export function itemKey(collection: string, key: string): Item {
  return { collection: { S: collection }, key: { S: key } };
}

/**
 * Builds the item `{collection, key, value: <envelope JSON>, ttl?}`. The
 * envelope records the original (unsanitized) names.
 *
 * @throws {ValueTooLargeError} When the item is over 400 KB.
 */
export function toItem(
  names: { collection: string; key: string },
  original: { collection: string; key: string },
  entry: Entry,
  context: string,
): Item {
  const json = dumpEnvelope(entry, original.key, original.collection);
  const item: Item = { ...itemKey(names.collection, names.key), value: { S: json } };
  let size = 10 + byteLength(names.collection) + 3 + byteLength(names.key) + 5 + byteLength(json);
  if (entry.expiresAt !== undefined) {
    const ttl = String(ttlSeconds(entry.expiresAt));
    item.ttl = { N: ttl };
    size += 3 + Math.ceil(ttl.length / 2) + 1;
  }
  if (size > MAX_ITEM_BYTES) {
    throw new ValueTooLargeError(
      `Cannot ${context}: the item is ${size} bytes, over DynamoDB's item limit of ` +
        `${MAX_ITEM_BYTES} bytes`,
      { extraInfo: { size, limit: MAX_ITEM_BYTES } },
    );
  }
  return item;
}

/**
 * Reads an item's entry from its `value` envelope. When the envelope has no
 * `expires_at` but the item has a `ttl`, the `ttl` is the expiry.
 *
 * @throws {DeserializationError} When `value` is missing or not an envelope.
 */
export function fromItem(item: Record<string, unknown>): Entry {
  return readItem(item).entry;
}

/**
 * The entry of (`names.collection`, `names.key`) in an item, or `undefined`
 * when its envelope records another collection or key (an item that two
 * names share through a sanitization strategy: a miss). An envelope that
 * records no names, from another writer, is accepted.
 *
 * @throws {DeserializationError} When `value` is missing or not an envelope.
 */
export function itemEntry(
  item: Record<string, unknown>,
  names: { collection: string; key: string },
): Entry | undefined {
  const { entry, envelope } = readItem(item);
  const { key, collection } = envelope;
  if (typeof key === "string" && key !== names.key) return undefined;
  if (typeof collection === "string" && collection !== names.collection) return undefined;
  return entry;
}

function readItem(item: Record<string, unknown>): { entry: Entry; envelope: Value } {
  const value = item.value as { S?: unknown } | undefined;
  if (typeof value?.S !== "string") {
    throw new DeserializationError("Cannot read entry: the item has no string attribute 'value'");
  }
  const envelope = parseValue(value.S, "read entry");
  const entry = fromEnvelope(envelope);
  return { entry: withTtl(entry, item), envelope };
}

function withTtl(entry: Entry, item: Record<string, unknown>): Entry {
  if (entry.expiresAt !== undefined) return entry;
  const ttl = Number((item.ttl as { N?: unknown } | undefined)?.N);
  return Number.isFinite(ttl) && ttl > 0 ? { ...entry, expiresAt: ttl * 1000 } : entry;
}

/** The envelope's recorded key (py-key-value and this store write it), if any. */
export function originalKey(item: Record<string, unknown>): string | undefined {
  const value = item.value as { S?: unknown } | undefined;
  if (typeof value?.S !== "string") return undefined;
  try {
    const parsed = JSON.parse(value.S);
    return typeof parsed?.key === "string" ? parsed.key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What an item's `ttl` attribute alone says about its liveness at `now`:
 * "live", "expired", or "unsure" within a second of expiry (the attribute
 * is whole seconds: rounded down by this store and by py-key-value, rounded
 * up by this store's earlier versions).
 */
export function liveness(
  item: Record<string, unknown>,
  now: number,
): "live" | "expired" | "unsure" {
  const raw = (item.ttl as { N?: unknown } | undefined)?.N;
  if (raw === undefined) return "live";
  const ttlMs = Number(raw) * 1000;
  if (!Number.isFinite(ttlMs)) return "unsure";
  if (ttlMs >= now + 1000) return "live";
  if (ttlMs <= now - 1000) return "expired";
  return "unsure";
}

/** Splits `items` into chunks of `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Delay before retry `attempt` (0-based) of unprocessed items: 50 ms doubling, capped, jittered. */
export function backoffMs(attempt: number): number {
  const base = Math.min(1000, 50 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

const CONNECTION_NAMES = new Set(["TimeoutError", "RequestTimeout", "NetworkingError"]);

/**
 * Whether an AWS SDK error means the endpoint could not be reached by the
 * SDK's error names (timeouts, networking), looking through `cause` chains;
 * socket codes are the shared mapper's business. Errors the service answered
 * (they carry an HTTP status) are not connection failures.
 */
export function isConnectionFailure(error: unknown): boolean {
  let e = error;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e !== "object") return false;
    const { name, $metadata } = e as Record<string, unknown>;
    const status = ($metadata as { httpStatusCode?: unknown } | undefined)?.httpStatusCode;
    if (typeof status === "number") return false;
    if (typeof name === "string" && CONNECTION_NAMES.has(name)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
