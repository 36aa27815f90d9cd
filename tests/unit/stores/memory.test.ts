import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStore } from "../../../stores/memory.ts";
import { testConformance } from "../../../testing/_conformance.ts";

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

// ------------------------------------------------------------------------
// Expiry sweep (memory stays proportional to the live entries under churn)
// and delete of an expired entry, with an injected clock.

/** A clock a test moves by hand. */
function manualClock(start = 1_700_000_000_000): { now(): number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/**
 * Runs `writes` puts of fresh keys with a 50 ms TTL, the clock moving 1 ms
 * every 10 writes (so about 500 short-lived entries are live at any time),
 * and returns the most entries the store ever held.
 */
async function churn(
  store: MemoryStore,
  clock: { advance(ms: number): void },
  writes: number,
  collectionOf: (i: number) => string = () => "churn",
): Promise<number> {
  let most = 0;
  for (let i = 0; i < writes; i++) {
    await store.put(`short${i}`, { i }, { ttl: 0.05, collection: collectionOf(i) });
    if (i % 10 === 9) clock.advance(1);
    most = Math.max(most, store.size);
  }
  return most;
}

test("MemoryStore keeps sweeping when a sweep leaves live entries (all entries expiring)", async () => {
  const clock = manualClock();
  const store = new MemoryStore({ clock });
  const most = await churn(store, clock, 50_000);
  // About 500 live; a sweep runs after max(1024, entries left) writes.
  assert.ok(most <= 4 * 1024, `held ${most} entries for about 500 live ones`);
  clock.advance(50); // every entry is now at or past its deadline
  const held = store.size;
  assert.equal(await store.cull(), held);
  assert.equal(store.size, 0);
  assert.equal(await store.cull(), 0);
});

test("MemoryStore keeps sweeping with long-lived entries among short-lived ones", async () => {
  const clock = manualClock();
  const store = new MemoryStore({ clock });
  for (let i = 0; i < 3_000; i++) await store.put(`long${i}`, { i }, { collection: "churn" });
  for (let i = 0; i < 1_000; i++) {
    await store.put(`hour${i}`, { i }, { ttl: 3_600, collection: "churn" });
  }
  const most = await churn(store, clock, 50_000);
  // 4,000 long-lived + about 500 short-lived live: at most about twice that held.
  assert.ok(most <= 2 * 4_500 + 1024, `held ${most} entries for about 4,500 live ones`);
  clock.advance(50);
  await store.cull();
  assert.equal(store.size, 4_000);
  assert.equal((await store.keys({ collection: "churn" })).length, 4_000);
});

test("MemoryStore keeps sweeping when churn spreads over many collections", async () => {
  const clock = manualClock();
  const store = new MemoryStore({ clock });
  const most = await churn(store, clock, 50_000, (i) => `c${i % 997}`);
  assert.ok(most <= 4 * 1024, `held ${most} entries for about 500 live ones`);
  clock.advance(50);
  await store.cull();
  assert.equal(store.size, 0);
  assert.deepEqual(await store.collections(), []);
});

test("MemoryStore keeps sweeping with maxEntriesPerCollection, one collection per write", async () => {
  const clock = manualClock();
  const store = new MemoryStore({ clock, maxEntriesPerCollection: 10 });
  const most = await churn(store, clock, 50_000, (i) => `c${i}`);
  assert.ok(most <= 4 * 1024, `held ${most} entries for about 500 live ones`);
});

test("MemoryStore keeps sweeping with maxEntriesPerCollection above the live count", async () => {
  const clock = manualClock();
  const store = new MemoryStore({ clock, maxEntriesPerCollection: 100_000 });
  const most = await churn(store, clock, 50_000);
  assert.ok(most <= 4 * 1024, `held ${most} entries for about 500 live ones`);
});

test("MemoryStore.delete() of an entry exactly at its deadline resolves false", async () => {
  const clock = manualClock();
  const store = new MemoryStore({ clock });
  await store.put("k", { n: 1 }, { ttl: 1 });
  await store.put("j", { n: 2 }, { ttl: 1 });
  clock.advance(999);
  assert.equal(await store.delete("j"), true);
  clock.advance(1);
  assert.equal(await store.get("k"), undefined); // the synchronous read path: expired at the deadline
  await store.put("k", { n: 1 }, { ttl: 1 });
  clock.advance(1000);
  assert.equal(await store.delete("k"), false);
  assert.equal(store.size, 0, "the expired entry is gone all the same");
});

test("MemoryStore.deleteMany() does not count expired entries", async () => {
  const clock = manualClock();
  const store = new MemoryStore({ clock });
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { ttl: 1 });
  await store.put("c", { n: 3 }, { ttl: 2 });
  await store.put("d", { n: 4 });
  clock.advance(1000);
  assert.equal(await store.deleteMany(["a", "b", "c", "d", "missing"]), 2);
  assert.equal(store.size, 0);
});

test("MemoryStore reads an entry at 999 ms of a 1 s TTL and misses it at 1000 ms", async () => {
  const clock = manualClock();
  const store = new MemoryStore({ clock });
  await store.put("k", { n: 1 }, { ttl: 1 });
  clock.advance(999);
  assert.deepEqual(await store.get("k"), { n: 1 });
  assert.deepEqual(await store.ttl("k"), [{ n: 1 }, 0.001]);
  clock.advance(1);
  // On the synchronous read path (answered in one microtask), as on the others.
  let answer: unknown = "pending";
  store.get("k").then((value) => answer = value);
  await Promise.resolve();
  assert.equal(answer, undefined);
  assert.deepEqual(await store.ttl("k"), [undefined, undefined]);
});

test("MemoryStore sweeps again soon after destroy() emptied a large store", async () => {
  const clock = manualClock();
  const store = new MemoryStore({ clock });
  const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}`);
  await store.putMany(keys, keys.map((_, i) => ({ i })));
  await store.destroy();
  const most = await churn(store, clock, 20_000);
  assert.ok(most <= 4 * 1024, `held ${most} entries for about 500 live ones`);
});

test("MemoryStore refuses an unknown option, naming it and the valid ones", () => {
  // deno-lint-ignore no-explicit-any
  const make = (options: any) => new MemoryStore(options);
  assert.throws(() => make({ maxEntries: 5 }), (error: unknown) => {
    assert.ok(error instanceof TypeError, String(error));
    assert.match(error.message, /MemoryStore.*"maxEntries"/);
    for (const option of ["defaultCollection", "seed", "clock", "maxEntriesPerCollection"]) {
      assert.ok(error.message.includes(option), option);
    }
    return true;
  });
  // Sanitization strategies would do nothing here: refused rather than ignored.
  assert.throws(() => make({ collectionSanitizationStrategy: {} }), TypeError);
  assert.throws(() => make(42), TypeError);
  make({ defaultCollection: "d", seed: {}, clock: { now: () => 0 }, maxEntriesPerCollection: 1 });
});
