// Pure helpers of ElasticsearchStore: index and document-id naming, the
// index mapping, the document layout and queries. No `@elastic/elasticsearch`
// import here (the client package is loaded only by _setup.ts).

import { type Entry, formatTimestamp, fromEnvelope } from "../../core/envelope.ts";
import { DeserializationError, InvalidKeyError } from "../../core/errors.ts";
import type { SanitizationStrategy } from "../../core/sanitization.ts";
import {
  ElasticsearchV1CollectionSanitizationStrategy,
  ElasticsearchV1KeySanitizationStrategy,
} from "./sanitization.ts";

/** The longest document id Elasticsearch accepts, in UTF-8 bytes. */
export const MAX_ID_BYTES = 512;
/** The longest index name Elasticsearch accepts, in UTF-8 bytes. */
export const MAX_INDEX_BYTES = 255;
/** The longest sanitized collection part of an index name (py-key-value's limit). */
export const MAX_COLLECTION_LENGTH = 200;

const encoder = new TextEncoder();
const byteLength = (text: string): number => encoder.encode(text).byteLength;

/**
 * The index mapping: py-key-value's (dates, keyword `key` and `collection`,
 * integer `version`, `value.flattened` of type `flattened`), with
 * `ignore_above` so a long string inside a value is kept in `_source` but not
 * indexed (Lucene refuses terms over 32 KB).
 */
export const MAPPING = {
  properties: {
    created_at: { type: "date" },
    expires_at: { type: "date" },
    collection: { type: "keyword" },
    key: { type: "keyword" },
    version: { type: "integer" },
    value: { properties: { flattened: { type: "flattened", ignore_above: 8191 } } },
  },
} as const;

/**
 * Index settings: one shard, and a replica only where the cluster has a
 * second node (`auto_expand_replicas: "0-1"`, so a single node is green).
 */
export const SETTINGS = { number_of_shards: 1, auto_expand_replicas: "0-1" } as const;

const PLAIN_COLLECTION = /^[a-z0-9_.-]+$/;
/** The shape of a lowercased V1 name: `s_<name>-<8 hex digits of its hash>`. */
const SANITIZED_COLLECTION = /^s_[\s\S]*-[0-9a-f]{8}$/;

/**
 * The default collection strategy: a name that is already a valid, lowercase
 * index-name part (`a-z0-9_.-`, at most 200 characters) is kept; any other
 * name gets py-key-value's `ElasticsearchV1CollectionSanitizationStrategy`
 * (`S_<name>-<hash>`, the hash keeping upper and lower case apart once the
 * index name is lowercased), and so does a plain name shaped like a
 * lowercased V1 name (`s_<name>-<8 hex digits>`), so that no collection
 * lands on another's index: the mapping is injective.
 */
export class ElasticsearchWhenNeededStrategy implements SanitizationStrategy {
  readonly #v1 = new ElasticsearchV1CollectionSanitizationStrategy();
  /** Maps a name. @param value The collection. @returns The index-name part. */
  sanitize(value: string): string {
    return PLAIN_COLLECTION.test(value) && value.length <= MAX_COLLECTION_LENGTH &&
        !SANITIZED_COLLECTION.test(value)
      ? value
      : this.#v1.sanitize(value);
  }
  /** Accepts every name. @param _value The name. */
  validate(_value: string): void {}
}

/** The shape of a hashed document id: `H_` and the key's SHA-256 hex. */
const HASHED_ID = /^H_[0-9a-f]{64}$/;

/**
 * The default key strategy: a key of at most 512 UTF-8 bytes is the document
 * id as is; a longer key, and a key shaped like a hashed id, becomes `H_`
 * and its SHA-256 hex (py-key-value's
 * `ElasticsearchV1KeySanitizationStrategy` digest, marked), so that no key
 * lands on another's document: the mapping is injective.
 */
export class ElasticsearchLongKeyStrategy implements SanitizationStrategy {
  readonly #v1 = new ElasticsearchV1KeySanitizationStrategy();
  /** Maps a key. @param value The key. @returns The document id. */
  sanitize(value: string): string {
    return byteLength(value) <= MAX_ID_BYTES && !HASHED_ID.test(value)
      ? value
      : `H_${this.#v1.sanitize(value)}`;
  }
  /** Accepts every key. @param _value The key. */
  validate(_value: string): void {}
}

const FORBIDDEN_INDEX_CHARACTERS = /[\\/*?"<>| ,#:]/;

/** Why `name` is not a valid index name, or `undefined` when it is. */
export function indexNameProblem(name: string): string | undefined {
  if (name !== name.toLowerCase()) return "it has upper-case letters";
  if (FORBIDDEN_INDEX_CHARACTERS.test(name)) {
    return 'it contains one of \\ / * ? " < > | space , # :';
  }
  if (/^[-_+]/.test(name)) return "it starts with '-', '_' or '+'";
  if (name === "." || name === "..") return "it is '.' or '..'";
  const bytes = byteLength(name);
  if (bytes > MAX_INDEX_BYTES) return `it is ${bytes} bytes, over the limit of ${MAX_INDEX_BYTES}`;
  return undefined;
}

/**
 * Whether `strategy` keeps names apart through lowercasing: the default and
 * the V1 strategy add a hash of the original name to every name with an
 * upper-case letter.
 */
function caseSafe(strategy: SanitizationStrategy): boolean {
  return strategy instanceof ElasticsearchWhenNeededStrategy ||
    strategy instanceof ElasticsearchV1CollectionSanitizationStrategy;
}

/**
 * The index of a collection: `<prefix>-<sanitized collection>`, lowercased
 * (py-key-value's layout). Lowercasing could merge two collections, so a
 * strategy other than the default or V1 must give a lowercase name.
 *
 * @throws {InvalidKeyError} When the result is not a valid index name, or a
 *   custom strategy gave upper-case letters.
 */
export function indexName(
  prefix: string,
  collection: string,
  strategy: SanitizationStrategy,
  context: string,
): string {
  strategy.validate(collection);
  const sanitized = strategy.sanitize(collection);
  const lowered = sanitized.toLowerCase();
  if (lowered !== sanitized && !caseSafe(strategy)) {
    throw new InvalidKeyError(
      `Cannot ${context}: the collection strategy gave ${
        JSON.stringify(sanitized.length > 60 ? sanitized.slice(0, 60) + "..." : sanitized)
      }, with upper-case letters, which Elasticsearch's lowercase index names would merge ` +
        "with another collection's; use the default collection strategy or " +
        "collectionSanitizationStrategy: new ElasticsearchV1CollectionSanitizationStrategy()",
      { extraInfo: { collection, problem: "upper-case letters" } },
    );
  }
  const name = `${prefix}-${lowered}`;
  const problem = indexNameProblem(name);
  if (problem !== undefined) {
    throw new InvalidKeyError(
      `Cannot ${context}: ${
        JSON.stringify(name.length > 60 ? name.slice(0, 60) + "..." : name)
      } is not a valid Elasticsearch index name: ${problem}; use the default collection ` +
        "strategy or collectionSanitizationStrategy: " +
        "new ElasticsearchV1CollectionSanitizationStrategy()",
      { extraInfo: { collection, problem } },
    );
  }
  return name;
}

/**
 * The document id of a key.
 *
 * @throws {InvalidKeyError} When the id is over 512 bytes.
 */
export function documentId(key: string, strategy: SanitizationStrategy, context: string): string {
  strategy.validate(key);
  const id = strategy.sanitize(key);
  const bytes = byteLength(id);
  if (bytes > MAX_ID_BYTES) {
    throw new InvalidKeyError(
      `Cannot ${context}: the document id is ${bytes} bytes, over Elasticsearch's limit of ` +
        `${MAX_ID_BYTES}; use the default key strategy or keySanitizationStrategy: ` +
        "new ElasticsearchV1KeySanitizationStrategy()",
      { extraInfo: { bytes, limit: MAX_ID_BYTES } },
    );
  }
  return id;
}

/** A stored document. */
export type EsDocument = Record<string, unknown>;

/** py-key-value's document: the envelope with the value under `value.flattened`. */
export function toDocument(collection: string, key: string, entry: Entry): EsDocument {
  const doc: EsDocument = { collection };
  if (entry.createdAt !== undefined) doc.created_at = formatTimestamp(entry.createdAt);
  if (entry.expiresAt !== undefined) doc.expires_at = formatTimestamp(entry.expiresAt);
  doc.key = key;
  doc.value = { flattened: entry.value };
  doc.version = 1;
  return doc;
}

/**
 * Reads an entry from a document's `_source`.
 *
 * @throws {DeserializationError} When `value.flattened` is missing or bad.
 */
export function fromDocument(source: EsDocument): Entry {
  const holder = source.value;
  if (typeof holder !== "object" || holder === null || !("flattened" in holder)) {
    throw new DeserializationError("Cannot read entry: the document has no value.flattened");
  }
  return fromEnvelope({
    value: (holder as { flattened: unknown }).flattened,
    created_at: source.created_at,
    expires_at: source.expires_at,
  });
}

/**
 * Whether a document belongs to (`collection`, `key`): the names it records
 * match (a document that records none, from another writer, is accepted), so
 * an id or index that two names share can never return another entry.
 */
export function belongsTo(source: EsDocument, collection: string, key: string): boolean {
  return (typeof source.key !== "string" || source.key === key) &&
    (typeof source.collection !== "string" || source.collection === collection);
}

/** The query clause matching documents that have not expired at `now`. */
export function liveQuery(now: number): Record<string, unknown> {
  return {
    bool: {
      should: [
        { bool: { must_not: { exists: { field: "expires_at" } } } },
        { range: { expires_at: { gt: now, format: "epoch_millis" } } },
      ],
      minimum_should_match: 1,
    },
  };
}
