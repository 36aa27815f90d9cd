import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidTTLError } from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { TTLClampWrapper } from "../../../wrappers/ttl_clamp.ts";
import { ALL, RUNS, testWrapper } from "./_helpers.ts";

testWrapper("TTLClampWrapper", {
  wrap: (inner) => new TTLClampWrapper(inner(), { minTtl: 0.01, maxTtl: 1e6 }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) =>
    new TTLClampWrapper(inner(), { minTtl: 0.01, maxTtl: 1e6, ...extra }),
});

test("TTLClampWrapper.put() raises a TTL below the minimum", async () => {
  const store = new TTLClampWrapper(new MemoryStore(), { minTtl: 50, maxTtl: 100 });
  await store.put("k", { n: 1 }, { ttl: 1 });
  const [, ttl] = await store.ttl("k");
  assert.ok(ttl! > 49 && ttl! <= 50, `ttl ${ttl}`);
});

test("TTLClampWrapper.putMany() lowers a TTL above the maximum", async () => {
  const store = new TTLClampWrapper(new MemoryStore(), { minTtl: 1, maxTtl: 100 });
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { ttl: 10_000 });
  for (const [, ttl] of await store.ttlMany(["a", "b"])) assert.ok(ttl! > 99 && ttl! <= 100);
});

test("TTLClampWrapper applies missingTtl to writes without a TTL, clamped", async () => {
  const store = new TTLClampWrapper(new MemoryStore(), { maxTtl: 20, missingTtl: 500 });
  await store.put("k", { n: 1 });
  const [, ttl] = await store.ttl("k");
  assert.ok(ttl! > 19 && ttl! <= 20, `ttl ${ttl}`);
  const keep = new TTLClampWrapper(new MemoryStore(), { maxTtl: 20 });
  await keep.put("k", { n: 1 });
  assert.deepEqual(await keep.ttl("k"), [{ n: 1 }, undefined]);
});

test("TTLClampWrapper.putIfAbsent() clamps the TTL too", async () => {
  const store = new TTLClampWrapper(new MemoryStore(), { maxTtl: 5 });
  assert.equal(await store.putIfAbsent("k", { n: 1 }, { ttl: 1000 }), true);
  const [, ttl] = await store.ttl("k");
  assert.ok(ttl! <= 5);
});

test("TTLClampWrapper still rejects an invalid TTL instead of clamping it", async () => {
  const store = new TTLClampWrapper(new MemoryStore(), { minTtl: 1, maxTtl: 10 });
  await assert.rejects(store.put("k", { n: 1 }, { ttl: -5 }), InvalidTTLError);
  await assert.rejects(store.put("k", { n: 1 }, { ttl: NaN }), InvalidTTLError);
  assert.equal(await store.get("k"), undefined);
});

test("TTLClampWrapper refuses bad bounds", () => {
  assert.throws(
    () => new TTLClampWrapper(new MemoryStore(), { minTtl: 10, maxTtl: 1 }),
    RangeError,
  );
  assert.throws(() => new TTLClampWrapper(new MemoryStore(), { maxTtl: -1 }), InvalidTTLError);
});
