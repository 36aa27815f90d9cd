// RedisStore through Redis Sentinel (scripts/services.sh up redis redis-sentinel:
// one Sentinel watching the `redis` service as master `kvmaster`): the store
// asks the Sentinel for the master and works on it, from options and from an
// openStore URL.

import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { RedisStore } from "../../stores/redis.ts";
import { ValkeyStore } from "../../stores/valkey.ts";
import { closeStore, openStore } from "../../open/mod.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";

const sentinel = serviceUrl("redisSentinel"); // "host:port/master"
const redis = serviceUrl("redis");
const [node, master] = (sentinel ?? "/").split("/") as [string, string];
const run = uniqueSuffix();
const open: { close(): Promise<void> }[] = [];
after(async () => {
  for (const store of open) await store.close();
});

describe("RedisStore over Redis Sentinel", skipUnless(sentinel && redis, "redis-sentinel"), () => {
  test("RedisStore with sentinels writes to the master the Sentinel names", async () => {
    const store = new RedisStore({ sentinels: [node], sentinelName: master, prefix: run });
    const direct = new RedisStore({ url: redis!, prefix: run });
    open.push(store, direct);
    await store.put("k", { via: "sentinel" }, { collection: "c", ttl: 60 });
    assert.deepEqual(await direct.get("k", { collection: "c" }), { via: "sentinel" });
    assert.equal(await store.delete("k", { collection: "c" }), true);
    assert.equal(await direct.get("k", { collection: "c" }), undefined);
  });

  test("RedisStore with a master name the Sentinel does not know fails with StoreConnectionError", async () => {
    const store = new RedisStore({
      sentinels: [node],
      sentinelName: `unknown${run}`,
      clientOptions: { sentinelMaxConnections: 1, sentinelRetryStrategy: () => null },
    });
    open.push(store);
    await assert.rejects(store.get("k"), { name: "StoreConnectionError" });
  });

  test("openStore() opens a RedisStore through the Sentinel from redis://host?sentinel=", async () => {
    const store = await openStore(`redis://${node}/0?sentinel=${master}&prefix=${run}`);
    const direct = new RedisStore({ url: redis!, prefix: run });
    open.push(direct);
    try {
      assert.ok(store instanceof RedisStore);
      await store.put("u", { n: 1 });
      assert.deepEqual(await direct.get("u"), { n: 1 });
      await store.delete("u");
    } finally {
      await closeStore(store);
    }
  });
});

test("RedisStore and ValkeyStore refuse sentinel options that do not go together", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ sentinelName: "m" }, /sentinelName needs sentinels/],
    [{ sentinels: ["h:1"] }, /need a sentinelName/],
    [{ sentinels: [], sentinelName: "m" }, /non-empty array/],
    [{ sentinels: ["nohost"], sentinelName: "m" }, /must be host:port/],
    [{ sentinels: ["h:1"], sentinelName: "m", url: "redis://h" }, /without url/],
    [
      { sentinels: ["h:1"], sentinelName: "m", clusterNodes: ["h:2"] },
      /without url\/host\/port\/clusterNodes/,
    ],
  ];
  for (const Store of [RedisStore, ValkeyStore]) {
    for (const [options, message] of cases) {
      assert.throws(() => new Store(options), (error: unknown) => {
        assert.ok(error instanceof TypeError, JSON.stringify(options));
        assert.match(error.message, message);
        return true;
      });
    }
  }
});
