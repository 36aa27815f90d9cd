// Conformance cases: the bad-input table of SPEC.md section 5. Every rejected
// call must reject (never throw synchronously), with the right error class,
// and leave the store exactly as it was.

import assert from "node:assert/strict";
import {
  InvalidKeyError,
  InvalidTTLError,
  KeyValueError,
  SerializationError,
} from "../core/errors.ts";
import type { AsyncKeyValue, Value } from "../core/protocol.ts";
import type { Case } from "./_types.ts";

class Point {
  x = 1;
}

type ErrorClass = new (...args: never[]) => Error;

function cycle(): Value {
  const value: Value = { a: 1 };
  value.self = value;
  return value;
}

/** Values that are not plain objects: TypeError. */
export const NOT_OBJECTS: [string, () => unknown][] = [
  ["null", () => null],
  ["undefined", () => undefined],
  ["an array", () => [1, 2]],
  ["a Map", () => new Map([["a", 1]])],
  ["a class instance", () => new Point()],
  ["a Date", () => new Date()],
  ["a string", () => "text"],
  ["a number", () => 42],
  ["a boolean", () => true],
];

/** Values JSON cannot carry without loss: SerializationError. */
export const LOSSY: [string, () => unknown][] = [
  ["a Date", () => ({ when: new Date(0) })],
  ["a BigInt", () => ({ n: 1n })],
  ["a Map", () => ({ m: new Map([["a", 1]]) })],
  ["a Set", () => ({ s: new Set([1]) })],
  ["a function", () => ({ f: () => 1 })],
  ["a symbol", () => ({ s: Symbol("s") })],
  ["a symbol key", () => ({ [Symbol("s")]: 1 })],
  ["NaN", () => ({ n: NaN })],
  ["Infinity", () => ({ n: Infinity })],
  ["-Infinity", () => ({ n: -Infinity })],
  ["-0", () => ({ n: -0 })],
  ["undefined in an array", () => ({ a: [1, undefined] })],
  ["a hole in an array", () => ({ a: [1, , 3] })],
  ["a nested class instance", () => ({ p: new Point() })],
  ["a RegExp", () => ({ r: /x/ })],
  ["a Uint8Array", () => ({ b: new Uint8Array([1]) })],
  ["a cycle", cycle],
  ["a deep cycle", () => {
    const inner: Value = {};
    const value = { a: { b: [inner] } };
    inner.back = value;
    return value;
  }],
];

export const BAD_TTLS: [string, unknown][] = [
  ["0", 0],
  ["-0", -0],
  ["-1", -1],
  ["-100", -100],
  ["NaN", NaN],
  ["Infinity", Infinity],
  ["-Infinity", -Infinity],
  ["a numeric string", "10"],
  ["true", true],
  ["false", false],
  ["an object", {}],
  ["an array", [10]],
  ["a bigint", 10n],
  ["a ttl past the largest date", 1e300],
  ["Number.MAX_VALUE", Number.MAX_VALUE],
  ["1e13 seconds (past year 9999)", 1e13],
];

export const BAD_KEYS: [string, unknown][] = [
  ["a number", 1],
  ["undefined", undefined],
  ["null", null],
  ["an object", {}],
  ["an array", ["k"]],
];

// deno-lint-ignore no-explicit-any
type Loose = any;

async function seed(store: AsyncKeyValue): Promise<void> {
  await store.put("keep", { v: 1 });
  await store.put("keep", { v: 2 }, { collection: "other" });
}

async function assertUnchanged(store: AsyncKeyValue, extraKeys: string[] = []): Promise<void> {
  assert.deepStrictEqual(await store.get("keep"), { v: 1 });
  assert.deepStrictEqual(await store.get("keep", { collection: "other" }), { v: 2 });
  for (const key of extraKeys) assert.equal(await store.get(key), undefined, `${key} was written`);
}

async function rejectsWith(call: () => Promise<unknown>, type: ErrorClass): Promise<void> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    assert.fail(`threw synchronously instead of rejecting: ${error}`);
  }
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return true;
  });
}

export const badInputCases: Case[] = [
  ...NOT_OBJECTS.map(([label, make]): Case => ({
    name: `put() rejects a value that is ${label} with TypeError and writes nothing`,
    run: async (store) => {
      await seed(store);
      await rejectsWith(() => store.put("bad", make() as Loose), TypeError);
      await rejectsWith(() => store.putMany(["bad"], [make() as Loose]), TypeError);
      await assertUnchanged(store, ["bad"]);
    },
  })),
  ...LOSSY.map(([label, make]): Case => ({
    name: `put() rejects a value containing ${label} with SerializationError`,
    run: async (store) => {
      await seed(store);
      await rejectsWith(() => store.put("keep", make() as Loose), SerializationError);
      await rejectsWith(() => store.put("bad", make() as Loose, { ttl: 10 }), SerializationError);
      await rejectsWith(
        () => store.putMany(["ok1", "bad", "ok2"], [{ ok: 1 }, make() as Loose, { ok: 2 }]),
        SerializationError,
      );
      await assertUnchanged(store, ["bad", "ok1", "ok2"]);
    },
  })),
  ...BAD_TTLS.map(([label, ttl]): Case => ({
    name: `put() rejects a ttl of ${label} with InvalidTTLError`,
    run: async (store) => {
      await seed(store);
      await rejectsWith(() => store.put("keep", { v: 9 }, { ttl: ttl as Loose }), InvalidTTLError);
      await rejectsWith(() => store.put("bad", { v: 9 }, { ttl: ttl as Loose }), InvalidTTLError);
      await rejectsWith(
        () => store.putMany(["bad", "keep"], [{ v: 9 }, { v: 9 }], { ttl: ttl as Loose }),
        InvalidTTLError,
      );
      await assertUnchanged(store, ["bad"]);
    },
  })),
  ...BAD_KEYS.map(([label, key]): Case => ({
    name: `every operation rejects a key that is ${label} with TypeError`,
    run: async (store) => {
      await seed(store);
      const k = key as Loose;
      await rejectsWith(() => store.get(k), TypeError);
      await rejectsWith(() => store.ttl(k), TypeError);
      await rejectsWith(() => store.put(k, { v: 9 }), TypeError);
      await rejectsWith(() => store.delete(k), TypeError);
      await rejectsWith(() => store.getMany(["keep", k]), TypeError);
      await rejectsWith(() => store.ttlMany([k]), TypeError);
      await rejectsWith(() => store.putMany(["fine", k], [{ v: 9 }, { v: 9 }]), TypeError);
      await rejectsWith(() => store.deleteMany(["keep", k]), TypeError);
      await assertUnchanged(store, ["fine"]);
    },
  })),
  {
    name: "every operation rejects an empty key with InvalidKeyError",
    run: async (store) => {
      await seed(store);
      await rejectsWith(() => store.get(""), InvalidKeyError);
      await rejectsWith(() => store.ttl(""), InvalidKeyError);
      await rejectsWith(() => store.put("", { v: 9 }), InvalidKeyError);
      await rejectsWith(() => store.delete(""), InvalidKeyError);
      await rejectsWith(() => store.getMany(["keep", ""]), InvalidKeyError);
      await rejectsWith(() => store.ttlMany([""]), InvalidKeyError);
      await rejectsWith(() => store.putMany(["fine", ""], [{ v: 9 }, { v: 9 }]), InvalidKeyError);
      await rejectsWith(() => store.deleteMany(["keep", ""]), InvalidKeyError);
      await assertUnchanged(store, ["fine"]);
    },
  },
  {
    name: "InvalidKeyError and SerializationError are KeyValueErrors with a message",
    run: async (store) => {
      await assert.rejects(store.put("", { v: 1 }), (error: unknown) => {
        assert.ok(error instanceof KeyValueError);
        assert.ok(error.message.length > 0);
        return true;
      });
    },
  },
  {
    name: "putMany() rejects keys and values of different lengths with RangeError",
    run: async (store) => {
      await seed(store);
      await rejectsWith(() => store.putMany(["a", "b"], [{ v: 1 }]), RangeError);
      await rejectsWith(() => store.putMany(["a"], [{ v: 1 }, { v: 2 }]), RangeError);
      await assertUnchanged(store, ["a", "b"]);
    },
  },
  {
    name: "batch operations reject keys that are not an array with TypeError",
    run: async (store) => {
      await seed(store);
      await rejectsWith(() => store.getMany("keep" as Loose), TypeError);
      await rejectsWith(() => store.ttlMany(undefined as Loose), TypeError);
      await rejectsWith(() => store.putMany("ab" as Loose, [{ v: 1 }, { v: 2 }]), TypeError);
      await rejectsWith(() => store.putMany(["a"], { v: 1 } as Loose), TypeError);
      await rejectsWith(() => store.deleteMany("keep" as Loose), TypeError);
      await assertUnchanged(store, ["a"]);
    },
  },
  {
    name: "a collection that is not a string, or options that are not an object, are TypeErrors",
    run: async (store) => {
      await seed(store);
      await rejectsWith(() => store.get("keep", { collection: 5 as Loose }), TypeError);
      await rejectsWith(() => store.put("keep", { v: 9 }, { collection: {} as Loose }), TypeError);
      await rejectsWith(() => store.get("keep", "other" as Loose), TypeError);
      await rejectsWith(() => store.delete("keep", "other" as Loose), TypeError);
      await assertUnchanged(store);
    },
  },
];
