import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStore } from "../../../stores/memory.ts";
import { testConformance } from "../../../testing/conformance.ts";

const ALL = ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"] as const;

testConformance("MemoryStore", {
  factory: ({ clock }) => new MemoryStore({ clock }),
  clock: true,
  capabilities: ALL,
  construct: (extra) => new MemoryStore(extra),
});
testConformance("MemoryStore (bounded)", {
  factory: ({ clock }) => new MemoryStore({ maxEntriesPerCollection: 500, clock }),
  clock: true,
  capabilities: ALL,
  bound: 500,
  propertyRuns: 50,
  construct: (extra) => new MemoryStore({ maxEntriesPerCollection: 500, ...extra }),
});

test("MemoryStore sweeps expired entries that are never read again", async () => {
  const store = new MemoryStore();
  const keys = Array.from({ length: 5_000 }, (_, i) => `k${i}`);
  await store.putMany(keys, keys.map((_, i) => ({ i })), { ttl: 0.05, collection: "short" });
  assert.equal(store.size, 5_000);
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (let i = 0; i < 10_000; i++) await store.put(`live${i % 100}`, { i });
  assert.ok(store.size <= 100 + 1024, `size ${store.size} should have dropped to the live entries`);
  assert.deepEqual(await store.collections(), ["default_collection"]);
});

test("MemoryStore evicts per collection, so a busy collection cannot evict another", async () => {
  const store = new MemoryStore({ maxEntriesPerCollection: 3 });
  await store.put("quiet", { n: 0 }, { collection: "a" });
  for (let i = 0; i < 10; i++) await store.put(`k${i}`, { i }, { collection: "b" });
  assert.deepEqual(await store.get("quiet", { collection: "a" }), { n: 0 });
  assert.deepEqual(await store.keys({ collection: "b" }), ["k7", "k8", "k9"]);
});

test("MemoryStore reads refresh recency in the LRU", async () => {
  const store = new MemoryStore({ maxEntriesPerCollection: 2 });
  await store.put("a", { n: 1 });
  await store.put("b", { n: 2 });
  await store.get("a");
  await store.put("c", { n: 3 });
  assert.deepEqual(await store.getMany(["a", "b", "c"]), [{ n: 1 }, undefined, { n: 3 }]);
});

test("MemoryStore applies its seed once at setup, copied", async () => {
  const seed = { users: { ada: { admin: true } } };
  const store = new MemoryStore({ seed });
  seed.users.ada.admin = false;
  assert.deepEqual(await store.get("ada", { collection: "users" }), { admin: true });
  await store.delete("ada", { collection: "users" });
  assert.equal(await store.get("ada", { collection: "users" }), undefined);
});

test("MemoryStore refuses a bad bound or default collection", () => {
  assert.throws(() => new MemoryStore({ maxEntriesPerCollection: 0 }), RangeError);
  assert.throws(() => new MemoryStore({ maxEntriesPerCollection: 1.5 }), RangeError);
  assert.throws(() => new MemoryStore({ defaultCollection: "" }), TypeError);
});

test("MemoryStore uses a custom default collection", async () => {
  const store = new MemoryStore({ defaultCollection: "mine" });
  await store.put("k", { n: 1 });
  assert.deepEqual(await store.get("k", { collection: "mine" }), { n: 1 });
  assert.deepEqual(await store.collections(), ["mine"]);
});
