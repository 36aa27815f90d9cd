// How RedisStore and ValkeyStore judge a stored value for one pair: the
// entry it holds (or a miss when its envelope names another pair), what
// delete() does with it, whether putIfAbsent() may replace it, and the
// delete of values the server's cjson could not decode, judged here.

import { type Entry, fromEnvelope } from "../../core/envelope.ts";
import { parseValue } from "../../core/serialization.ts";
import { namesAnotherPair } from "../_shared/compound.ts";
import { unlinkIfUnchanged } from "./scripts.ts";
import type { RespClient } from "./types.ts";

/**
 * How often a compare-and-set (delete, putIfAbsent) retries when the value
 * changed under it, before it counts as having lost to the other writer.
 */
export const MAX_ATTEMPTS = 8;

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

/**
 * Whether putIfAbsent() may replace a stored text: get() would not return
 * it (its envelope names another pair, or the clock expired it). A text
 * that does not parse is not absent.
 */
export function isAbsent(text: unknown, collection: string, key: string, now: number): boolean {
  let entry: Entry | undefined;
  try {
    entry = readEntry(text, collection, key);
  } catch {
    return false;
  }
  return entry === undefined || (entry.expiresAt !== undefined && entry.expiresAt <= now);
}

/**
 * Deletes the names at positions `pending` by judging their `texts` here
 * (for values the server could not decode): each is deleted only if still
 * unchanged, and judged again if it changed.
 *
 * @returns How many live entries were deleted.
 */
export async function deleteJudged(
  client: RespClient,
  collection: string,
  keys: readonly string[],
  names: readonly string[],
  texts: (string | undefined)[],
  pending: number[],
  now: () => number,
): Promise<number> {
  let deleted = 0;
  for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
    const at = now();
    const doomed: number[] = [];
    const dooms: Doom[] = [];
    for (const i of pending) {
      const doom = doomOf(texts[i], collection, keys[i]!, at);
      if (doom === DOOM.keep) continue;
      doomed.push(i);
      dooms.push(doom);
    }
    if (doomed.length === 0) break;
    const results = await unlinkIfUnchanged(
      client,
      doomed.map((i) => names[i]!),
      doomed.map((i) => texts[i]!),
    );
    pending = [];
    results.forEach((result, j) => {
      if (result === true) deleted += dooms[j] === DOOM.count ? 1 : 0;
      else if (typeof result === "string") {
        texts[doomed[j]!] = result;
        pending.push(doomed[j]!);
      }
    });
  }
  return deleted;
}
