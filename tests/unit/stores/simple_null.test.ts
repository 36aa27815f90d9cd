import assert from "node:assert/strict";
import { test } from "node:test";
import { NullStore } from "../../../stores/null.ts";
import { SimpleStore, type SimpleStoreOptions } from "../../../stores/simple.ts";
import type { Clock } from "../../../core/clock.ts";
import { InvalidKeyError, InvalidTTLError, SerializationError } from "../../../core/errors.ts";
import { BAD_KEYS, BAD_TTLS, LOSSY, NOT_OBJECTS } from "../../../testing/_cases_bad_input.ts";
import { testConformance } from "../../../testing/conformance.ts";

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
