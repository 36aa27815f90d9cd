// MongoDBStore's reads and writes of documents: batch reads, replacing
// upserts (one or many), deletes of live documents and the atomic
// put-if-absent. A document that names another collection than the one read
// (two collections on one Mongo collection) is a miss; times are the store's
// clock (`now`).

import type { AnyBulkWriteOperation, Collection } from "mongodb";
import type { Entry } from "../../core/envelope.ts";
import {
  belongsTo,
  errorCode,
  fromDocument,
  type KvDocument,
  liveFilter,
  ownFilter,
  toDocument,
} from "./_documents.ts";
import { decodeEach } from "../_shared/batch.ts";

const DUPLICATE_KEY = 11000;

/** Reads the entry of `key`. */
export async function findEntry(
  handle: Collection<KvDocument>,
  collection: string,
  key: string,
): Promise<Entry | undefined> {
  const doc = await handle.findOne({ key }) as Record<string, unknown> | null;
  return doc && belongsTo(doc, collection, key) ? fromDocument(doc) : undefined;
}

/** Reads the entries of `keys` with one `find` and `$in`. */
export async function findEntries(
  handle: Collection<KvDocument>,
  collection: string,
  keys: readonly string[],
): Promise<(Entry | undefined)[]> {
  if (keys.length === 0) return [];
  const docs = await handle.find({ key: { $in: [...new Set(keys)] } }).toArray();
  const byKey = new Map<string, Record<string, unknown>>();
  for (const doc of docs as unknown as Record<string, unknown>[]) {
    if (belongsTo(doc, collection, doc.key as string)) byKey.set(doc.key as string, doc);
  }
  return decodeEach(keys, (key) => byKey.get(key), fromDocument);
}

/** Writes one entry (a replacing upsert, so no field of an older entry survives). */
export async function upsertEntry(
  handle: Collection<KvDocument>,
  collection: string,
  key: string,
  entry: Entry,
): Promise<void> {
  const doc = toDocument(collection, key, entry);
  await retryUpsertRace(() =>
    handle.replaceOne({ key }, doc, { upsert: true, ignoreUndefined: true })
  );
}

/** Writes many entries with one `bulkWrite` of replacing upserts. */
export async function upsertEntries(
  handle: Collection<KvDocument>,
  collection: string,
  keys: readonly string[],
  entries: readonly Entry[],
): Promise<void> {
  if (keys.length === 0) return;
  const operations: AnyBulkWriteOperation<KvDocument>[] = keys.map((key, i) => ({
    replaceOne: {
      filter: { key },
      replacement: toDocument(collection, key, entries[i]!),
      upsert: true,
    },
  }));
  await retryUpsertRace(() =>
    handle.bulkWrite(operations, { ordered: true, ignoreUndefined: true })
  );
}

/**
 * Deletes this collection's document of one key (`deleteOne`) or of many
 * keys (one `deleteMany`) if live at `now`; returns how many were deleted
 * (expired ones are not, nor another collection's).
 */
export async function deleteLive(
  handle: Collection<KvDocument>,
  collection: string,
  keys: string | readonly string[],
  now: number,
): Promise<number> {
  const mine = { $and: [liveFilter(now), ownFilter(collection)] };
  if (typeof keys === "string") {
    return (await handle.deleteOne({ key: keys, ...mine })).deletedCount;
  }
  if (keys.length === 0) return 0;
  const result = await handle.deleteMany({ key: { $in: [...new Set(keys)] }, ...mine });
  return result.deletedCount;
}

/**
 * Stores the entry only if the key has no live document at `now`: one
 * upsert that can replace only an expired document (or one of another
 * collection, which reads as a miss here), so the unique index on `key`
 * lets exactly one of many concurrent callers win. `true` if stored; other
 * errors are thrown as the driver raised them.
 */
export async function insertIfAbsent(
  handle: Collection<KvDocument>,
  collection: string,
  key: string,
  entry: Entry,
  now: number,
): Promise<boolean> {
  const doc = toDocument(collection, key, entry);
  const absent = [
    { expires_at: { $lte: new Date(now) } },
    { collection: { $exists: true, $ne: collection } },
  ];
  try {
    await handle.replaceOne(
      { key, $or: absent },
      doc,
      { upsert: true, ignoreUndefined: true },
    );
    return true;
  } catch (error) {
    if (errorCode(error) === DUPLICATE_KEY) return false;
    throw error;
  }
}

/**
 * Runs an upsert again when a concurrent upsert of the same key inserted
 * first (E11000 on the unique key index): the retry then replaces that
 * document. MongoDB retries some of these itself; FerretDB does not.
 */
async function retryUpsertRace<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (errorCode(error) !== DUPLICATE_KEY || attempt >= 5) throw error;
    }
  }
}
