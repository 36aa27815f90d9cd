// MongoDBStore's enumeration and clean-up: keys, collections, dropping a
// collection and culling expired documents. Liveness is judged at `now`, the
// store's clock.

import type { Collection, Db } from "mongodb";
import { type KvDocument, liveFilter, ownFilter } from "./_documents.ts";

/** The keys of `collection` live at `now` in its Mongo collection, at most `limit`. */
export async function liveKeys(
  handle: Collection<KvDocument>,
  collection: string,
  limit: number | undefined,
  now: number,
): Promise<string[]> {
  const filter = { $and: [liveFilter(now), ownFilter(collection)] };
  const cursor = handle.find(filter, { projection: { key: 1, _id: 0 } });
  const docs = await (limit === undefined ? cursor : cursor.limit(limit)).toArray();
  return docs.map((doc) => doc.key);
}

/** The names of the database's Mongo collections, without `system.*`. */
async function mongoCollections(db: Db): Promise<string[]> {
  const infos = await db.listCollections({}, { nameOnly: true }).toArray();
  return infos.map((info) => info.name).filter((name) => !name.startsWith("system."));
}

/**
 * The sorted original names of the collections holding documents live at `now` (read
 * from the documents, so sanitized names map back), at most `limit`.
 */
export async function liveCollections(
  db: Db,
  limit: number | undefined,
  now: number,
): Promise<string[]> {
  const found = await Promise.all((await mongoCollections(db)).map(async (name) => {
    const doc = await db.collection<KvDocument>(name).findOne(liveFilter(now), {
      projection: { collection: 1, _id: 0 },
    });
    if (!doc) return undefined;
    return typeof doc.collection === "string" ? doc.collection : name;
  }));
  const live = found.filter((name): name is string => name !== undefined).sort();
  return limit === undefined ? live : live.slice(0, limit);
}

/** Drops Mongo collection `name`; `true` if it existed. */
export async function dropIfExists(db: Db, name: string): Promise<boolean> {
  const found = await db.listCollections({ name }, { nameOnly: true }).toArray();
  if (found.length === 0) return false;
  await db.dropCollection(name);
  return true;
}

/** Deletes every document expired at `now` in every collection; returns how many. */
export async function cullExpired(db: Db, now: number): Promise<number> {
  const expired = { "expires_at": { $lte: new Date(now) } };
  const counts = await Promise.all(
    (await mongoCollections(db)).map((name) => db.collection(name).deleteMany(expired)),
  );
  return counts.reduce((sum, result) => sum + result.deletedCount, 0);
}
