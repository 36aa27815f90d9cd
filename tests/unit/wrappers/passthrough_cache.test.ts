import assert from "node:assert/strict";
import { test } from "node:test";
import { capabilitiesOf } from "../../../core/capabilities.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { SimpleStore } from "../../../stores/simple.ts";
import { PassthroughCacheWrapper } from "../../../wrappers/passthrough_cache.ts";
import { ALL, Faulty, RUNS, sleep, testWrapper } from "./_helpers.ts";

testWrapper("PassthroughCacheWrapper", {
  wrap: (inner) => new PassthroughCacheWrapper(inner(), { cache: inner() }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) =>
    new PassthroughCacheWrapper(inner(), { cache: inner(), ...extra }),
});

function setup(options: { maxTtl?: number; missingTtl?: number } = {}) {
  const primary = new Faulty(new MemoryStore());
  const cache = new MemoryStore();
  const store = new PassthroughCacheWrapper(primary, { cache, ...options });
  const reads = () => primary.calls.filter((c) => c.method === "ttl" || c.method === "ttlMany");
  return { primary, cache, store, reads };
}

test("PassthroughCacheWrapper.get() loads a miss from the primary once, then answers from the cache", async () => {
  const { primary, cache, store, reads } = setup();
  await primary.put("k", { n: 1 });
  assert.deepEqual(await store.get("k"), { n: 1 });
  assert.deepEqual(await store.get("k"), { n: 1 });
  assert.equal(reads().length, 1);
  assert.deepEqual(await cache.get("k"), { n: 1 });
  assert.equal(await store.get("missing"), undefined);
  assert.equal(await cache.get("missing"), undefined);
});

test("PassthroughCacheWrapper caches with the primary's remaining TTL, clamped to maxTtl", async () => {
  const { primary, cache, store } = setup({ maxTtl: 50, missingTtl: 20 });
  await primary.put("short", { n: 1 }, { ttl: 10 });
  await primary.put("long", { n: 2 }, { ttl: 1000 });
  await primary.put("forever", { n: 3 });
  await store.getMany(["short", "long", "forever"]);
  const [short, long, forever] = (await cache.ttlMany(["short", "long", "forever"])).map((e) =>
    e[1]
  );
  assert.ok(short! > 9 && short! <= 10, `short ${short}`);
  assert.ok(long! > 49 && long! <= 50, `long ${long}`);
  assert.ok(forever! > 19 && forever! <= 20, `forever ${forever}`);
});

test("PassthroughCacheWrapper.ttl() reports the primary's TTL, not the cache's", async () => {
  const { primary, store } = setup({ missingTtl: 20 });
  await primary.put("forever", { n: 3 });
  assert.deepEqual(await store.get("forever"), { n: 3 });
  assert.deepEqual(await store.ttl("forever"), [{ n: 3 }, undefined]);
  assert.deepEqual(await store.ttlMany(["forever", "x"]), [[{ n: 3 }, undefined], [
    undefined,
    undefined,
  ]]);
});

test("PassthroughCacheWrapper treats an empty object as a value, not a miss", async () => {
  const { primary, store, reads } = setup();
  await primary.put("empty", {});
  assert.deepEqual(await store.get("empty"), {});
  assert.deepEqual(await store.get("empty"), {});
  assert.deepEqual(await store.getMany(["empty"]), [{}]);
  assert.equal(reads().length, 1);
});

test("PassthroughCacheWrapper loads concurrent misses of one key from the primary once", async () => {
  const { primary, store, reads } = setup();
  await primary.put("hot", { n: 1 });
  primary.delayMs = 30;
  const results = await Promise.all([
    ...Array.from({ length: 20 }, () => store.get("hot")),
    store.getMany(["hot", "hot"]),
  ]);
  assert.equal(reads().length, 1);
  const values = results.slice(0, 20) as Record<string, unknown>[];
  for (const value of values) assert.deepEqual(value, { n: 1 });
  assert.notEqual(values[0], values[1], "each caller gets its own copy");
  values[0]!.n = 99;
  assert.deepEqual(await store.get("hot"), { n: 1 });
});

test("PassthroughCacheWrapper.getMany() loads all misses in one call", async () => {
  const { primary, store, reads } = setup();
  await primary.putMany(["a", "b", "c"], [{ n: 1 }, { n: 2 }, { n: 3 }]);
  await store.get("a");
  assert.deepEqual(await store.getMany(["a", "b", "c", "d", "b"]), [
    { n: 1 },
    { n: 2 },
    { n: 3 },
    undefined,
    { n: 2 },
  ]);
  assert.deepEqual(reads().map((c) => c.method), ["ttl", "ttlMany"]);
});

test("PassthroughCacheWrapper writes and deletes invalidate the cache", async () => {
  const { cache, store } = setup();
  await store.put("k", { n: 1 });
  await store.get("k");
  await store.put("k", { n: 2 });
  assert.equal(await cache.get("k"), undefined);
  assert.deepEqual(await store.get("k"), { n: 2 });
  await store.putMany(["k"], [{ n: 3 }]);
  assert.deepEqual(await store.get("k"), { n: 3 });
  await store.delete("k");
  assert.equal(await store.get("k"), undefined);
  await store.put("j", { n: 4 });
  await store.get("j");
  await store.deleteMany(["j"]);
  assert.equal(await store.get("j"), undefined);
});

test("PassthroughCacheWrapper never caches a value a concurrent write replaced", async () => {
  const { primary, cache, store } = setup();
  await primary.put("k", { v: "old" });
  primary.lagMs = 30;
  const read = store.get("k"); // reads the old value, then answers slowly
  await sleep(5);
  primary.lagMs = 0;
  await store.put("k", { v: "new" });
  assert.deepEqual(await read, { v: "old" });
  assert.equal(await cache.get("k"), undefined);
  assert.deepEqual(await store.get("k"), { v: "new" });
});

test("PassthroughCacheWrapper.destroy() and destroyCollection() clear both stores", async () => {
  const { cache, store } = setup();
  await store.put("k", { n: 1 }, { collection: "c" });
  await store.get("k", { collection: "c" });
  assert.equal(await store.destroyCollection("c"), true);
  assert.deepEqual(await cache.collections(), []);
  assert.equal(await store.get("k", { collection: "c" }), undefined);
  await store.put("k", { n: 1 });
  await store.get("k");
  await store.destroy();
  assert.equal(await store.get("k"), undefined);
});

test("PassthroughCacheWrapper exposes destroy only when the cache can destroy too", () => {
  const store = new PassthroughCacheWrapper(new MemoryStore(), { cache: new SimpleStore() });
  const caps = capabilitiesOf(store);
  const simpleCaps = capabilitiesOf(new SimpleStore());
  assert.equal(caps.includes("destroyCollection"), simpleCaps.includes("destroyCollection"));
  assert.ok(caps.includes("putIfAbsent"));
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => new PassthroughCacheWrapper(new MemoryStore(), { cache: undefined as any }),
    TypeError,
  );
});

test("PassthroughCacheWrapper keeps one cache copy per entry when the stores' default collections differ", async () => {
  const primary = new MemoryStore({ defaultCollection: "primary_default" });
  const cache = new MemoryStore({ defaultCollection: "cache_default" });
  const store = new PassthroughCacheWrapper(primary, { cache });
  assert.equal(store.defaultCollection, "primary_default");
  await primary.put("k", { v: "old" });
  assert.deepEqual(await store.get("k"), { v: "old" }); // cached, under the primary's default
  await store.put("k", { v: "new" }, { collection: "primary_default" }); // the same entry
  assert.deepEqual(await store.get("k"), { v: "new" });
  assert.deepEqual(await store.get("k", { collection: "" }), { v: "new" });
  assert.deepEqual(await cache.collections(), ["primary_default"]);
  await store.delete("k", { collection: "primary_default" });
  assert.equal(await store.get("k"), undefined);
  assert.deepEqual(await store.getMany(["k"]), [undefined]);
});

test("PassthroughCacheWrapper keeps loads of different (collection, key) pairs apart", async () => {
  const primary = new MemoryStore();
  const store = new PassthroughCacheWrapper(primary, { cache: new MemoryStore() });
  await primary.put("b\u0000c", { n: 1 }, { collection: "a" });
  await primary.put("c", { n: 2 }, { collection: "a\u0000b" });
  const [one, two] = await Promise.all([
    store.get("b\u0000c", { collection: "a" }),
    store.get("c", { collection: "a\u0000b" }),
  ]);
  assert.deepEqual([one, two], [{ n: 1 }, { n: 2 }]);
});
