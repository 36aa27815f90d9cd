// This module is browser compatible.
// The compound name `collection::key` of py-key-value's Redis, Valkey and
// Memcached layouts (and the envelope check that goes with it), shared by
// RedisStore, ValkeyStore and MemcachedStore.
//
// py-key-value fixes the layout, and it is not injective: collection "a" with
// key "b::c" and collection "a::b" with key "c" both make "a::b::c", and so
// do "a" + ":b" and "a:" + "b" ("a:::b"). It becomes injective once a
// collection neither contains "::" nor ends with ":": then the collection is
// exactly the text before the first "::" of the name (a longer one would
// contain that "::", or end with its first ":"), and the key is the rest.
// Such collections are refused with InvalidKeyError. Keys are free.
//
// A Python service may still write a refused collection; its entry then sits
// under a name this store reads as another pair. So every read checks the
// envelope: one whose `collection` or `key` names another pair is a miss,
// and delete() leaves it alone.

import { type Entry, fromEnvelope, parseTimestamp } from "../../core/envelope.ts";
import { InvalidKeyError } from "../../core/errors.ts";
import { parseValue } from "../../core/serialization.ts";

/** The separator of py-key-value's compound names. */
export const SEPARATOR = "::";

/** The rule a collection must keep, as error messages state it. */
export const COLLECTION_RULE = 'a collection must not contain "::" nor end with ":"';

/**
 * Why `collection` cannot be told apart in the layout `collection::key`, or
 * `undefined` when it can.
 *
 * @param collection A collection name.
 * @returns The reason, e.g. `contains "::"`, or undefined.
 */
export function compoundProblem(collection: string): string | undefined {
  if (collection.includes(SEPARATOR)) return 'contains "::"';
  if (collection.endsWith(":")) return 'ends with ":"';
  return undefined;
}

/**
 * Refuses a collection the layout cannot keep apart.
 *
 * @param collection A resolved collection name.
 * @param context The operation, as "put into RedisStore".
 * @throws {InvalidKeyError} When the collection contains "::" or ends with ":".
 */
export function checkCompoundCollection(collection: string, context: string): void {
  const problem = compoundProblem(collection);
  if (problem === undefined) return;
  throw new InvalidKeyError(
    `Cannot ${context}: collection ${JSON.stringify(collection.slice(0, 60))} ${problem}, ` +
      `so a name collection::key could be another collection's; ${COLLECTION_RULE}`,
    { extraInfo: { collection, rule: COLLECTION_RULE } },
  );
}

/**
 * The compound name of a pair: `collection::key`.
 *
 * @param collection A collection that passes {@linkcode checkCompoundCollection}.
 * @param key Any key.
 * @returns The name.
 */
export function compoundName(collection: string, key: string): string {
  return `${collection}${SEPARATOR}${key}`;
}

/**
 * The only pair of an allowed collection whose compound name is `name`: the
 * text before the first "::", and the rest; `undefined` when there is no
 * "::" or nothing before it.
 *
 * @param name A compound name (without any store prefix).
 * @returns The pair, or undefined.
 */
export function splitCompound(name: string): { collection: string; key: string } | undefined {
  const at = name.indexOf(SEPARATOR);
  if (at <= 0) return undefined;
  return { collection: name.slice(0, at), key: name.slice(at + SEPARATOR.length) };
}

/**
 * Whether a parsed envelope names another pair: its `collection` or `key`
 * is present and differs. (An envelope without names does not disagree;
 * py-key-value writes both in these layouts.)
 *
 * @param envelope The parsed stored object.
 * @param collection The collection asked for.
 * @param key The key asked for.
 */
export function namesAnotherPair(
  envelope: Record<string, unknown>,
  collection: string,
  key: string,
): boolean {
  const named = envelope.collection;
  if (named !== undefined && named !== collection) return true;
  const namedKey = envelope.key;
  return namedKey !== undefined && namedKey !== key;
}

/**
 * The envelope in stored text when it names exactly this pair (both names
 * present and equal) and holds a value: the proof that an entry found by
 * listing is this store's, which listing and destroy operations require.
 *
 * @param text The stored text (anything a client returned).
 * @param collection The collection its name splits into.
 * @param key The key its name splits into.
 * @returns The parsed envelope, or undefined.
 */
export function ownEnvelope(
  text: unknown,
  collection: string,
  key: string,
): Record<string, unknown> | undefined {
  if (typeof text !== "string" || !text.startsWith("{")) return undefined;
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof envelope !== "object" || envelope === null) return undefined;
  const named = envelope as Record<string, unknown>;
  const ok = named.collection === collection && named.key === key && named.value !== undefined;
  return ok ? named : undefined;
}

/**
 * Whether an envelope's `expires_at` has passed at `now` (`expires_at <=
 * now`); `false` without one, or with one that does not parse.
 *
 * @param expiresAt The envelope's `expires_at` field, as stored.
 * @param now The store's clock, in epoch ms.
 */
export function expiredAt(expiresAt: unknown, now: number): boolean {
  if (typeof expiresAt !== "string") return false;
  try {
    return parseTimestamp(expiresAt) <= now;
  } catch {
    return false;
  }
}

/**
 * The entry a stored text holds for (collection, key): `undefined` when
 * missing or when its envelope names another pair.
 *
 * @throws {DeserializationError} When the text is not an envelope.
 */
export function readEntry(text: unknown, collection: string, key: string): Entry | undefined {
  if (text === null || text === undefined) return undefined;
  const envelope = parseValue(String(text), "read entry");
  return namesAnotherPair(envelope, collection, key) ? undefined : fromEnvelope(envelope);
}

/** What delete() does with a stored value. */
export const DOOM = {
  /** Leave it: missing, or another pair's entry. */
  keep: 0,
  /** Delete it and count it. */
  count: 1,
  /** Delete it without counting it: the clock expired it. */
  silent: 2,
} as const;

/** One of {@linkcode DOOM}'s values. */
export type Doom = (typeof DOOM)[keyof typeof DOOM];

/**
 * What delete() does with a stored text: keep it when missing or another
 * pair's; delete it without counting when the clock expired it; else delete
 * and count it (an unreadable value under this pair's name too).
 */
export function doomOf(text: unknown, collection: string, key: string, now: number): Doom {
  let entry: Entry | undefined;
  try {
    entry = readEntry(text, collection, key);
  } catch {
    return DOOM.count;
  }
  if (entry === undefined) return DOOM.keep;
  return entry.expiresAt !== undefined && entry.expiresAt <= now ? DOOM.silent : DOOM.count;
}
