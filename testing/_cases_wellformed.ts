// Conformance cases: names must be well-formed UTF-16 (SPEC.md section 5).
// A key or collection holding a lone surrogate is an InvalidKeyError on
// every method, and changes nothing: the store is seeded with the names a
// backend would make of them (the surrogate replaced by U+FFFD), so a store
// that lets one through and has it collapse is caught overwriting, deleting
// or returning the seeded entry. Astral characters (proper surrogate pairs)
// round-trip exactly, also in long names that a strategy cuts or hashes.

import assert from "node:assert/strict";
import {
  canDestroyCollection,
  canEnumerateCollections,
  canEnumerateKeys,
  canPutIfAbsent,
} from "../core/capabilities.ts";
import { InvalidKeyError } from "../core/errors.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { type Case, rejectsWith, sorted } from "./_types.ts";

/** Names with a lone high or low surrogate at the start, middle and end, and a reversed pair. */
export const LONE_SURROGATES: readonly string[] = [
  "\uD800abc",
  "ab\uD800c",
  "abc\uD83D",
  "\uDC00abc",
  "ab\uDFFFc",
  "abc\uDC00",
  "\uDE00\uD83D",
  "\uD800",
];

const replaced = (name: string) => name.replace(/[\uD800-\uDFFF]/g, "\uFFFD");
/** What a backend that replaces lone surrogates would make of them. */
const COLLAPSED = [...new Set(LONE_SURROGATES.map(replaced))];

async function seed(store: AsyncKeyValue): Promise<void> {
  for (const [i, name] of COLLAPSED.entries()) {
    await store.put(name, { seeded: i });
    await store.put("k", { seeded: i }, { collection: name });
  }
}

async function assertSeeded(store: AsyncKeyValue): Promise<void> {
  const names = COLLAPSED;
  assert.deepStrictEqual(await store.getMany(names), names.map((_, i) => ({ seeded: i })));
  for (const [i, name] of names.entries()) {
    assert.deepStrictEqual(await store.get("k", { collection: name }), { seeded: i });
  }
  if (canEnumerateKeys(store)) {
    assert.deepStrictEqual(sorted(await store.keys()), sorted(names));
  }
  if (canEnumerateCollections(store)) {
    const listed = await store.collections();
    for (const name of names) assert.ok(listed.includes(name), `${name} missing`);
    assert.ok(!listed.some((name) => !name.isWellFormed()), "a lone surrogate was listed");
  }
}

/** Every call that takes a key, with `key` in it. */
function keyCalls(store: AsyncKeyValue, key: string): [string, () => Promise<unknown>][] {
  const calls: [string, () => Promise<unknown>][] = [
    ["get", () => store.get(key)],
    ["getMany", () => store.getMany(["ok", key])],
    ["ttl", () => store.ttl(key)],
    ["ttlMany", () => store.ttlMany([key, "ok"])],
    ["put", () => store.put(key, { bad: 1 })],
    ["putMany", () => store.putMany(["ok", key], [{ bad: 1 }, { bad: 2 }])],
    ["delete", () => store.delete(key)],
    ["deleteMany", () => store.deleteMany([replaced(key), key])],
  ];
  if (canPutIfAbsent(store)) calls.push(["putIfAbsent", () => store.putIfAbsent(key, { bad: 1 })]);
  return calls;
}

/** Every call that takes a collection, with `collection` as it. */
function collectionCalls(
  store: AsyncKeyValue,
  collection: string,
): [string, () => Promise<unknown>][] {
  const o = { collection };
  const calls: [string, () => Promise<unknown>][] = [
    ["get", () => store.get("k", o)],
    ["getMany", () => store.getMany(["k"], o)],
    ["ttl", () => store.ttl("k", o)],
    ["ttlMany", () => store.ttlMany(["k"], o)],
    ["put", () => store.put("k", { bad: 1 }, o)],
    ["putMany", () => store.putMany(["k", "ok"], [{ bad: 1 }, { bad: 2 }], o)],
    ["delete", () => store.delete("k", o)],
    ["deleteMany", () => store.deleteMany(["k"], o)],
  ];
  if (canPutIfAbsent(store)) {
    calls.push(["putIfAbsent", () => store.putIfAbsent("k", { bad: 1 }, o)]);
  }
  if (canEnumerateKeys(store)) calls.push(["keys", () => store.keys(o)]);
  if (canDestroyCollection(store)) {
    calls.push(["destroyCollection", () => store.destroyCollection(collection)]);
  }
  return calls;
}

const ASTRAL_KEYS = ["🔑", "k😀", "😀".repeat(150), "😀".repeat(149) + "😁", "a𝄞b"];
const ASTRAL_COLLECTIONS = ["📦💾", "😀".repeat(120), "😀".repeat(119) + "😁"];

export const wellFormedCases: Case[] = [
  {
    name:
      "every operation refuses a key with a lone surrogate with InvalidKeyError and changes nothing",
    run: async (store) => {
      await seed(store);
      for (const key of LONE_SURROGATES) {
        for (const [method, call] of keyCalls(store, key)) {
          await rejectsWith(call, InvalidKeyError, `${method}(${JSON.stringify(key)})`);
        }
      }
      assert.equal(await store.get("ok"), undefined);
      await assertSeeded(store);
    },
  },
  {
    name:
      "every operation refuses a collection with a lone surrogate with InvalidKeyError and changes nothing",
    run: async (store) => {
      await seed(store);
      for (const collection of LONE_SURROGATES) {
        for (const [method, call] of collectionCalls(store, collection)) {
          const what = `${method}() in collection ${JSON.stringify(collection)}`;
          await rejectsWith(call, InvalidKeyError, what);
        }
      }
      await assertSeeded(store);
    },
  },
  {
    name: "astral characters in keys and collections round-trip exactly, long names included",
    run: async (store) => {
      for (const collection of ASTRAL_COLLECTIONS) {
        await store.putMany(ASTRAL_KEYS, ASTRAL_KEYS.map((key) => ({ key, collection })), {
          collection,
        });
      }
      for (const collection of ASTRAL_COLLECTIONS) {
        assert.deepStrictEqual(
          await store.getMany(ASTRAL_KEYS, { collection }),
          ASTRAL_KEYS.map((key) => ({ key, collection })),
        );
        if (canEnumerateKeys(store)) {
          assert.deepStrictEqual(sorted(await store.keys({ collection })), sorted(ASTRAL_KEYS));
        }
      }
      if (canEnumerateCollections(store)) {
        assert.deepStrictEqual(sorted(await store.collections()), sorted(ASTRAL_COLLECTIONS));
      }
      if (canDestroyCollection(store)) {
        assert.equal(await store.destroyCollection(ASTRAL_COLLECTIONS[1]!), true);
        assert.deepStrictEqual(
          await store.get(ASTRAL_KEYS[2]!, { collection: ASTRAL_COLLECTIONS[2] }),
          {
            key: ASTRAL_KEYS[2],
            collection: ASTRAL_COLLECTIONS[2],
          },
        );
      }
    },
  },
];
