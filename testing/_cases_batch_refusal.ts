// Conformance cases: a batch is checked whole before anything is written
// (SPEC.md section 5). One refused key among good ones — empty, not a
// string, a lone surrogate, or a name the store declares it refuses
// (`refusedKeys`, `refusedCollections`: a traversal name, a name its layout
// cannot keep apart) — rejects the whole putMany/deleteMany/getMany/ttlMany,
// wherever it stands in the batch, and the store is exactly as before, also
// once the work the call may have started had time to land.

import assert from "node:assert/strict";
import {
  canDestroyCollection,
  canEnumerateCollections,
  canEnumerateKeys,
  canPutIfAbsent,
} from "../core/capabilities.ts";
import { InvalidKeyError } from "../core/errors.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import {
  type Case,
  type CaseContext,
  type ErrorClass,
  isRefusal,
  type Loose,
  macrotask,
  rejectsWith,
  sleep,
  sorted,
} from "./_types.ts";

const KEEP = ["keep1", "keep2"];
const NEW = ["new1", "new2", "new3"];

interface Snapshot {
  entries: unknown;
  keys?: string[];
  collections?: string[];
}

async function snapshot(store: AsyncKeyValue): Promise<Snapshot> {
  const result: Snapshot = {
    entries: [
      await store.ttlMany([...KEEP, ...NEW]),
      await store.ttlMany([...KEEP, ...NEW], { collection: "other" }),
    ],
  };
  if (canEnumerateKeys(store)) result.keys = sorted(await store.keys());
  if (canEnumerateCollections(store)) result.collections = sorted(await store.collections());
  return result;
}

async function seed(store: AsyncKeyValue): Promise<Snapshot> {
  await store.putMany(KEEP, [{ v: 1 }, { v: 2 }]);
  await store.put("keep1", { v: 3 }, { collection: "other" });
  return await snapshot(store);
}

/** Asserts nothing changed, now and after a macrotask and a short while. */
async function assertUnchanged(store: AsyncKeyValue, before: Snapshot): Promise<void> {
  // Entries' TTLs are undefined, so the snapshot is exact.
  assert.deepStrictEqual(await snapshot(store), before);
  await macrotask();
  assert.deepStrictEqual(await snapshot(store), before, "changed after the rejection");
  await sleep(20);
  assert.deepStrictEqual(await snapshot(store), before, "changed after the rejection");
}

/** Runs every batch with `bad` first, in the middle and last, each expected to reject. */
async function batchesRefuse(
  store: AsyncKeyValue,
  bad: unknown,
  expected: ErrorClass | ((error: unknown) => boolean),
): Promise<void> {
  const b = bad as Loose;
  const label = JSON.stringify(bad) ?? String(bad);
  const placements: string[][] = [
    [b, "new1", "new2"],
    ["new1", b, "new2"],
    ["new1", "new2", "new3", b],
    ["keep1", "new1", b],
  ];
  for (const keys of placements) {
    const values = keys.map((_, i) => ({ written: i }));
    const at = `${label} at ${keys.indexOf(b)} of ${keys.length}`;
    await rejectsWith(() => store.putMany(keys, values), expected, `putMany() with ${at}`);
    await rejectsWith(() => store.putMany(keys, values, { ttl: 100 }), expected, `putMany()`);
    const deleting = keys.map((key) => (key === b ? b : key.replace("new", "keep")));
    await rejectsWith(() => store.deleteMany(deleting), expected, `deleteMany() with ${at}`);
    await rejectsWith(() => store.getMany(keys), expected, `getMany() with ${at}`);
    await rejectsWith(() => store.ttlMany(keys), expected, `ttlMany() with ${at}`);
  }
}

function keyCase(label: string, bad: unknown, expected: ErrorClass): Case {
  return {
    name: `a batch with one ${label} among good keys rejects whole and changes nothing`,
    run: async (store) => {
      const before = await seed(store);
      await batchesRefuse(store, bad, expected);
      await assertUnchanged(store, before);
    },
  };
}

export const batchRefusalCases: Case[] = [
  keyCase("empty key", "", InvalidKeyError),
  keyCase("key that is not a string", 7, TypeError),
  keyCase("key with a lone surrogate", "new\uD800", InvalidKeyError),
  {
    name: "a batch with one key the store refuses (refusedKeys) rejects whole and changes nothing",
    applies: ({ refusedKeys }) => refusedKeys.length > 0,
    run: async (store, { refusedKeys }: CaseContext) => {
      const before = await seed(store);
      for (const bad of refusedKeys) {
        await batchesRefuse(store, bad, isRefusal);
        await rejectsWith(() => store.put(bad, { v: 9 }), isRefusal, `put(${bad})`);
        await rejectsWith(() => store.get(bad), isRefusal, `get(${bad})`);
        await rejectsWith(() => store.delete(bad), isRefusal, `delete(${bad})`);
        if (canPutIfAbsent(store)) {
          await rejectsWith(() => store.putIfAbsent(bad, { v: 9 }), isRefusal, `putIfAbsent()`);
        }
      }
      await assertUnchanged(store, before);
    },
  },
  {
    name:
      "every operation in a collection the store refuses (refusedCollections) rejects and changes nothing",
    applies: ({ refusedCollections }) => refusedCollections.length > 0,
    run: async (store, { refusedCollections }: CaseContext) => {
      const before = await seed(store);
      for (const collection of refusedCollections) {
        const o = { collection };
        const what = (method: string) => `${method}() in collection ${JSON.stringify(collection)}`;
        await rejectsWith(
          () => store.putMany(NEW, NEW.map(() => ({})), o),
          isRefusal,
          what("putMany"),
        );
        await rejectsWith(() => store.put("new1", {}, o), isRefusal, what("put"));
        await rejectsWith(() => store.get("new1", o), isRefusal, what("get"));
        await rejectsWith(() => store.getMany(NEW, o), isRefusal, what("getMany"));
        await rejectsWith(() => store.ttl("new1", o), isRefusal, what("ttl"));
        await rejectsWith(() => store.ttlMany(NEW, o), isRefusal, what("ttlMany"));
        await rejectsWith(() => store.delete("new1", o), isRefusal, what("delete"));
        await rejectsWith(() => store.deleteMany(NEW, o), isRefusal, what("deleteMany"));
        if (canPutIfAbsent(store)) {
          await rejectsWith(() => store.putIfAbsent("new1", {}, o), isRefusal, what("putIfAbsent"));
        }
        if (canEnumerateKeys(store)) {
          await rejectsWith(() => store.keys(o), isRefusal, what("keys"));
        }
        if (canDestroyCollection(store)) {
          await rejectsWith(
            () => store.destroyCollection(collection),
            isRefusal,
            what("destroyCollection"),
          );
        }
      }
      await assertUnchanged(store, before);
    },
  },
];
