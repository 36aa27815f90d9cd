import assert from "node:assert/strict";
import { test } from "node:test";
import { NullStore } from "../../../stores/null.ts";
import { SimpleStore, type SimpleStoreOptions } from "../../../stores/simple.ts";
import type { Clock } from "../../../core/clock.ts";
import { InvalidKeyError, InvalidTTLError, SerializationError } from "../../../core/errors.ts";
import { BAD_KEYS, BAD_TTLS, LOSSY, NOT_OBJECTS } from "../../../testing/_cases_bad_input.ts";
import { testConformance } from "../../../testing/_conformance.ts";

// SimpleStoreOptions does not name `clock` yet; BaseStore reads it all the same.
const clocked = (clock: Clock, options: SimpleStoreOptions = {}) =>
  new SimpleStore({ ...options, clock } as SimpleStoreOptions);

testConformance("SimpleStore", {
  factory: ({ clock }) => clocked(clock),
  clock: true,
  capabilities: ["keys", "collections", "destroy"],
  construct: (extra) => new SimpleStore(extra as SimpleStoreOptions),
});
testConformance("SimpleStore (bounded)", {
  factory: ({ clock }) => clocked(clock, { maxEntries: 500 }),
  clock: true,
  capabilities: ["keys", "collections", "destroy"],
  bound: 500,
  propertyRuns: 0,
  namesRuns: 10,
});

// NullStore stores nothing, so the suite's "store unchanged" checks do not
// apply; it must still refuse every bad input with the same error classes.
test("NullStore refuses the whole bad-input table like any store", async () => {
  const store = new NullStore();
  // deno-lint-ignore no-explicit-any
  const loose = store as any;
  for (const [label, make] of NOT_OBJECTS) {
    await assert.rejects(loose.put("k", make()), TypeError, label);
  }
  for (const [label, make] of LOSSY) {
    await assert.rejects(loose.put("k", make()), SerializationError, label);
  }
  for (const [label, ttl] of BAD_TTLS) {
    await assert.rejects(loose.put("k", { a: 1 }, { ttl }), InvalidTTLError, label);
  }
  for (const [label, key] of BAD_KEYS) {
    await assert.rejects(loose.get(key), TypeError, label);
    await assert.rejects(loose.deleteMany([key]), TypeError, label);
  }
  await assert.rejects(store.get(""), InvalidKeyError);
  await assert.rejects(store.putMany(["a"], []), RangeError);
});

test("NullStore accepts writes and forgets them", async () => {
  const store = new NullStore();
  await store.put("k", { a: 1 }, { ttl: 10 });
  await store.putMany(["a", "b"], [{ a: 1 }, { b: 2 }]);
  assert.equal(await store.get("k"), undefined);
  assert.deepEqual(await store.getMany(["a", "b"]), [undefined, undefined]);
  assert.deepEqual(await store.ttl("k"), [undefined, undefined]);
  assert.equal(await store.delete("k"), false);
  assert.equal(await store.deleteMany(["a", "b"]), 0);
});

/** A clock a test moves by hand. */
function manualClock(start = 1_700_000_000_000): { now(): number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

test("SimpleStore keeps collection a key b::c apart from collection a::b key c", async () => {
  const store = new SimpleStore();
  await store.put("b::c", { from: "a" }, { collection: "a" });
  await store.put("c", { from: "a::b" }, { collection: "a::b" });
  assert.deepEqual(await store.get("b::c", { collection: "a" }), { from: "a" });
  assert.deepEqual(await store.get("c", { collection: "a::b" }), { from: "a::b" });
  assert.deepEqual(await store.keys({ collection: "a" }), ["b::c"]);
  assert.deepEqual(await store.keys({ collection: "a::b" }), ["c"]);
  assert.deepEqual(await store.collections(), ["a", "a::b"]);
  assert.equal(await store.delete("c", { collection: "a::b" }), true);
  assert.deepEqual(await store.get("b::c", { collection: "a" }), { from: "a" });
});

test("SimpleStore.delete() of an entry exactly at its deadline resolves false", async () => {
  const clock = manualClock();
  const store = new SimpleStore({ clock });
  await store.put("k", { n: 1 }, { ttl: 1 });
  await store.put("j", { n: 2 }, { ttl: 1 });
  clock.advance(999);
  assert.equal(await store.delete("j"), true);
  clock.advance(1);
  assert.equal(await store.get("k"), undefined);
  assert.equal(await store.delete("k"), false);
  assert.deepEqual(await store.keys(), []);
});

test("SimpleStore.deleteMany() does not count expired entries", async () => {
  const clock = manualClock();
  const store = new SimpleStore({ clock });
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { ttl: 1 });
  await store.put("c", { n: 3 }, { ttl: 2 });
  await store.put("d", { n: 4 });
  clock.advance(1000);
  assert.equal(await store.deleteMany(["a", "b", "c", "d", "missing"]), 2);
  assert.deepEqual(await store.keys(), []);
});

test("SimpleStore and NullStore refuse an unknown option, naming it and the valid ones", () => {
  // deno-lint-ignore no-explicit-any
  type Make = (options: any) => unknown;
  const cases: [string, Make, string[]][] = [
    ["SimpleStore", (o) => new SimpleStore(o), [
      "defaultCollection",
      "seed",
      "clock",
      "maxEntries",
    ]],
    ["NullStore", (o) => new NullStore(o), ["defaultCollection", "seed", "clock"]],
  ];
  for (const [name, make, valid] of cases) {
    assert.throws(() => make({ maxEntrys: 5 }), (error: unknown) => {
      assert.ok(error instanceof TypeError, `${name}: ${error}`);
      assert.match(error.message, new RegExp(`${name}.*"maxEntrys"`));
      for (const option of valid) assert.ok(error.message.includes(option), `${name}: ${option}`);
      return true;
    });
    // Sanitization strategies would do nothing here: refused rather than ignored.
    assert.throws(() => make({ keySanitizationStrategy: {} }), TypeError, name);
    assert.throws(() => make("nope"), TypeError, name);
    make({ defaultCollection: "d", seed: {}, clock: { now: () => 0 } });
  }
});
