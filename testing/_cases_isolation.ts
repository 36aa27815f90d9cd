// Conformance cases: no live objects. A value is copied on the way in and on
// the way out, so mutating either side never changes the store.

import assert from "node:assert/strict";
import type { Value } from "../core/protocol.ts";
import type { Case } from "./_types.ts";

export const isolationCases: Case[] = [
  {
    name: "mutating a value after put() does not change the stored value",
    run: async (store) => {
      const value: Value = { a: 1, nested: { list: [1, 2] } };
      await store.put("k", value);
      value.a = 2;
      (value.nested as { list: number[] }).list.push(3);
      assert.deepStrictEqual(await store.get("k"), { a: 1, nested: { list: [1, 2] } });
    },
  },
  {
    name: "mutating a value after putMany() does not change the stored value",
    run: async (store) => {
      const value: Value = { a: [1] };
      await store.putMany(["k1", "k2"], [value, value]);
      (value.a as number[]).push(2);
      assert.deepStrictEqual(await store.getMany(["k1", "k2"]), [{ a: [1] }, { a: [1] }]);
    },
  },
  {
    name: "mutating a value returned by get() does not change the store",
    run: async (store) => {
      await store.put("k", { a: 1, nested: { b: 2 } });
      const first = (await store.get("k"))!;
      first.a = 99;
      (first.nested as Value).b = 99;
      assert.deepStrictEqual(await store.get("k"), { a: 1, nested: { b: 2 } });
      const [fromTtl] = await store.ttl("k");
      fromTtl!.a = 5;
      assert.deepStrictEqual(await store.get("k"), { a: 1, nested: { b: 2 } });
    },
  },
  {
    name: "getMany() returns independent objects, even for a repeated key",
    run: async (store) => {
      await store.put("k", { a: 1 });
      const [x, y] = await store.getMany(["k", "k"]);
      assert.notEqual(x, y);
      x!.a = 2;
      assert.deepStrictEqual(y, { a: 1 });
      assert.deepStrictEqual(await store.get("k"), { a: 1 });
    },
  },
];
