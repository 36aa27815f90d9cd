// RedisStore on a real 3-master Redis Cluster. The cluster has only db 0 and
// is shared, so every store here is scoped by a unique prefix: destroy() in
// one test can never delete another's data.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Cluster } from "ioredis";
import { RedisStore } from "../../stores/redis.ts";
import { groupBySlot } from "../../stores/_resp/slots.ts";
import { testConformance } from "../../testing/_conformance.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";

const nodes = serviceUrl("redisCluster")?.split(",") ?? [];
const skip = { ...skipUnless(nodes.length ? "up" : undefined, "Redis Cluster"), timeout: 60_000 };
const scoped = () => new RedisStore({ clusterNodes: nodes, prefix: `t${uniqueSuffix()}:` });

if (nodes.length) {
  testConformance("RedisStore (cluster)", {
    factory: ({ clock }) =>
      new RedisStore({ clusterNodes: nodes, prefix: `t${uniqueSuffix()}:`, clock }),
    clock: true,
    construct: (extra) =>
      new RedisStore({ clusterNodes: nodes, prefix: `t${uniqueSuffix()}:`, ...extra }),
    capabilities: ["keys", "collections", "destroyCollection", "destroy", "putIfAbsent"],
    // The layout is prefix + collection::key: a collection holding "::" is refused.
    refusedCollections: ["a::b"],
    propertyRuns: 50,
  });
}

test(
  "RedisStore (cluster) batches across hash slots and lists keys on every master",
  skip,
  async () => {
    await using store = scoped();
    const keys = Array.from({ length: 25_000 }, (_, i) => `key-${i}`);
    assert.ok(groupBySlot(keys.map((k) => `default_collection::${k}`)).length > 1_000);
    for (let i = 0; i < keys.length; i += 5_000) {
      const chunk = keys.slice(i, i + 5_000);
      await store.putMany(chunk, chunk.map((_, j) => ({ j: i + j })), { ttl: 600 });
    }
    const values = await store.getMany(keys);
    assert.deepEqual(values[0], { j: 0 });
    assert.deepEqual(values[24_999], { j: 24_999 });
    assert.equal(values.filter((v) => v !== undefined).length, 25_000);
    const started = performance.now();
    const listed = await store.keys();
    console.log(
      `RedisStore (cluster).keys() over 25,000 keys took ${
        (performance.now() - started).toFixed(0)
      } ms`,
    );
    assert.deepEqual(new Set(listed), new Set(keys));
    assert.equal(await store.deleteMany(keys.slice(0, 10_000)), 10_000);
    assert.equal((await store.keys()).length, 15_000);
    assert.equal(await store.destroy(), true);
    assert.deepEqual(await store.keys(), []);
  },
);

test("RedisStore works over a Cluster the user built, and leaves it open", skip, async () => {
  const client = new Cluster(nodes.map((node) => {
    const [host, port] = node.split(":");
    return { host: host!, port: Number(port) };
  }));
  try {
    const store = new RedisStore({ client, prefix: `user${uniqueSuffix()}:` });
    await store.putMany(["a", "b", "c"], [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.deepEqual(await store.getMany(["c", "a", "x"]), [{ n: 3 }, { n: 1 }, undefined]);
    assert.equal(await store.destroy(), true);
    await store.close();
    assert.equal(client.status, "ready");
    assert.equal(await client.call("PING"), "PONG");
  } finally {
    client.disconnect();
  }
});
