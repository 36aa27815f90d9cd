/**
 * {@linkcode openStore}: one factory for every store, from a URL such as an
 * application reads from its environment (`KV_URL=redis://...`).
 *
 * @module
 */

import { type OpenedStore, openScheme, SCHEMES } from "./_schemes.ts";
import { splitQuery } from "./_params.ts";

export type { OpenedStore } from "./_schemes.ts";
export { closeStore } from "../core/_base_wrapper.ts";

/**
 * Options of {@linkcode openStore}: more options of the store the URL names
 * (e.g. `clock`, `seed`, a Redis store's `clientOptions`), checked by that
 * store. An option may not repeat one the URL gives.
 */
export type OpenStoreOptions = Record<string, unknown>;

/**
 * Opens the store a URL names. The store's module, and with it its client
 * library, is imported only when its scheme is used, so importing
 * `openStore` loads no client.
 *
 * | URL | store | parameters beyond `defaultCollection` |
 * |---|---|---|
 * | `memory:` | MemoryStore | `maxEntriesPerCollection` |
 * | `file:./data`, `file:/srv/data`, `file:///srv/data` | FileTreeStore | `autoCreate`, `fsync`, `naming` |
 * | `denokv:` (default database), `denokv:./kv.sqlite`, `denokv::memory:` | DenoKvStore | `prefix` |
 * | `redis://[user:password@]host[:port][/db]`, `rediss://` (TLS) | RedisStore | `prefix`, `cluster`, `sentinel`, `sentinels` |
 * | `valkey://...`, `valkeys://` (TLS) | ValkeyStore | `prefix`, `cluster`, `sentinel`, `sentinels` |
 * | `memcached://[user:password@]host:port[,host:port]` | MemcachedStore | `prefix`, `naming` |
 * | `mongodb://...`, `mongodb+srv://...` | MongoDBStore | `database`, `autoCreate`, `naming`; other parameters are the driver's |
 * | `postgres://[user:password@]host[:port]/database`, `postgresql://` | PostgresStore | `table` (default `kv_store`), `autoCreate`, `poolSize`; other parameters (`sslmode`, ...) are node-postgres's |
 * | `dynamodb://<table>` | DynamoDBStore | `region`, `endpoint` (e.g. DynamoDB Local's URL), `autoCreate`, `consistentRead` |
 * | `elasticsearch+http://host:9200`, `elasticsearch+https://` | ElasticsearchStore | `indexPrefix`, `refresh` (`true`, `false`, `wait_for`), `autoCreate`, `naming` |
 *
 * Parameters: `defaultCollection=<name>` on every scheme; `naming=py-key-value`
 * names collections and keys as py-key-value's V1 strategies do, where the
 * store has them (file, memcached, mongodb, elasticsearch; Redis, Valkey,
 * DynamoDB and Deno KV keep py-key-value's names without it);
 * `cluster=host:port,...` opens a Redis or Valkey cluster seeded by the URL's
 * host and the listed nodes (`?cluster` alone: the URL's host only);
 * `sentinel=<master name>` asks the Sentinel at the URL's host (port 26379
 * unless given) and those in `sentinels=host:port,...` for that master, with
 * the URL's user, password and database for the master (e.g.
 * `redis://:pw@sentinel-1:26379/2?sentinel=mymaster&sentinels=sentinel-2:26379`);
 * booleans are `true` or `false`.
 *
 * Credentials in the URL go to the store's client and into no error message
 * of `openStore`: its errors name the scheme and the parameter only.
 *
 * @example Usage
 * ```ts
 * import { closeStore, openStore } from "@kv/core/open";
 * import assert from "node:assert/strict";
 *
 * const store = await openStore("memory:?maxEntriesPerCollection=1000&defaultCollection=app");
 * try {
 *   await store.put("k", { n: 1 });
 *   assert.deepEqual(await store.get("k", { collection: "app" }), { n: 1 });
 * } finally {
 *   await closeStore(store);
 * }
 * ```
 *
 * @example Refused input
 * ```ts
 * import { openStore } from "@kv/core/open";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(openStore("postgrs://localhost"), /unknown scheme; valid: memory, file, /);
 * await assert.rejects(openStore("memory:?maxEntries=5"), /unknown parameter "maxEntries"/);
 * ```
 *
 * @param url The store's URL.
 * @param options More options of that store.
 * @returns The store, not yet connected: stores connect on first use.
 * @throws {TypeError} On an unknown scheme, an unknown, repeated or bad
 * parameter, an option given twice, or what the store's constructor refuses.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  if (typeof url !== "string") throw new TypeError("openStore: url must be a string");
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError("openStore: options must be an object");
  }
  const colon = url.indexOf(":");
  const name = colon > 0 ? url.slice(0, colon).toLowerCase() : "";
  const scheme = Object.hasOwn(SCHEMES, name) ? SCHEMES[name] : undefined;
  if (scheme === undefined) {
    const valid = Object.keys(SCHEMES).join(", ");
    throw new TypeError(`openStore: unknown scheme; valid: ${valid}`);
  }
  const [head, query] = splitQuery(url);
  return await openScheme(name, scheme, name + head.slice(colon), query, { ...options });
}
