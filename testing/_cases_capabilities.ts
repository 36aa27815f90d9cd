// Conformance cases: the six optional capabilities, declared capabilities
// matching the type guards, and a store that keeps working after destroy.

import assert from "node:assert/strict";
import {
  canCull,
  canDestroy,
  canDestroyCollection,
  canEnumerateCollections,
  canEnumerateKeys,
  canPutIfAbsent,
  capabilitiesOf,
} from "../core/capabilities.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { type Case, sorted } from "./_types.ts";

async function fill(store: AsyncKeyValue): Promise<void> {
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }]);
  await store.putMany(["a", "c"], [{ n: 3 }, { n: 4 }], { collection: "c1" });
  await store.put("x", { n: 5 }, { collection: "c2" });
}

export const capabilityCases: Case[] = [
  {
    name: "declares exactly the capabilities its type guards report",
    run: (store, { capabilities }) => {
      assert.deepEqual(sorted(capabilitiesOf(store)), sorted([...capabilities]));
      return Promise.resolve();
    },
  },
  {
    name: "keys() lists the live keys of one collection",
    needs: "keys",
    run: async (store, { wait }) => {
      assert.ok(canEnumerateKeys(store));
      assert.deepEqual(await store.keys(), []);
      await fill(store);
      await store.put("gone", { n: 0 }, { collection: "c1", ttl: 0.1 });
      await wait(200);
      assert.deepEqual(sorted(await store.keys()), ["a", "b"]);
      assert.deepEqual(sorted(await store.keys({ collection: "c1" })), ["a", "c"]);
      assert.deepEqual(await store.keys({ collection: "never" }), []);
      const one = await store.keys({ collection: "c1", limit: 1 });
      assert.equal(one.length, 1);
      assert.ok(["a", "c"].includes(one[0]!));
    },
  },
  {
    name: "keys() hands back the original names of special keys",
    needs: "keys",
    run: async (store) => {
      assert.ok(canEnumerateKeys(store));
      const names = ["a::b", "a*b", "[x]", "?", "ключ 🔑", "a/b", "..", "%2F"];
      const collection = "c*[?]:x";
      await store.putMany(names, names.map((_, i) => ({ i })), { collection });
      assert.deepEqual(sorted(await store.keys({ collection })), sorted(names));
      assert.deepEqual(await store.keys({ collection: "c" }), []);
    },
  },
  {
    name: "keys() rejects a limit that is not a positive integer with RangeError",
    needs: "keys",
    run: async (store) => {
      assert.ok(canEnumerateKeys(store));
      await assert.rejects(store.keys({ limit: 0 }), RangeError);
      await assert.rejects(store.keys({ limit: 1.5 }), RangeError);
    },
  },
  {
    name: "collections() lists the collections that hold entries",
    needs: "collections",
    run: async (store) => {
      assert.ok(canEnumerateCollections(store));
      await fill(store);
      await store.put("k", { n: 1 }, { collection: "odd:name*" });
      const names = await store.collections();
      for (const name of ["default_collection", "c1", "c2", "odd:name*"]) {
        assert.ok(names.includes(name), `${name} missing from ${JSON.stringify(names)}`);
      }
      assert.equal((await store.collections({ limit: 2 })).length, 2);
    },
  },
  {
    name: "destroyCollection() deletes one collection and nothing else",
    needs: "destroyCollection",
    run: async (store) => {
      assert.ok(canDestroyCollection(store));
      await fill(store);
      assert.equal(await store.destroyCollection("c1"), true);
      assert.deepEqual(await store.getMany(["a", "c"], { collection: "c1" }), [
        undefined,
        undefined,
      ]);
      assert.deepEqual(await store.getMany(["a", "b"]), [{ n: 1 }, { n: 2 }]);
      assert.deepEqual(await store.get("x", { collection: "c2" }), { n: 5 });
      assert.equal(await store.destroyCollection("never_used"), false);
    },
  },
  {
    name: "a store keeps working after destroyCollection()",
    needs: "destroyCollection",
    run: async (store) => {
      assert.ok(canDestroyCollection(store));
      await fill(store);
      await store.destroyCollection("c1");
      await store.put("a", { n: 9 }, { collection: "c1" });
      assert.deepEqual(await store.get("a", { collection: "c1" }), { n: 9 });
      assert.deepEqual(await store.getMany(["a", "c"], { collection: "c1" }), [
        { n: 9 },
        undefined,
      ]);
      assert.equal(await store.destroyCollection("c1"), true);
      assert.equal(await store.get("a", { collection: "c1" }), undefined);
    },
  },
  {
    name: "destroy() deletes every entry of every collection",
    needs: "destroy",
    run: async (store) => {
      assert.ok(canDestroy(store));
      await fill(store);
      assert.equal(await store.destroy(), true);
      assert.deepEqual(await store.getMany(["a", "b"]), [undefined, undefined]);
      assert.deepEqual(await store.getMany(["a", "c"], { collection: "c1" }), [
        undefined,
        undefined,
      ]);
      assert.equal(await store.get("x", { collection: "c2" }), undefined);
    },
  },
  {
    name: "a store keeps working after destroy()",
    needs: "destroy",
    run: async (store) => {
      assert.ok(canDestroy(store));
      await fill(store);
      await store.destroy();
      await store.put("a", { n: 7 }, { collection: "c1", ttl: 100 });
      await store.put("b", { n: 8 });
      assert.deepEqual(await store.get("a", { collection: "c1" }), { n: 7 });
      assert.deepEqual(await store.get("b"), { n: 8 });
      assert.equal(await store.delete("b"), true);
    },
  },
  {
    name: "cull() removes expired entries and keeps live ones",
    needs: "cull",
    run: async (store, { wait }) => {
      assert.ok(canCull(store));
      await store.put("short", { n: 1 }, { ttl: 0.1 });
      await store.put("short", { n: 1 }, { ttl: 0.1, collection: "c1" });
      await store.put("long", { n: 2 }, { ttl: 100 });
      await store.put("forever", { n: 3 });
      await wait(200);
      const removed = await store.cull();
      assert.ok(Number.isInteger(removed) && removed >= 0, `cull() returned ${removed}`);
      assert.equal(await store.get("short"), undefined);
      assert.deepEqual(await store.getMany(["long", "forever"]), [{ n: 2 }, { n: 3 }]);
      assert.equal(await store.cull(), 0);
    },
  },
  {
    name: "putIfAbsent() stores only when the key is absent",
    needs: "putIfAbsent",
    run: async (store) => {
      assert.ok(canPutIfAbsent(store));
      assert.equal(await store.putIfAbsent("k", { n: 1 }), true);
      assert.equal(await store.putIfAbsent("k", { n: 2 }), false);
      assert.deepEqual(await store.get("k"), { n: 1 });
      assert.equal(await store.putIfAbsent("k", { n: 3 }, { collection: "c1" }), true);
      await store.delete("k");
      assert.equal(await store.putIfAbsent("k", { n: 4 }, { ttl: 100 }), true);
      const [value, ttl] = await store.ttl("k");
      assert.deepEqual(value, { n: 4 });
      assert.ok(ttl !== undefined && ttl > 98 && ttl <= 100);
    },
  },
  {
    name: "putIfAbsent() treats an expired entry as absent",
    needs: "putIfAbsent",
    run: async (store, { wait }) => {
      assert.ok(canPutIfAbsent(store));
      await store.put("k", { n: 1 }, { ttl: 0.1 });
      await wait(200);
      assert.equal(await store.putIfAbsent("k", { n: 2 }), true);
      assert.deepEqual(await store.get("k"), { n: 2 });
    },
  },
  {
    name: "putIfAbsent() lets exactly one of many concurrent callers win",
    needs: "putIfAbsent",
    run: async (store) => {
      assert.ok(canPutIfAbsent(store));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.putIfAbsent("lease", { i })),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.deepEqual(await store.get("lease"), { i: winner });
    },
  },
  {
    name: "putIfAbsent() validates its input like put()",
    needs: "putIfAbsent",
    run: async (store) => {
      assert.ok(canPutIfAbsent(store));
      await assert.rejects(store.putIfAbsent("", { n: 1 }));
      await assert.rejects(store.putIfAbsent("k", { d: new Date() }));
      await assert.rejects(store.putIfAbsent("k", { n: 1 }, { ttl: 0 }));
      assert.equal(await store.get("k"), undefined);
    },
  },
];
