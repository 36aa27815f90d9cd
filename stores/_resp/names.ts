// How RedisStore and ValkeyStore name entries: `prefix + collection::key`
// (py-key-value's layout, kept injective by the rule of
// stores/_shared/compound.ts), and back from a name to its only pair.

import { compoundName, ownEnvelope, splitCompound } from "../_shared/compound.ts";

/**
 * The Redis key of a pair.
 *
 * @param prefix The store's prefix ("" to share data with py-key-value).
 * @param collection A collection the compound rule allows.
 * @param key Any key.
 */
export function respName(prefix: string, collection: string, key: string): string {
  return prefix + compoundName(collection, key);
}

/**
 * The only pair whose Redis key is `name` under `prefix`, or `undefined`
 * when `name` is not in this layout.
 *
 * @param name A Redis key.
 * @param prefix The store's prefix.
 */
export function respPair(
  name: string,
  prefix: string,
): { collection: string; key: string } | undefined {
  if (!name.startsWith(prefix)) return undefined;
  return splitCompound(name.slice(prefix.length));
}

/** One of this store's entries found by name: its pair and parsed envelope. */
export interface OwnEntry {
  readonly collection: string;
  readonly key: string;
  readonly envelope: Record<string, unknown>;
}

/**
 * One of this store's entries: `name`'s pair, when `text` (its stored
 * value) is an envelope naming exactly that pair; `undefined` for a foreign
 * value, or for an entry py-key-value wrote for a collection this store
 * refuses (its envelope names another pair).
 *
 * @param name A Redis key found by SCAN.
 * @param text Its stored value.
 * @param prefix The store's prefix.
 */
export function ownEntry(name: string, text: unknown, prefix: string): OwnEntry | undefined {
  const pair = respPair(name, prefix);
  if (pair === undefined) return undefined;
  const envelope = ownEnvelope(text, pair.collection, pair.key);
  return envelope === undefined ? undefined : { ...pair, envelope };
}
