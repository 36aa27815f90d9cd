// Conformance cases: reads, writes, batches, deletes, names and concurrency
// (py-key-value's shared suite, sections A-D, F and G).

import assert from "node:assert/strict";
import type { AsyncKeyValue, Value } from "../core/protocol.ts";
import type { Case } from "./_types.ts";

/** Values that must round-trip exactly (py-key-value's SIMPLE_CASES). */
export const ROUND_TRIP_VALUES: readonly [string, Value][] = [
  ["null", { value: null }],
  ["list of nulls", { value: [null, null] }],
  ["nested null", { a: { b: null } }],
  ["key named null", { null: 1 }],
  ["string null", { value: "null" }],
  ["true", { value: true }],
  ["false", { value: false }],
  ["list of booleans", { value: [true, false] }],
  ["nested booleans", { a: { b: true, c: false } }],
  ["key named true", { true: 1 }],
  ["string true", { value: "true" }],
  ["integer", { value: 1 }],
  ["negative integer", { value: -42 }],
  ["10^18", { value: 10 ** 18 }],
  ["key named 1", { "1": 1 }],
  ["string 1", { value: "1" }],
  ["float", { value: 1.5 }],
  ["large float", { value: 1.23456789012345e10 }],
  ["key named 1.0", { "1.0": 1 }],
  ["string 1.0", { value: "1.0" }],
  ["plain string", { value: "hello" }],
  ["1 KB string", { value: "x".repeat(1024) }],
  ["unicode", { value: "Hello 世界 🌍 émojis" }],
  ["control characters", { value: "Line1\nLine2\tTabbed" }],
  ["uuid-shaped key", { "123e4567-e89b-12d3-a456-426614174000": 1 }],
  ["uuid-shaped value", { value: "123e4567-e89b-12d3-a456-426614174000" }],
  ["empty object", {}],
  ["empty string and array", { s: "", a: [] }],
  ["deep nesting", { a: { b: { c: { d: { e: [1, { f: [2, [3]] }] } } } } }],
  ["key named __proto__", JSON.parse('{"__proto__": {"x": 1}}')],
];

/** Large values (py-key-value's LARGE_DATA_CASES; the store's own size limit is tested apart). */
export const LARGE_VALUES: readonly [string, Value][] = [
  ["10,000-character string", { value: "y".repeat(10_000) }],
  ["10^18", { value: 10 ** 18 }],
  ["large float", { value: 1.7976931348623157e308 }],
  ["list of 1,000 integers", { value: Array.from({ length: 1000 }, (_, i) => i) }],
];

const V1 = { a: 1, b: "one" };
const V2 = { a: 2, b: "two" };
const V3 = { a: 3, b: "three" };

async function roundTrip(store: AsyncKeyValue, value: Value): Promise<void> {
  await store.put("round", value);
  assert.deepStrictEqual(await store.get("round"), JSON.parse(JSON.stringify(value)));
}

export const basicCases: Case[] = [
  {
    name: "get() returns undefined for a missing key",
    run: async (store) => assert.equal(await store.get("missing"), undefined),
  },
  {
    name: "ttl() returns [undefined, undefined] for a missing key",
    run: async (store) => assert.deepEqual(await store.ttl("missing"), [undefined, undefined]),
  },
  {
    name: "getMany() and ttlMany() keep the order and length of keys on misses",
    run: async (store) => {
      assert.deepEqual(await store.getMany(["a", "b", "c"]), [undefined, undefined, undefined]);
      assert.deepEqual(await store.ttlMany(["a", "b"]), [[undefined, undefined], [
        undefined,
        undefined,
      ]]);
      assert.deepEqual(await store.getMany([]), []);
      assert.deepEqual(await store.ttlMany([]), []);
    },
  },
  {
    name: "put() then get() returns an equal value",
    run: async (store) => {
      assert.equal(await store.get("k"), undefined);
      await store.put("k", V1);
      assert.deepStrictEqual(await store.get("k"), V1);
    },
  },
  ...ROUND_TRIP_VALUES.map(([label, value]): Case => ({
    name: `put() and get() round-trip a value: ${label}`,
    run: (store) => roundTrip(store, value),
  })),
  ...LARGE_VALUES.map(([label, value]): Case => ({
    name: `put() and get() round-trip a large value: ${label}`,
    run: (store) => roundTrip(store, value),
  })),
  {
    name: "put() and get() round-trip a value as large as the store accepts",
    run: async (store, { maxValueBytes }) => {
      const size = Math.max(1024, maxValueBytes - 1024);
      await roundTrip(store, { value: "z".repeat(size), tail: [1, 2, 3] });
    },
  },
  {
    name: "put() drops properties whose value is undefined, as JSON does",
    run: async (store) => {
      await store.put("k", { a: 1, gone: undefined });
      assert.deepStrictEqual(await store.get("k"), { a: 1 });
    },
  },
  {
    name: "put() overwrites a previous value",
    run: async (store) => {
      await store.put("k", V1);
      await store.put("k", V2);
      assert.deepStrictEqual(await store.get("k"), V2);
    },
  },
  {
    name: "putMany() then get() returns each value",
    run: async (store) => {
      await store.putMany(["k1", "k2"], [V1, V2]);
      assert.deepStrictEqual(await store.get("k1"), V1);
      assert.deepStrictEqual(await store.get("k2"), V2);
    },
  },
  {
    name: "putMany() then getMany() returns values in the order of keys",
    run: async (store) => {
      await store.putMany(["k1", "k2", "k3"], [V1, V2, V3]);
      assert.deepStrictEqual(await store.getMany(["k3", "k1", "k2"]), [V3, V1, V2]);
    },
  },
  {
    name: "getMany() returns undefined in place of a missing key",
    run: async (store) => {
      await store.put("k1", V1);
      await store.put("k2", V2);
      assert.deepStrictEqual(await store.getMany(["k1", "k2", "k3"]), [V1, V2, undefined]);
      assert.deepStrictEqual(await store.getMany(["k3", "k1", "k3"]), [undefined, V1, undefined]);
    },
  },
  {
    name: "putMany() with a repeated key keeps the last value",
    run: async (store) => {
      await store.putMany(["k", "k"], [V1, V2]);
      assert.deepStrictEqual(await store.get("k"), V2);
    },
  },
  {
    name: "putMany() and deleteMany() handle ten keys",
    run: async (store) => {
      const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
      const values = keys.map((_, i) => ({ i }));
      await store.putMany(keys, values);
      assert.deepStrictEqual(await store.getMany(keys), values);
      assert.equal(await store.deleteMany(keys), 10);
      assert.deepStrictEqual(await store.getMany(keys), keys.map(() => undefined));
    },
  },
  {
    name: "putMany() with empty lists writes nothing and succeeds",
    run: async (store) => {
      await store.putMany([], []);
      assert.equal(await store.deleteMany([]), 0);
    },
  },
  {
    name: "delete() removes a key and returns true, then false",
    run: async (store) => {
      await store.put("k", V1);
      assert.equal(await store.delete("k"), true);
      assert.equal(await store.get("k"), undefined);
      assert.equal(await store.delete("k"), false);
    },
  },
  {
    name: "delete() of a missing key returns false",
    run: async (store) => assert.equal(await store.delete("missing"), false),
  },
  {
    name: "deleteMany() counts only keys that existed",
    run: async (store) => {
      assert.equal(await store.deleteMany(["a", "b"]), 0);
      await store.put("a", V1);
      assert.equal(await store.deleteMany(["a", "b"]), 1);
      assert.equal(await store.deleteMany(["a", "b"]), 0);
      await store.putMany(["a", "b"], [V1, V2]);
      assert.equal(await store.deleteMany(["a", "b", "c"]), 2);
      assert.deepStrictEqual(await store.getMany(["a", "b"]), [undefined, undefined]);
    },
  },
  {
    name: "delete() after putMany() removes one key and keeps the other",
    run: async (store) => {
      await store.putMany(["a", "b"], [V1, V2]);
      assert.equal(await store.delete("a"), true);
      assert.deepStrictEqual(await store.getMany(["a", "b"]), [undefined, V2]);
    },
  },
  {
    name: "an empty collection means the default collection",
    run: async (store) => {
      await store.put("k", V1, { collection: "" });
      assert.deepStrictEqual(await store.get("k"), V1);
      assert.deepStrictEqual(await store.get("k", { collection: undefined }), V1);
      assert.deepStrictEqual(await store.get("k", {}), V1);
    },
  },
  {
    name: "collections are isolated: the same key in two collections is two entries",
    run: async (store) => {
      await store.put("k", V1, { collection: "c1" });
      await store.put("k", V2, { collection: "c2" });
      assert.equal(await store.get("k"), undefined);
      assert.deepStrictEqual(await store.get("k", { collection: "c1" }), V1);
      assert.deepStrictEqual(await store.get("k", { collection: "c2" }), V2);
      assert.equal(await store.delete("k", { collection: "c1" }), true);
      assert.deepStrictEqual(await store.get("k", { collection: "c2" }), V2);
      assert.equal(await store.deleteMany(["k"], { collection: "c1" }), 0);
    },
  },
  {
    name: "a long collection name (1,500 characters) works",
    run: async (store) => {
      const collection = "test_collection".repeat(100);
      await store.put("k", V1, { collection });
      assert.deepStrictEqual(await store.get("k", { collection }), V1);
      assert.equal(await store.delete("k", { collection }), true);
    },
  },
  {
    name: "special characters in a collection name work",
    run: async (store) => {
      const collection = "test_collection!@#$%^&*()";
      await store.put("k", V1, { collection });
      assert.deepStrictEqual(await store.get("k", { collection }), V1);
      assert.equal(await store.get("k", { collection: "test_collection" }), undefined);
    },
  },
  {
    name: "a long key (800 characters) works",
    run: async (store) => {
      const key = "test_key".repeat(100);
      await store.put(key, V1);
      assert.deepStrictEqual(await store.get(key), V1);
      assert.equal(await store.delete(key), true);
    },
  },
  {
    name: "special characters in a key work",
    run: async (store) => {
      await store.put("test_key!@#$%^&*()", V1);
      assert.deepStrictEqual(await store.get("test_key!@#$%^&*()"), V1);
      assert.equal(await store.get("test_key"), undefined);
    },
  },
  {
    name: "unicode, separators and dots in keys and collections stay distinct",
    run: async (store) => {
      const names = ["a::b", "a", "a:b", "ключ", "🔑", "a.b", "a/b", "..", "a b"];
      for (const [i, key] of names.entries()) await store.put(key, { i }, { collection: "ünï:c" });
      for (const [i, key] of names.entries()) {
        assert.deepStrictEqual(await store.get(key, { collection: "ünï:c" }), { i });
      }
      assert.equal(await store.get("b", { collection: "ünï" }), undefined);
    },
  },
  {
    name: "concurrent operations on distinct keys do not interfere",
    run: async (store) => {
      const worker = async (id: number) => {
        for (let i = 0; i < 5; i++) {
          const key = `w${id}_k${i}`;
          assert.equal(await store.get(key), undefined);
          await store.put(key, { id, i });
          assert.deepStrictEqual(await store.get(key), { id, i });
          await store.put(key, { id, i, v: 2 });
          assert.deepStrictEqual(await store.get(key), { id, i, v: 2 });
          assert.equal(await store.delete(key), true);
          assert.equal(await store.get(key), undefined);
        }
      };
      await Promise.all([worker(0), worker(1), worker(2)]);
    },
  },
  {
    name: "concurrent writes to one key leave one of the written values",
    run: async (store) => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.put("hot", { i })));
      const value = await store.get("hot");
      assert.ok(value !== undefined && typeof value.i === "number" && value.i >= 0 && value.i < 20);
    },
  },
  {
    name: "1,000 puts in a bounded store evict the oldest keys (not unbounded)",
    bounded: true,
    run: async (store, { bound }) => {
      const count = Math.max(1000, (bound ?? 0) * 2);
      for (let i = 0; i < count; i++) await store.put(`test_key_${i}`, { i });
      assert.equal(await store.get("test_key_0"), undefined);
      assert.deepStrictEqual(await store.get(`test_key_${count - 1}`), { i: count - 1 });
    },
  },
];
