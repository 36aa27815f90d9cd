import assert from "node:assert/strict";
import { test } from "node:test";
import { EntryTooLargeError, EntryTooSmallError } from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { LimitSizeWrapper } from "../../../wrappers/limit_size.ts";
import { ALL, RUNS, testWrapper } from "./_helpers.ts";

testWrapper("LimitSizeWrapper", {
  wrap: (inner) => new LimitSizeWrapper(inner(), { maxSize: 2 * 1024 * 1024 }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) =>
    new LimitSizeWrapper(inner(), { maxSize: 2 * 1024 * 1024, ...extra }),
});

const size = (value: object) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

test("LimitSizeWrapper stores a value within the limits", async () => {
  const store = new LimitSizeWrapper(new MemoryStore(), { minSize: 5, maxSize: 100 });
  await store.put("k", { text: "hello" });
  assert.deepEqual(await store.get("k"), { text: "hello" });
});

test("LimitSizeWrapper.put() rejects a too-large value with its size and limit", async () => {
  const store = new LimitSizeWrapper(new MemoryStore(), { maxSize: 50 });
  const value = { text: "x".repeat(100) };
  await assert.rejects(store.put("k", value, { collection: "c" }), (error: unknown) => {
    assert.ok(error instanceof EntryTooLargeError);
    assert.deepEqual(error.extraInfo, {
      size: size(value),
      maxSize: 50,
      collection: "c",
      key: "k",
    });
    return true;
  });
  assert.equal(await store.get("k", { collection: "c" }), undefined);
});

test("LimitSizeWrapper drops a too-large value when not raising", async () => {
  const store = new LimitSizeWrapper(new MemoryStore(), { maxSize: 50, raiseOnTooLarge: false });
  await store.put("k", { text: "x".repeat(100) });
  assert.equal(await store.get("k"), undefined);
  assert.equal(await store.putIfAbsent("k", { text: "x".repeat(100) }), false);
});

test("LimitSizeWrapper drops a too-small value by default and raises when asked", async () => {
  const quiet = new LimitSizeWrapper(new MemoryStore(), { minSize: 20 });
  await quiet.put("k", { a: 1 });
  assert.equal(await quiet.get("k"), undefined);
  const loud = new LimitSizeWrapper(new MemoryStore(), { minSize: 20, raiseOnTooSmall: true });
  await assert.rejects(loud.put("k", { a: 1 }), EntryTooSmallError);
});

test("LimitSizeWrapper counts UTF-8 bytes, not characters", async () => {
  const value = { s: "é🌍" }; // 11 UTF-16 units of JSON, 14 UTF-8 bytes
  assert.equal(JSON.stringify(value).length, 11);
  assert.equal(size(value), 14);
  const store = new LimitSizeWrapper(new MemoryStore(), { maxSize: 13 });
  await assert.rejects(store.put("k", value), EntryTooLargeError);
  const exact = new LimitSizeWrapper(new MemoryStore(), { minSize: 14, maxSize: 14 });
  await exact.put("k", value);
  assert.deepEqual(await exact.get("k"), value);
});

test("LimitSizeWrapper.putMany() raises before writing anything", async () => {
  const store = new LimitSizeWrapper(new MemoryStore(), { maxSize: 30 });
  await assert.rejects(
    store.putMany(["a", "b"], [{ n: 1 }, { s: "y".repeat(50) }]),
    EntryTooLargeError,
  );
  assert.deepEqual(await store.getMany(["a", "b"]), [undefined, undefined]);
});

test("LimitSizeWrapper.putMany() writes only the items in range when dropping", async () => {
  const store = new LimitSizeWrapper(new MemoryStore(), {
    minSize: 8,
    maxSize: 30,
    raiseOnTooLarge: false,
  });
  await store.putMany(["small", "ok", "big"], [{}, { n: 12345 }, { s: "y".repeat(50) }], {
    ttl: 60,
  });
  assert.deepEqual(await store.getMany(["small", "ok", "big"]), [
    undefined,
    { n: 12345 },
    undefined,
  ]);
  await store.putMany(["big"], [{ s: "y".repeat(50) }]);
  assert.equal(await store.get("big"), undefined);
});

test("LimitSizeWrapper refuses bad limits", () => {
  assert.throws(() => new LimitSizeWrapper(new MemoryStore(), { maxSize: -1 }), RangeError);
  assert.throws(
    () => new LimitSizeWrapper(new MemoryStore(), { minSize: 10, maxSize: 5 }),
    RangeError,
  );
});

test("LimitSizeWrapper measures the value as validated, never what a toJSON answers", async () => {
  const inner = new MemoryStore();
  const store = new LimitSizeWrapper(inner, { maxSize: 100 });
  const big = { list: Object.assign(new Array(200).fill(1), { toJSON: () => 0 }) };
  await assert.rejects(store.put("k", big), EntryTooLargeError);
  const hidden = { text: "x".repeat(200) };
  Object.defineProperty(hidden, "toJSON", { value: () => ({}) });
  await assert.rejects(store.put("k", hidden), EntryTooLargeError);
  assert.deepEqual(await inner.keys(), []);
});
