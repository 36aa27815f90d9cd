// Conformance case: names are injective (SPEC.md section 4). A property test
// over sets of (collection, key) pairs generated around separators and
// prefixes (testing/_names.ts): every pair the store accepts reads back its
// own value, never another's; a pair it refuses is refused with
// InvalidKeyError (or PathSecurityError) every time; keys() and
// collections() give back exactly the names written; destroyCollection()
// of one collection leaves the others intact.

import fc from "fast-check"; // the property-testing library with shrinking; dev/test only
import assert from "node:assert/strict";
import {
  canDestroyCollection,
  canEnumerateCollections,
  canEnumerateKeys,
} from "../core/capabilities.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { isPlainName, KNOWN_COLLISIONS, type NamePair, pairSetArb } from "./_names.ts";
import { type Case, describe, isRefusal, sorted } from "./_types.ts";

interface Written {
  readonly collection: string;
  readonly key: string;
  readonly value: { run: number; i: number };
}

const show = ([collection, key]: NamePair) =>
  `(${JSON.stringify(collection)}, ${JSON.stringify(key)})`;

/** Puts every pair; returns the accepted ones and checks the refused ones. */
async function write(store: AsyncKeyValue, pairs: NamePair[], run: number): Promise<Written[]> {
  const written: Written[] = [];
  for (const [i, pair] of pairs.entries()) {
    const [collection, key] = pair;
    const value = { run, i };
    try {
      await store.put(key, value, { collection });
      written.push({ collection, key, value });
      continue;
    } catch (error) {
      if (!isRefusal(error)) {
        throw new Error(`put ${show(pair)} rejected with ${describe(error)}, not a refusal`, {
          cause: error,
        });
      }
      if (isPlainName(collection) && isPlainName(key)) {
        throw new Error(`put ${show(pair)} refused a plain name: ${describe(error)}`);
      }
    }
    // Refused once, refused again; a read is a refusal or a miss, never another's value.
    const again = await store.put(key, value, { collection }).then(() => true, (error) => {
      if (!isRefusal(error)) throw error;
      return false;
    });
    assert.equal(again, false, `${show(pair)} was refused, then accepted`);
    const read = await store.get(key, { collection }).catch((error) => {
      if (isRefusal(error)) return undefined;
      throw error;
    });
    assert.equal(read, undefined, `get ${show(pair)} of a refused pair returned a value`);
  }
  return written;
}

function byCollection(written: Written[]): Map<string, Written[]> {
  const groups = new Map<string, Written[]>();
  for (const entry of written) {
    const group = groups.get(entry.collection) ?? [];
    group.push(entry);
    groups.set(entry.collection, group);
  }
  return groups;
}

async function assertReadsBack(store: AsyncKeyValue, groups: Map<string, Written[]>) {
  for (const [collection, group] of groups) {
    for (const { key, value } of group) {
      const got = await store.get(key, { collection });
      assert.deepStrictEqual(got, value, `get ${show([collection, key])} returned another value`);
    }
    const keys = group.map((entry) => entry.key);
    assert.deepStrictEqual(
      await store.getMany(keys, { collection }),
      group.map((entry) => entry.value),
      `getMany in ${JSON.stringify(collection)}`,
    );
    if (canEnumerateKeys(store)) {
      assert.deepStrictEqual(
        sorted(await store.keys({ collection })),
        sorted(keys),
        `keys() of ${JSON.stringify(collection)}`,
      );
    }
  }
}

async function assertCollections(
  store: AsyncKeyValue,
  before: readonly string[],
  groups: Map<string, Written[]>,
): Promise<void> {
  if (!canEnumerateCollections(store)) return;
  const listed = await store.collections();
  for (const name of groups.keys()) {
    assert.ok(listed.includes(name), `collections() lacks ${JSON.stringify(name)}`);
  }
  for (const name of listed) {
    assert.ok(
      before.includes(name) || groups.has(name),
      `collections() lists ${JSON.stringify(name)}, never written`,
    );
  }
}

async function cleanUp(store: AsyncKeyValue, groups: Map<string, Written[]>): Promise<void> {
  for (const [collection, group] of groups) {
    await store.deleteMany(group.map((entry) => entry.key), { collection }).catch(() => {});
  }
}

async function checkPairs(store: AsyncKeyValue, pairs: NamePair[], run: number): Promise<void> {
  const before = canEnumerateCollections(store) ? await store.collections() : [];
  let groups = new Map<string, Written[]>();
  try {
    groups = byCollection(await write(store, pairs, run));
    await assertReadsBack(store, groups);
    await assertCollections(store, before, groups);
    if (canDestroyCollection(store) && groups.size > 0) {
      const [first, ...others] = [...groups.keys()];
      assert.equal(await store.destroyCollection(first!), true, `destroyCollection(${first})`);
      for (const { key } of groups.get(first!)!) {
        assert.equal(await store.get(key, { collection: first }), undefined);
      }
      groups.delete(first!);
      await assertReadsBack(store, groups);
      assert.ok(others.length === groups.size);
    }
  } finally {
    await cleanUp(store, groups);
  }
}

export const namesCases: Case[] = [
  {
    name:
      "names are injective: pairs around separators, prefixes and case read back their own values",
    applies: ({ namesRuns }) => namesRuns > 0,
    run: async (store, { namesRuns }) => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(pairSetArb, (pairs) => checkPairs(store, pairs, run++)),
        { numRuns: namesRuns, examples: KNOWN_COLLISIONS.map((pairs) => [pairs]) },
      );
    },
  },
];
