// keys(), collections(), destroyCollection() and destroy() of RedisStore and
// ValkeyStore: SCAN to the end of the cursor on every node, then one MGET per
// page to keep only this store's entries (an envelope naming exactly the
// pair the name splits into), so foreign values and entries py-key-value
// wrote for collections this store refuses are never listed nor deleted.

import { expiredAt } from "../_shared/compound.ts";
import { mget, scan, unlink } from "./batch.ts";
import { type OwnEntry, ownEntry, respName, respPair } from "./names.ts";
import { escapeGlob } from "./scan.ts";
import type { RespClient } from "./types.ts";

type Named = OwnEntry & { readonly name: string };

// This store's entries among `names`, read with one MGET.
async function ownEntries(
  client: RespClient,
  names: readonly string[],
  prefix: string,
): Promise<Named[]> {
  if (names.length === 0) return [];
  const texts = await mget(client, names);
  const own: Named[] = [];
  texts.forEach((text, i) => {
    const entry = ownEntry(names[i]!, text, prefix);
    if (entry) own.push({ ...entry, name: names[i]! });
  });
  return own;
}

/**
 * The live keys of `collection` (at most `limit`), in SCAN's order.
 *
 * @param now The store's clock.
 */
export async function listKeys(
  client: RespClient,
  prefix: string,
  collection: string,
  limit: number | undefined,
  now: () => number,
): Promise<string[]> {
  const found = new Set<string>();
  const pattern = `${escapeGlob(respName(prefix, collection, ""))}*`;
  await scan(client, pattern, async (names) => {
    const at = now();
    for (const own of await ownEntries(client, names, prefix)) {
      if (own.collection === collection && !expiredAt(own.envelope.expires_at, at)) {
        found.add(own.key);
      }
    }
    return limit === undefined || found.size < limit;
  });
  return [...found].slice(0, limit);
}

/**
 * The collections holding live entries (at most `limit`); the values of
 * names whose collection is not yet confirmed are read, one MGET per page.
 *
 * @param now The store's clock.
 */
export async function listCollections(
  client: RespClient,
  prefix: string,
  limit: number | undefined,
  now: () => number,
): Promise<string[]> {
  const found = new Set<string>();
  await scan(client, `${escapeGlob(prefix)}*::*`, async (names) => {
    const unsure = names.filter((name) => {
      const pair = respPair(name, prefix);
      return pair !== undefined && !found.has(pair.collection);
    });
    const at = now();
    for (const own of await ownEntries(client, unsure, prefix)) {
      if (!expiredAt(own.envelope.expires_at, at)) found.add(own.collection);
    }
    return limit === undefined || found.size < limit;
  });
  return [...found].slice(0, limit);
}

/**
 * Deletes this store's entries, those of `collection` only when given
 * (expired ones too).
 *
 * @returns How many were deleted.
 */
export async function destroyOwn(
  client: RespClient,
  prefix: string,
  collection?: string,
): Promise<number> {
  const pattern = collection === undefined
    ? `${escapeGlob(prefix)}*::*`
    : `${escapeGlob(respName(prefix, collection, ""))}*`;
  let deleted = 0;
  await scan(client, pattern, async (names) => {
    const own = (await ownEntries(client, names, prefix)).filter((entry) =>
      collection === undefined || entry.collection === collection
    );
    deleted += await unlink(client, own.map((entry) => entry.name));
    return true;
  });
  return deleted;
}
