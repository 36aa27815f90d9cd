// DenoKvStore's listings: keys of a collection, the collections (by skip
// scan), the keys to destroy, and expired entries to cull. Only keys shaped
// like the store's own entries ([...prefix, collection, key], holding an
// envelope as bytes that names that collection and key) count. Liveness is
// judged at `now`, the store's clock.

import type { Entry } from "../../core/envelope.ts";
import { commitAll } from "./_atomic.ts";
import { decodeEnvelope } from "./_codec.ts";
import type { DenoKvLike } from "./_open.ts";
import {
  chunks,
  type KvKey,
  type KvKeyPart,
  MAX_CHECKS,
  MAX_COLLECTION_PART,
  MAX_KEY_PART,
  namePart,
  samePart,
} from "./_keys.ts";

/** Whether an entry has not expired at `now`. */
export function isLive(entry: Entry, now: number): boolean {
  return entry.expiresAt === undefined || entry.expiresAt > now;
}

/** One of the store's entries found by a listing, with its original names. */
interface Listed {
  readonly entry: Entry;
  readonly collection: string;
  readonly key: string;
}

/**
 * The name a key part stands for: the part itself when it is a string (an
 * envelope that records another name disowns it), or, for a digest part,
 * the name the envelope records when it hashes to that part.
 */
function nameOf(part: KvKeyPart, recorded: string | undefined, max: number): string | undefined {
  if (typeof part === "string") {
    return recorded === undefined || recorded === part ? part : undefined;
  }
  return recorded !== undefined && samePart(namePart(recorded, max), part) ? recorded : undefined;
}

/** A listed item when it is one of the store's entries, else `undefined`. */
function own(item: { key: KvKey; value: unknown }, depth: number): Listed | undefined {
  if (item.key.length !== depth || !(item.value instanceof Uint8Array)) return undefined;
  let decoded;
  try {
    decoded = decodeEnvelope(item.value, "list entries");
  } catch {
    return undefined;
  }
  if (decoded === undefined) return undefined;
  const collection = nameOf(item.key[depth - 2]!, decoded.collection, MAX_COLLECTION_PART);
  const key = nameOf(item.key[depth - 1]!, decoded.key, MAX_KEY_PART);
  if (collection === undefined || key === undefined) return undefined;
  return { entry: decoded.entry, collection, key };
}

/** The live keys under `[...prefix, collection part]`, in key order, at most `limit`. */
export async function scanKeys(
  kv: DenoKvLike,
  prefix: KvKey,
  collectionKey: KvKey,
  limit: number | undefined,
  now: number,
): Promise<string[]> {
  const depth = prefix.length + 2;
  const keys: string[] = [];
  for await (const item of kv.list({ prefix: collectionKey })) {
    const listed = own(item, depth);
    if (listed === undefined || !isLive(listed.entry, now)) continue;
    keys.push(listed.key);
    if (keys.length === limit) break;
  }
  return keys;
}

/**
 * The collections under `prefix` that hold a live entry, at most `limit`:
 * one short listing per collection, each starting past the previous
 * collection (`[...prefix, part, true]`: `true` sorts after every other part).
 */
export async function scanCollections(
  kv: DenoKvLike,
  prefix: KvKey,
  limit: number | undefined,
  now: number,
): Promise<string[]> {
  const depth = prefix.length + 2;
  const names: string[] = [];
  let start: KvKey | undefined;
  for (;;) {
    const selector = start === undefined ? { prefix } : { prefix, start };
    let next: KvKey | undefined;
    let found: string | undefined;
    for await (const item of kv.list(selector, { batchSize: 100 })) {
      const part = item.key[prefix.length]!;
      if (next !== undefined && !samePart(next[prefix.length], part)) break;
      next = [...prefix, part, true];
      const listed = own(item, depth);
      if (listed === undefined || !isLive(listed.entry, now)) continue;
      found = listed.collection;
      break;
    }
    if (next === undefined) return names;
    if (found !== undefined) {
      names.push(found);
      if (names.length === limit) return names;
    }
    start = next;
  }
}

/**
 * Deletes the store's entries under `under` (a collection, or the prefix);
 * with `everything`, every key under it. Returns how many keys were deleted.
 */
export async function deleteUnder(
  kv: DenoKvLike,
  prefix: KvKey,
  under: KvKey,
  everything: boolean,
): Promise<number> {
  const depth = prefix.length + 2;
  const keys: { key: KvKey }[] = [];
  for await (const item of kv.list({ prefix: under })) {
    if (everything || own(item, depth) !== undefined) keys.push({ key: item.key });
  }
  await commitAll(kv, keys, () => new Error("the atomic delete failed"));
  return keys.length;
}

/** Deletes entries expired at `now` under `prefix` unless rewritten meanwhile; how many. */
export async function cullExpired(kv: DenoKvLike, prefix: KvKey, now: number): Promise<number> {
  const depth = prefix.length + 2;
  const expired: { key: KvKey; versionstamp: string }[] = [];
  for await (const item of kv.list({ prefix })) {
    const listed = own(item, depth);
    if (listed !== undefined && !isLive(listed.entry, now)) expired.push(item);
  }
  let removed = 0;
  for (const group of chunks(expired, MAX_CHECKS)) {
    const op = kv.atomic();
    for (const { key, versionstamp } of group) op.check({ key, versionstamp }).delete(key);
    if ((await op.commit()).ok) {
      removed += group.length;
      continue;
    }
    for (const { key, versionstamp } of group) {
      if ((await kv.atomic().check({ key, versionstamp }).delete(key).commit()).ok) removed++;
    }
  }
  return removed;
}
