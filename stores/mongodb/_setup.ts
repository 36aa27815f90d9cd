// Creates MongoDBStore's client, its Mongo collections and their indexes.

import { type Collection, type Db, MongoClient, type MongoClientOptions } from "mongodb";
import { errorCode, type KvDocument } from "./_documents.ts";
import { missingError } from "../_shared/setup.ts";

const NAMESPACE_EXISTS = 48;
const INDEX_CONFLICTS = new Set([85, 86]);
const NOT_IMPLEMENTED = 238;

/**
 * A client for `url` that gives up selecting or connecting to a server after
 * `timeout` milliseconds, so an unreachable server surfaces as an error.
 */
export function createClient(url: string, timeout: number): MongoClient {
  return new MongoClient(url, {
    serverSelectionTimeoutMS: timeout,
    connectTimeoutMS: timeout,
  } as MongoClientOptions);
}

/**
 * Makes sure Mongo collection `name` (holding KV collection `collection`)
 * exists with its indexes, creating it when `autoCreate` allows. Returns
 * whether the server accepts TTL indexes: `ttlIndexes` as given, or false
 * once it refused one (FerretDB).
 */
export async function ensureCollection(
  db: Db,
  name: string,
  collection: string,
  options: { autoCreate: boolean; ttlIndexes: boolean },
): Promise<boolean> {
  if (!options.autoCreate) {
    const found = await db.listCollections({ name }, { nameOnly: true }).toArray();
    if (found.length === 0) {
      throw missingError("MongoDBStore", "collection", name, { collection });
    }
    return options.ttlIndexes;
  }
  try {
    await db.createCollection(name);
  } catch (error) {
    if (errorCode(error) !== NAMESPACE_EXISTS) throw error;
  }
  return await ensureIndexes(db.collection<KvDocument>(name), options.ttlIndexes);
}

/** Creates the unique `key` index and (when supported) the TTL index on `expires_at`. */
async function ensureIndexes(
  handle: Collection<KvDocument>,
  ttlIndexes: boolean,
): Promise<boolean> {
  try {
    await handle.createIndex({ key: 1 }, { unique: true, name: "key_1" });
  } catch (error) {
    // A collection py-key-value created has a non-unique key index: keep it.
    if (!INDEX_CONFLICTS.has(errorCode(error) ?? 0)) throw error;
  }
  if (!ttlIndexes) return false;
  try {
    await handle.createIndex({ expires_at: 1 }, { expireAfterSeconds: 0 });
  } catch (error) {
    const code = errorCode(error);
    // FerretDB: "Index option expireAfterSeconds is not implemented yet".
    if (code === NOT_IMPLEMENTED) return false;
    if (!INDEX_CONFLICTS.has(code ?? 0)) throw error;
  }
  return true;
}
