// Conformance cases: the TTL deadline by the store's clock (SPEC.md section
// 4: `expires_at <= now` is expired). Only for stores that use the suite's
// clock: the clock is frozen, the entry is put with a TTL of seconds (so a
// native expiry counted in real time cannot strike first), and the clock is
// moved to exactly the deadline, or to one millisecond before it.

import assert from "node:assert/strict";
import { canCull, canEnumerateKeys, canPutIfAbsent } from "../core/capabilities.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import type { ManualClock } from "./_clock.ts";
import { type Case, sorted } from "./_types.ts";

const TTL = 10;
const V = { n: 1 };
const LIVE = { n: 2 };

/** Freezes the clock, writes `k` (single put), `m1`/`m2` (putMany) with TTL and `live` without. */
async function fill(store: AsyncKeyValue, clock: ManualClock): Promise<void> {
  clock.freeze();
  await store.put("k", V, { ttl: TTL });
  await store.putMany(["m1", "m2"], [V, V], { ttl: TTL });
  await store.put("live", LIVE);
  await store.put("k", V, { ttl: TTL, collection: "c1" });
}

function near(actual: number | undefined, expected: number): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) < 0.0005,
    `expected a ttl of ${expected} s, got ${actual}`,
  );
}

export const deadlineCases: Case[] = [
  {
    name: "an entry exactly at its deadline is a miss for get, getMany, ttl and ttlMany",
    clocked: true,
    run: async (store, { clock }) => {
      await fill(store, clock!);
      clock!.advance(TTL * 1000);
      assert.equal(await store.get("k"), undefined);
      assert.equal(await store.get("k", { collection: "c1" }), undefined);
      assert.deepEqual(await store.ttl("k"), [undefined, undefined]);
      assert.deepEqual(await store.getMany(["k", "m1", "live", "m2"]), [
        undefined,
        undefined,
        LIVE,
        undefined,
      ]);
      assert.deepEqual(await store.ttlMany(["m1", "live", "k"]), [
        [undefined, undefined],
        [LIVE, undefined],
        [undefined, undefined],
      ]);
    },
  },
  {
    name: "one millisecond before its deadline an entry is live, with a ttl of 0.001 s",
    clocked: true,
    run: async (store, { clock }) => {
      await fill(store, clock!);
      clock!.advance(TTL * 1000 - 1);
      assert.deepEqual(await store.get("k"), V);
      const [value, ttl] = await store.ttl("k");
      assert.deepEqual(value, V);
      near(ttl, 0.001);
      assert.deepEqual(await store.getMany(["m1", "m2"]), [V, V]);
      const entries = await store.ttlMany(["m1", "k"]);
      for (const [v, t] of entries) {
        assert.deepEqual(v, V);
        near(t, 0.001);
      }
      if (canEnumerateKeys(store)) {
        assert.deepEqual(sorted(await store.keys()), ["k", "live", "m1", "m2"]);
      }
      assert.equal(await store.delete("k"), true);
      assert.equal(await store.deleteMany(["m1", "m2", "missing"]), 2);
    },
  },
  {
    name:
      "delete() of an entry exactly at its deadline returns false, and deleteMany() does not count it",
    clocked: true,
    run: async (store, { clock }) => {
      await fill(store, clock!);
      clock!.advance(TTL * 1000);
      assert.equal(await store.delete("k"), false);
      assert.equal(await store.delete("k", { collection: "c1" }), false);
      assert.equal(await store.deleteMany(["m1", "live", "m2", "missing"]), 1);
      assert.equal(await store.get("live"), undefined);
    },
  },
  {
    name: "keys() leaves out an entry exactly at its deadline",
    needs: "keys",
    clocked: true,
    run: async (store, { clock }) => {
      assert.ok(canEnumerateKeys(store));
      await fill(store, clock!);
      clock!.advance(TTL * 1000);
      assert.deepEqual(await store.keys(), ["live"]);
      assert.deepEqual(await store.keys({ collection: "c1" }), []);
    },
  },
  {
    name: "putIfAbsent() writes over an entry exactly at its deadline",
    needs: "putIfAbsent",
    clocked: true,
    run: async (store, { clock }) => {
      assert.ok(canPutIfAbsent(store));
      await fill(store, clock!);
      clock!.advance(TTL * 1000 - 1);
      assert.equal(await store.putIfAbsent("k", { n: 3 }), false);
      clock!.advance(1);
      assert.equal(await store.putIfAbsent("k", { n: 3 }), true);
      assert.deepEqual(await store.ttl("k"), [{ n: 3 }, undefined]);
      assert.equal(await store.putIfAbsent("m1", { n: 4 }, { ttl: TTL }), true);
      const [value, ttl] = await store.ttl("m1");
      assert.deepEqual(value, { n: 4 });
      near(ttl, TTL);
    },
  },
  {
    name: "cull() at the deadline removes the expired entries and keeps the live ones",
    needs: "cull",
    clocked: true,
    run: async (store, { clock }) => {
      assert.ok(canCull(store));
      await fill(store, clock!);
      clock!.advance(TTL * 1000 - 1);
      await store.cull();
      assert.deepEqual(await store.getMany(["k", "m1", "m2", "live"]), [V, V, V, LIVE]);
      clock!.advance(1);
      const removed = await store.cull();
      assert.ok(Number.isInteger(removed) && removed >= 0, `cull() returned ${removed}`);
      assert.deepEqual(await store.getMany(["k", "m1", "m2", "live"]), [
        undefined,
        undefined,
        undefined,
        LIVE,
      ]);
      assert.equal(await store.get("k", { collection: "c1" }), undefined);
    },
  },
  {
    name:
      "a fractional ttl counts to the millisecond by the clock: 1.25 s is live at 1249 ms, expired at 1250 ms",
    clocked: true,
    run: async (store, { clock }) => {
      clock!.freeze();
      await store.put("k", V, { ttl: 1.25 });
      await store.putMany(["a", "b"], [V, V], { ttl: 1.25 });
      near((await store.ttl("k"))[1], 1.25);
      clock!.advance(1249);
      assert.deepEqual(await store.getMany(["k", "a", "b"]), [V, V, V]);
      near((await store.ttl("a"))[1], 0.001);
      clock!.advance(1);
      assert.deepEqual(await store.getMany(["k", "a", "b"]), [undefined, undefined, undefined]);
      assert.deepEqual(await store.ttl("k"), [undefined, undefined]);
    },
  },
];
