// Conformance cases: TTL (py-key-value's section E, plus sub-second TTLs,
// ttlMany and the TTL of putMany, which its suite misses). Time passes by
// the store's clock when it uses the suite's, else by sleeping.

import assert from "node:assert/strict";
import type { Case } from "./_types.ts";
import { expires } from "./_types.ts";

const V = { a: 1 };

function near(actual: number | undefined, expected: number, tolerance: number): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `expected a ttl near ${expected} (±${tolerance}), got ${actual}`,
  );
}

export const ttlCases: Case[] = [
  {
    name: "ttl() returns the value and the remaining seconds",
    run: async (store) => {
      await store.put("k", V, { ttl: 100 });
      const [value, ttl] = await store.ttl("k");
      assert.deepStrictEqual(value, V);
      near(ttl, 100, 2);
      assert.ok(ttl! <= 100, "remaining ttl must not exceed the ttl given");
    },
  },
  {
    name: "ttl() returns undefined as the ttl of an entry without expiry",
    run: async (store) => {
      await store.put("k", V);
      assert.deepStrictEqual(await store.ttl("k"), [V, undefined]);
      await store.put("k2", V, { ttl: null });
      assert.deepStrictEqual(await store.ttl("k2"), [V, undefined]);
    },
  },
  {
    name: "put() without ttl removes a previous ttl",
    run: async (store) => {
      await store.put("k", V, { ttl: 100 });
      await store.put("k", V);
      assert.deepStrictEqual(await store.ttl("k"), [V, undefined]);
    },
  },
  {
    name: "get() returns undefined once an entry expires",
    run: async (store, context) => {
      await store.put("k", V, { ttl: 0.5 });
      assert.deepStrictEqual(await store.get("k"), V);
      assert.ok(await expires(context, 500, async () => (await store.get("k")) === undefined));
      assert.deepStrictEqual(await store.ttl("k"), [undefined, undefined]);
      assert.deepStrictEqual(await store.getMany(["k"]), [undefined]);
    },
  },
  {
    name: "a sub-second ttl is honoured to the millisecond, not rounded to seconds",
    run: async (store, { wait }) => {
      await store.put("k", V, { ttl: 0.3 });
      const [value, ttl] = await store.ttl("k");
      assert.deepStrictEqual(value, V);
      assert.ok(ttl !== undefined && ttl > 0 && ttl <= 0.3, `ttl ${ttl} should be in (0, 0.3]`);
      await wait(450);
      assert.equal(await store.get("k"), undefined);
    },
  },
  {
    name: "ttlMany() returns each value with its own remaining ttl",
    run: async (store) => {
      await store.put("a", { n: 1 }, { ttl: 100 });
      await store.put("b", { n: 2 });
      const [a, b, c] = await store.ttlMany(["a", "b", "c"]);
      assert.deepStrictEqual(a![0], { n: 1 });
      near(a![1], 100, 2);
      assert.deepStrictEqual(b, [{ n: 2 }, undefined]);
      assert.deepStrictEqual(c, [undefined, undefined]);
    },
  },
  {
    name: "putMany() applies one ttl to the whole batch",
    run: async (store, { wait }) => {
      await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { ttl: 50 });
      const entries = await store.ttlMany(["a", "b"]);
      for (const [, ttl] of entries) near(ttl, 50, 2);
      await store.putMany(["c", "d"], [{ n: 3 }, { n: 4 }], { ttl: 0.3 });
      await wait(450);
      assert.deepStrictEqual(await store.getMany(["a", "c", "d"]), [
        { n: 1 },
        undefined,
        undefined,
      ]);
    },
  },
  {
    name: "an expired key can be written again",
    run: async (store, { wait }) => {
      await store.put("k", V, { ttl: 0.2 });
      await wait(300);
      assert.equal(await store.get("k"), undefined);
      await store.put("k", { a: 2 });
      assert.deepStrictEqual(await store.get("k"), { a: 2 });
    },
  },
  {
    name: "a fractional ttl above one second is kept, not truncated",
    run: async (store) => {
      await store.put("k", V, { ttl: 1.5 });
      const [, ttl] = await store.ttl("k");
      assert.ok(ttl !== undefined && ttl > 1 && ttl <= 1.5, `ttl ${ttl} should be in (1, 1.5]`);
    },
  },
];
