/**
 * {@linkcode RedisStore}: a store on Redis through ioredis, in py-key-value's
 * layout, so a Python service using py-key-value and a TypeScript service
 * can share one database.
 *
 * @example Usage
 * ```ts ignore
 * import { RedisStore } from "@kv/core/stores/redis";
 * import assert from "node:assert/strict";
 *
 * await using store = new RedisStore({ url: "redis://127.0.0.1:6379/0" });
 * await store.put("session", { user: "ada" }, { ttl: 30, collection: "sessions" });
 * assert.deepEqual(await store.get("session", { collection: "sessions" }), { user: "ada" });
 * ```
 *
 * @module
 */

// ioredis: the most used Redis client for Node, with cluster, sentinel and
// TLS support, and pipelines; it also runs under Deno and Bun.
import { Cluster, Redis } from "ioredis";
import { connect, type RespConnectOptions } from "./_resp/client.ts";
import { RespStore, type RespStoreOptions } from "./_resp/store.ts";

export type { RespStoreOptions } from "./_resp/store.ts";
export type {
  RespArg,
  RespClient,
  RespCommander,
  RespConnectionOptions,
  RespConnectOptions,
  RespPipeline,
} from "./_resp/client.ts";
export { RespStore } from "./_resp/store.ts";

/** Options of {@linkcode RedisStore}: a client, a URL, host/port/db, or cluster nodes. */
export interface RedisStoreOptions extends RespStoreOptions, RespConnectOptions {}

/**
 * A store on Redis (standalone, Sentinel or Cluster) through ioredis.
 *
 * **Layout** (py-key-value's): each entry is a string key
 * `collection::key` (after `prefix`, empty by default) holding the v1
 * envelope JSON (`{"collection","created_at","expires_at"?,"key","value",
 * "version":1}`), with the TTL set as `PX` in milliseconds, rounded up; the
 * envelope's `expires_at` is checked on every read too, by the `clock`.
 *
 * **Names.** That layout is not injective as py-key-value uses it
 * (collection `a` + key `b::c` and collection `a::b` + key `c` are both
 * `a::b::c`; `a` + `:b` and `a:` + `b` are both `a:::b`), so a collection
 * that contains `::` or ends with `:` is refused with `InvalidKeyError` on
 * every method (and as `defaultCollection` or a `seed` collection); keys
 * are free. Then each Redis key belongs to exactly one pair: the collection
 * is the text before the first `::`. An entry a Python service wrote for a
 * refused collection is another pair's: every read checks the envelope, and
 * one whose `collection` or `key` names another pair is a miss, never
 * listed, deleted, nor destroyed (`put()` and `putIfAbsent()` replace it, as
 * they would any value under the name). A value that is not JSON is a
 * `DeserializationError` on read; `delete()` removes it.
 *
 * **Round trips**: `getMany` is one `MGET`, `putMany` one `MSET` (or one
 * pipeline of `SET ... PX` when it has a TTL), `deleteMany` one script
 * (`EVAL`) that deletes the names holding this pair's envelope; on a
 * cluster, one command per hash slot, all sent at once. Commands go out in
 * call order, so a read made after a write or delete sees it.
 *
 * **delete()** of an entry the clock has expired (the server may still
 * hold it, e.g. under an injected clock) deletes it and resolves `false`;
 * `deleteMany()` does not count it.
 *
 * **Capabilities**: `keys()` and `collections()` follow `SCAN`'s cursor to
 * the end on every master (glob characters escaped), and read the values
 * of each page (one `MGET`) to list only live entries whose envelope names
 * exactly their pair; `destroyCollection()` and `destroy()` delete only such
 * entries, so another application's keys in the same database survive
 * (never `FLUSHDB`); `putIfAbsent()` is `SET NX PX` in a script that also
 * replaces another pair's entry, and a compare-and-set when the entry there
 * may have expired by the clock (a key of another Redis type, or a value
 * that does not parse, is not replaced). No `cull()`: Redis expires entries
 * itself.
 *
 * **Options** are strict: an unknown one (a misspelt `servers`, or a
 * sanitization strategy, which this layout does not take) is a `TypeError`.
 *
 * **Connection**: from `url` (`redis://`, or `rediss://` for TLS; user name
 * and password for ACLs; `/db`), host/port/db, `clusterNodes`, or your own
 * `client`. A client the store creates connects on first use, and an
 * operation on an unreachable server rejects with `StoreConnectionError`
 * within about 3 seconds (reconnection delay up to 1 s, `connectTimeout`
 * 2 s), while the client keeps reconnecting, so the same store works again
 * once the server is back. On such a client each command the store sends
 * (one GET, MGET, pipeline, SCAN step, ...) also rejects with
 * `StoreConnectionError` ("timed out") when the server accepts it but does
 * not answer within `clientOptions.commandTimeout` (5000 ms by default;
 * `Infinity` for none): the store keeps this bound itself, with one timer
 * for all its commands, and does not hand it to ioredis, whose own
 * `commandTimeout` costs a timer per command. A client you give keeps the
 * timeouts you configured. Errors go through the one mapping of every
 * store: connection failures are `StoreConnectionError`, other server or
 * client errors `KeyValueStoreError`, each with the client's error as
 * `cause`; a key holding another Redis type reads as missing. `close()`
 * leaves nothing holding the process open (a socket that never connected
 * is destroyed at once).
 *
 * @example Layout shared with py-key-value
 * ```ts ignore
 * import { RedisStore } from "@kv/core/stores/redis";
 * import { Redis } from "ioredis";
 * import assert from "node:assert/strict";
 *
 * const client = new Redis("redis://127.0.0.1:6379/0");
 * const store = new RedisStore({ client });
 * await store.put("ada", { admin: true }, { collection: "users", ttl: 60 });
 * const raw = JSON.parse((await client.get("users::ada"))!);
 * assert.deepEqual(raw.value, { admin: true });
 * assert.ok((await client.pttl("users::ada")) > 59_000);
 * client.disconnect(); // the store leaves your client to you
 * ```
 */
export class RedisStore extends RespStore {
  /**
   * Creates the store; connecting happens on first use.
   *
   * @param options See {@linkcode RedisStoreOptions}.
   * @throws {TypeError} On an unknown option, a malformed URL, port or db, a
   * `clientOptions.commandTimeout` that is not a number above 0, or a client given with
   * connection options.
   * @throws {InvalidKeyError} When `defaultCollection` or a `seed` collection contains `::` or
   * ends with `:`.
   */
  constructor(options: RedisStoreOptions = {}) {
    super(
      options,
      () =>
        connect(
          options,
          { Redis, Cluster, schemes: { plain: ["redis"], tls: ["rediss"] } },
          "RedisStore",
        ),
    );
  }
}
