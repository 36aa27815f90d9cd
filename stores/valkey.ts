/**
 * {@linkcode ValkeyStore}: a store on Valkey through iovalkey, with the same
 * layout and behaviour as `RedisStore` (one shared implementation), so
 * py-key-value's ValkeyStore and RedisStore read what it writes.
 *
 * @example Usage
 * ```ts ignore
 * import { ValkeyStore } from "@kv/core/stores/valkey";
 * import assert from "node:assert/strict";
 *
 * await using store = new ValkeyStore({ url: "valkey://127.0.0.1:6379/0" });
 * await store.put("session", { user: "ada" }, { ttl: 30, collection: "sessions" });
 * assert.deepEqual(await store.get("session", { collection: "sessions" }), { user: "ada" });
 * ```
 *
 * @module
 */

// iovalkey: the Valkey project's fork of ioredis, same API, kept for Valkey.
import { Cluster, Valkey } from "iovalkey";
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

/** Options of {@linkcode ValkeyStore}: a client, a URL, host/port/db, or cluster nodes. */
export interface ValkeyStoreOptions extends RespStoreOptions, RespConnectOptions {}

/**
 * A store on Valkey (standalone, Sentinel or Cluster) through iovalkey.
 *
 * Everything `RedisStore` documents holds here: the layout
 * `collection::key` holding the v1 envelope with `PX` expiry (a collection
 * containing `::` or ending with `:` refused, an envelope naming another
 * pair read as missing), strict options, one round trip
 * per batch (per hash slot on a cluster), SCAN to the end of the cursor,
 * destroy operations that delete only our own entries, `SET NX` for
 * `putIfAbsent()`, and `StoreConnectionError` within seconds on an
 * unreachable server with recovery once it returns. URLs may use
 * `redis://`, `valkey://` (plain) or `rediss://`, `valkeys://` (TLS).
 *
 * @example Sharing data with a RedisStore
 * ```ts ignore
 * import { ValkeyStore } from "@kv/core/stores/valkey";
 * import { RedisStore } from "@kv/core/stores/redis";
 * import assert from "node:assert/strict";
 *
 * await using valkey = new ValkeyStore({ url: "redis://127.0.0.1:6380" });
 * await using redis = new RedisStore({ url: "redis://127.0.0.1:6380" });
 * await valkey.put("k", { n: 1 });
 * assert.deepEqual(await redis.get("k"), { n: 1 });
 * ```
 */
export class ValkeyStore extends RespStore {
  /**
   * Creates the store; connecting happens on first use.
   *
   * @param options See {@linkcode ValkeyStoreOptions}.
   * @throws {TypeError} On an unknown option, a malformed URL, port or db, a
   * `clientOptions.commandTimeout` that is not a number above 0, or a client given with
   * connection options.
   * @throws {InvalidKeyError} When `defaultCollection` or a `seed` collection contains `::` or
   * ends with `:`.
   */
  constructor(options: ValkeyStoreOptions = {}) {
    super(
      options,
      () =>
        connect(
          options,
          {
            Redis: Valkey,
            Cluster,
            schemes: { plain: ["redis", "valkey"], tls: ["rediss", "valkeys"] },
          },
          "ValkeyStore",
        ),
    );
  }
}
