// Conformance cases: deleting an expired entry (SPEC.md section 4). An entry
// past its TTL is gone for every operation: delete() resolves false and
// deleteMany() does not count it, even while the backend still holds it
// (a store that filters expiry on read, or whose native expiry is lazy).
// Time passes by the store's clock when it uses the suite's, else by
// sleeping.

import assert from "node:assert/strict";
import { canEnumerateKeys } from "../core/capabilities.ts";
import type { Case } from "./_types.ts";

const V = { n: 1 };

export const expiredDeleteCases: Case[] = [
  {
    name: "delete() of an expired entry returns false",
    run: async (store, { wait }) => {
      await store.put("k", V, { ttl: 0.2 });
      await store.put("k", V, { ttl: 0.2, collection: "c1" });
      await wait(300);
      assert.equal(await store.delete("k"), false);
      assert.equal(await store.delete("k", { collection: "c1" }), false);
      assert.equal(await store.get("k"), undefined);
      assert.equal(await store.delete("k"), false);
    },
  },
  {
    name: "deleteMany() does not count expired entries",
    run: async (store, { wait }) => {
      await store.putMany(["a", "b"], [V, V], { ttl: 0.2 });
      await store.put("c", V, { ttl: 0.2 });
      await store.put("live", V);
      await wait(300);
      assert.equal(await store.deleteMany(["a", "live", "b", "c", "missing"]), 1);
      assert.deepEqual(await store.getMany(["a", "live", "b", "c"]), [
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      assert.equal(await store.deleteMany(["a", "b", "c", "live"]), 0);
    },
  },
  {
    name: "an expired entry deleted and written again is a new, live entry",
    run: async (store, { wait }) => {
      await store.put("k", V, { ttl: 0.2 });
      await wait(300);
      assert.equal(await store.delete("k"), false);
      await store.put("k", { n: 2 });
      assert.deepEqual(await store.get("k"), { n: 2 });
      if (canEnumerateKeys(store)) assert.deepEqual(await store.keys(), ["k"]);
      assert.equal(await store.delete("k"), true);
      assert.equal(await store.deleteMany(["k"]), 0);
    },
  },
];
