// How RedisStore and ValkeyStore judge a stored value for one pair beyond
// stores/_shared/compound.ts: whether putIfAbsent() may replace it, and the
// delete of values the server's cjson could not decode, judged here.

import type { Entry } from "../../core/envelope.ts";
import { DOOM, type Doom, doomOf, readEntry } from "../_shared/compound.ts";
import { unlinkIfUnchanged } from "./scripts.ts";
import type { RespClient } from "./types.ts";

/**
 * How often a compare-and-set (delete, putIfAbsent) retries when the value
 * changed under it, before it counts as having lost to the other writer.
 */
export const MAX_ATTEMPTS = 8;

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
