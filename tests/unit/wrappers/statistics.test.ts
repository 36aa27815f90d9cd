import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStore } from "../../../stores/memory.ts";
import { StatisticsWrapper } from "../../../wrappers/statistics.ts";
import { ALL, RUNS, testWrapper } from "./_helpers.ts";

testWrapper("StatisticsWrapper", {
  wrap: (inner) => new StatisticsWrapper(inner()),
  capabilities: ALL,
  propertyRuns: RUNS,
  // Reflect.construct: the constructor takes no options argument yet; an unknown one must still be refused.
  construct: (inner) => (extra) => Reflect.construct(StatisticsWrapper, [inner(), extra]),
});

test("StatisticsWrapper counts gets, ttls, puts and deletes with hits and misses per collection", async () => {
  const store = new StatisticsWrapper(new MemoryStore());
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { collection: "c" });
  await store.put("x", { n: 3 });
  await store.get("a", { collection: "c" });
  await store.getMany(["a", "b", "z"], { collection: "c" });
  await store.ttl("zz", { collection: "c" });
  await store.ttlMany(["a", "q"], { collection: "c" });
  await store.delete("a", { collection: "c" });
  await store.deleteMany(["a", "b", "q"], { collection: "c" });
  assert.deepEqual(store.statistics.collections.c, {
    get: { count: 4, hits: 3, misses: 1 },
    ttl: { count: 3, hits: 1, misses: 2 },
    put: { count: 2 },
    delete: { count: 4, hits: 2, misses: 2 },
  });
  assert.equal(store.statistics.collections.default_collection!.put.count, 1);
});

test("StatisticsWrapper never overrides the inner store's default collection", async () => {
  const inner = new MemoryStore({ defaultCollection: "mine" });
  const store = new StatisticsWrapper(inner);
  await store.put("k", { n: 1 });
  assert.deepEqual(await inner.get("k", { collection: "mine" }), { n: 1 });
  assert.deepEqual(await inner.collections(), ["mine"]);
  assert.equal(store.statistics.collections.mine!.put.count, 1);
});

test("StatisticsWrapper.reset() clears the counters, and snapshots do not change", async () => {
  const store = new StatisticsWrapper(new MemoryStore());
  await store.get("k");
  const before = store.statistics;
  store.reset();
  await store.get("k");
  assert.equal(before.collections.default_collection!.get.count, 1);
  assert.equal(store.statistics.collections.default_collection!.get.count, 1);
  store.reset();
  assert.deepEqual(store.statistics, { collections: {} });
});

test("StatisticsWrapper counts putIfAbsent() only when it stored", async () => {
  const store = new StatisticsWrapper(new MemoryStore());
  await store.putIfAbsent("k", { n: 1 });
  await store.putIfAbsent("k", { n: 2 });
  assert.equal(store.statistics.collections.default_collection!.put.count, 1);
});

test("StatisticsWrapper does not count a failed call", async () => {
  const store = new StatisticsWrapper(new MemoryStore());
  await assert.rejects(store.put("", { n: 1 }));
  assert.deepEqual(store.statistics.collections, {});
});

test("StatisticsWrapper refuses any option (it has none)", () => {
  // deno-lint-ignore no-explicit-any
  const make = (options: any) => new StatisticsWrapper(new MemoryStore(), options);
  assert.throws(() => make({ perCollection: true }), {
    name: "TypeError",
    message: /StatisticsWrapper.*"perCollection"/,
  });
  assert.throws(() => make(1), TypeError);
  make({});
  make(undefined);
});
