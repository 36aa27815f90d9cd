// Pure helpers of MongoDBStore: collection-name rules, the document layout
// and connection-error detection. No `mongodb` import here (the client
// package is loaded only by stores/mongodb.ts).

import type { Entry } from "../../core/envelope.ts";
import { parseTimestamp } from "../../core/envelope.ts";
import { DeserializationError, InvalidKeyError } from "../../core/errors.ts";
import type { Value } from "../../core/protocol.ts";
import type { SanitizationStrategy } from "../../core/sanitization.ts";
import { parseValue } from "../../core/serialization.ts";
import { MongoDBCollectionSanitizationStrategy } from "./sanitization.ts";

/** The longest collection name kept as is, in UTF-8 bytes (py-key-value's limit). */
export const MAX_COLLECTION_BYTES = 200;

const encoder = new TextEncoder();

/**
 * Why MongoDB (or FerretDB) cannot hold `name` as a collection name, or
 * `undefined` when it can: `$` or NUL anywhere, a leading `.` or `system.`,
 * or more than 200 bytes (the namespace `db.collection` is limited to 255).
 */
export function collectionNameProblem(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name.includes("$")) return "it contains '$'";
  if (name.includes("\0")) return "it contains a NUL character";
  if (name.startsWith(".")) return "it starts with '.'";
  if (name.startsWith("system.")) return "it starts with 'system.'";
  const bytes = encoder.encode(name).byteLength;
  if (bytes > MAX_COLLECTION_BYTES) {
    return `it is ${bytes} bytes of UTF-8, over the limit of ${MAX_COLLECTION_BYTES}`;
  }
  return undefined;
}

/** The shape of the sanitized names: `S_<name>-<8 hex digits of its hash>`. */
const SANITIZED = /^S_[\s\S]*-[0-9a-f]{8}$/;

/**
 * The store's default collection strategy: names MongoDB can hold pass
 * unchanged; any other name goes through the collision-free MongoDB
 * strategy (py-key-value's MongoDB V1 output, except that over-long names
 * are hashed instead of only cut), and so does a name shaped like that
 * strategy's output (`S_<name>-<8 hex digits>`), so that no collection can
 * land on the Mongo collection of another: the mapping is injective.
 */
export class MongoDBWhenNeededStrategy implements SanitizationStrategy {
  readonly #inner = new MongoDBCollectionSanitizationStrategy();
  /** Maps a name. @param value The name. @returns The Mongo collection name. */
  sanitize(value: string): string {
    return collectionNameProblem(value) === undefined && !SANITIZED.test(value)
      ? value
      : this.#inner.sanitize(value);
  }
  /** Accepts every name. @param _value The name. */
  validate(_value: string): void {}
}

/**
 * Maps a KV collection to its Mongo collection name with `strategy`, and
 * refuses a result MongoDB cannot hold.
 *
 * @throws {InvalidKeyError} Naming the rule and the strategy that fixes it.
 */
export function mongoCollectionName(
  collection: string,
  strategy: SanitizationStrategy,
  context: string,
): string {
  strategy.validate(collection);
  const name = strategy.sanitize(collection);
  const problem = collectionNameProblem(name);
  if (problem !== undefined) {
    throw new InvalidKeyError(
      `Cannot ${context}: MongoDB cannot hold the collection name ${
        JSON.stringify(name.length > 60 ? name.slice(0, 60) + "..." : name)
      }: ${problem}; use the default collection strategy or ` +
        "collectionSanitizationStrategy: new MongoDBV1CollectionSanitizationStrategy()",
      { extraInfo: { collection, problem } },
    );
  }
  return name;
}

/**
 * Whether a value must be stored as JSON text because MongoDB-wire servers
 * refuse its shape: property names containing `.` or NUL or starting with
 * `$` (refused by FerretDB and by older MongoDB), or an array directly
 * inside an array (refused by FerretDB v1).
 */
export function needsJsonText(value: unknown, inArray = false): boolean {
  if (Array.isArray(value)) return inArray || value.some((item) => needsJsonText(item, true));
  if (typeof value !== "object" || value === null) return false;
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    if (name.includes(".") || name.startsWith("$") || name.includes("\0")) return true;
    if (needsJsonText((value as Record<string, unknown>)[name])) return true;
  }
  return false;
}

/** A stored document (before `_id`). */
export interface KvDocument {
  key: string;
  collection: string;
  version: 1;
  value: { object: Value | string };
  "created_at"?: Date;
  "expires_at"?: Date;
}

/**
 * Builds py-key-value's document. The value is stored as a BSON object, or
 * as JSON text in `value.object` when its shape is one MongoDB-wire servers
 * refuse (see {@linkcode needsJsonText}; py-key-value reads both).
 */
export function toDocument(collection: string, key: string, entry: Entry): KvDocument {
  const value = entry.value;
  const doc: KvDocument = {
    key,
    collection,
    version: 1,
    value: { object: needsJsonText(value) ? JSON.stringify(value) : value },
  };
  if (entry.createdAt !== undefined) doc.created_at = new Date(Math.floor(entry.createdAt));
  // Rounded up: BSON dates hold milliseconds, and an entry never expires early.
  if (entry.expiresAt !== undefined) doc.expires_at = new Date(Math.ceil(entry.expiresAt));
  return doc;
}

function readDate(doc: Record<string, unknown>, field: string): number | undefined {
  const raw = doc[field];
  if (raw === undefined || raw === null) return undefined;
  if (raw instanceof Date) return raw.getTime();
  if (typeof raw === "string") return parseTimestamp(raw);
  throw new DeserializationError(`Cannot read entry: ${field} must be a date`, {
    extraInfo: { field },
  });
}

/**
 * Reads an entry from a stored document.
 *
 * @throws {DeserializationError} When `value.object` is missing or not an
 *   object (or JSON text of one), or a date is bad.
 */
export function fromDocument(doc: Record<string, unknown>): Entry {
  const holder = doc.value as { object?: unknown } | undefined;
  const raw = typeof holder === "object" && holder !== null ? holder.object : undefined;
  let value: Value;
  if (typeof raw === "string") value = parseValue(raw, "read entry");
  else if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    value = promoteLongs(raw) as Value;
  } else {
    throw new DeserializationError("Cannot read entry: the document has no object at value.object");
  }
  const entry: { value: Value; createdAt?: number; expiresAt?: number } = { value };
  const createdAt = readDate(doc, "created_at");
  const expiresAt = readDate(doc, "expires_at");
  if (createdAt !== undefined) entry.createdAt = createdAt;
  if (expiresAt !== undefined) entry.expiresAt = expiresAt;
  return entry;
}

/**
 * Replaces BSON Int64 values the driver could not make numbers (beyond
 * 2^53, as Python writes 10**18) with the nearest number, as JSON.parse
 * would read the same digits. Mutates and returns `value`.
 */
function promoteLongs(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const bson = (value as { _bsontype?: unknown })._bsontype;
  if (bson === "Long" || bson === "Int64" || bson === "Decimal128" || bson === "Double") {
    return Number(String(value));
  }
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) record[name] = promoteLongs(record[name]);
  return value;
}

/**
 * Whether a stored document is the entry of (`collection`, `key`): the names
 * it records match (a document that records no collection, from another
 * writer, is accepted). One that names another collection shares the Mongo
 * collection through a strategy that maps two names to one, and is a miss.
 */
export function belongsTo(doc: Record<string, unknown>, collection: string, key: string): boolean {
  return doc.key === key && (typeof doc.collection !== "string" || doc.collection === collection);
}

/** The filter matching this collection's documents (or ones that record no collection). */
export function ownFilter(collection: string): Record<string, unknown> {
  return { $or: [{ collection }, { collection: { $exists: false } }] };
}

/** The filter matching documents that have not expired at `now`. */
export function liveFilter(now: number): Record<string, unknown> {
  return { $or: [{ expires_at: null }, { expires_at: { $gt: new Date(now) } }] };
}

const CONNECTION_ERRORS = new Set([
  "MongoServerSelectionError",
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoTopologyClosedError",
  "MongoPoolClearedError",
  "MongoNotConnectedError",
]);

/**
 * Whether a driver error means the server could not be reached, by the
 * driver's error names (socket codes are the shared mapper's business).
 */
export function isConnectionFailure(error: unknown): boolean {
  let e = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const name = (e as { name?: unknown }).name;
    if (typeof name === "string" && CONNECTION_ERRORS.has(name)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A server error code, if any. */
export function errorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "number" ? code : undefined;
}
