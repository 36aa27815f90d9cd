import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidKeyError } from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import {
  SingleCollectionWrapper,
  type SingleCollectionWrapperOptions,
} from "../../../wrappers/single_collection.ts";

test("SingleCollectionWrapper refuses collection a_: (a_, k) and (a, _k) would be one entry", async () => {
  const inner = new MemoryStore();
  const store = new SingleCollectionWrapper(inner, { collection: "one" });
  await store.put("_k", { n: 1 }, { collection: "a" });
  await assert.rejects(store.put("k", { n: 2 }, { collection: "a_" }), {
    name: "InvalidKeyError",
    message: /collection "a_".*separator "__"/,
  });
  await assert.rejects(store.get("k", { collection: "a_" }), InvalidKeyError);
  assert.deepEqual(await inner.keys({ collection: "one" }), ["a___k"]);
  assert.deepEqual(await store.get("_k", { collection: "a" }), { n: 1 });
});

test("SingleCollectionWrapper refuses cache_, so no collection is reported under another name", async () => {
  const store = new SingleCollectionWrapper(new MemoryStore(), { collection: "one" });
  await assert.rejects(store.put("k", { n: 1 }, { collection: "cache_" }), InvalidKeyError);
  await assert.rejects(store.keys({ collection: "cache_" }), InvalidKeyError);
  await assert.rejects(store.destroyCollection("cache_"), InvalidKeyError);
  assert.deepEqual(await store.collections(), []);
});

test("SingleCollectionWrapper lists and destroys a collection named _", async () => {
  const inner = new MemoryStore();
  const store = new SingleCollectionWrapper(inner, { collection: "one" });
  await store.put("k", { n: 1 }, { collection: "_" });
  await store.put("__k", { n: 2 }, { collection: "_" });
  await store.put("k", { n: 3 }, { collection: "__x" });
  assert.deepEqual((await store.collections()).sort(), ["_", "__x"]);
  assert.deepEqual((await store.keys({ collection: "_" })).sort(), ["__k", "k"]);
  assert.deepEqual(await store.keys({ collection: "__x" }), ["k"]);
  assert.equal(await store.destroy(), true);
  assert.deepEqual(await inner.keys({ collection: "one" }), []);
});

test("SingleCollectionWrapper.destroyCollection() of one collection never touches another's keys", async () => {
  const inner = new MemoryStore();
  const store = new SingleCollectionWrapper(inner, { collection: "one" });
  const names = ["a", "_a", "ap", "app", "App", "_", "__a", "é😀", "x".repeat(250)];
  const keys = ["k", "_k", "__k", "a__k", "___"];
  for (const collection of names) {
    await store.putMany(keys, keys.map((key) => ({ collection, key })), { collection });
  }
  assert.deepEqual((await store.collections()).sort(), [...names].sort());
  for (const [i, collection] of names.entries()) {
    assert.equal(await store.destroyCollection(collection), true);
    assert.deepEqual(await store.keys({ collection }), []);
    for (const other of names.slice(i + 1)) {
      assert.deepEqual((await store.keys({ collection: other })).sort(), [...keys].sort());
      assert.deepEqual(await store.get("a__k", { collection: other }), {
        collection: other,
        key: "a__k",
      });
    }
  }
  assert.deepEqual(await inner.keys({ collection: "one" }), []);
});

test("two SingleCollectionWrapper tenants in one inner collection keep their collections apart", async () => {
  const inner = new MemoryStore();
  const a = new SingleCollectionWrapper(inner, { collection: "one" });
  const b = new SingleCollectionWrapper(inner, { collection: "one" });
  await a.put("k", { from: "a" }, { collection: "a" });
  await b.put("_k", { from: "b" }, { collection: "a_b" });
  await a.destroyCollection("a");
  assert.deepEqual(await b.get("_k", { collection: "a_b" }), { from: "b" });
  assert.deepEqual(await b.collections(), ["a_b"]);
});

test("SingleCollectionWrapper with a separator that overlaps itself keeps names apart", async () => {
  const inner = new MemoryStore();
  const store = new SingleCollectionWrapper(inner, { collection: "one", separator: "aba" });
  await store.put("k", { n: 1 }, { collection: "x" });
  // "xab" + "aba" + "k" would read as "x" + "aba" + "bak".
  await assert.rejects(store.put("k", { n: 2 }, { collection: "xab" }), InvalidKeyError);
  await assert.rejects(store.put("k", { n: 2 }, { collection: "xabay" }), InvalidKeyError);
  await store.put("k", { n: 3 }, { collection: "ab" });
  assert.deepEqual((await store.collections()).sort(), ["ab", "x"]);
  assert.deepEqual(await inner.keys({ collection: "one" }), ["xabak", "ababak"]);
});

test("SingleCollectionWrapper refuses a bad collection in an empty batch too", async () => {
  const store = new SingleCollectionWrapper(new MemoryStore(), { collection: "one" });
  await assert.rejects(store.putMany([], [], { collection: "a__b" }), InvalidKeyError);
  await assert.rejects(store.deleteMany([], { collection: "a_" }), InvalidKeyError);
  await assert.rejects(store.getMany([], { collection: "a__" }), InvalidKeyError);
});

test("SingleCollectionWrapper refuses a lone surrogate in a key, a collection or an option", async () => {
  const inner = new MemoryStore();
  const store = new SingleCollectionWrapper(inner, { collection: "one" });
  await assert.rejects(store.put("\uD800", { n: 1 }), InvalidKeyError);
  await assert.rejects(store.put("k", { n: 1 }, { collection: "\uDC00" }), InvalidKeyError);
  assert.deepEqual(await inner.collections(), []);
  for (
    const options of [
      { collection: "a\uD800" },
      { collection: "one", defaultCollection: "\uD800" },
      { collection: "one", separator: "\uDC00" },
    ]
  ) {
    assert.throws(() => new SingleCollectionWrapper(inner, options), InvalidKeyError);
  }
});

test("SingleCollectionWrapper refuses a defaultCollection its separator cannot keep apart", () => {
  for (const defaultCollection of ["d__x", "d_", "d___"]) {
    assert.throws(
      () =>
        new SingleCollectionWrapper(new MemoryStore(), { collection: "one", defaultCollection }),
      InvalidKeyError,
    );
  }
  assert.ok(
    new SingleCollectionWrapper(new MemoryStore(), {
      collection: "one",
      defaultCollection: "d_",
      separator: "::",
    }),
  );
});

test("SingleCollectionWrapper refuses an unknown option with a TypeError naming it and the valid ones", () => {
  const options = {
    collection: "one",
    seperator: ":",
  } as unknown as SingleCollectionWrapperOptions;
  assert.throws(
    () => new SingleCollectionWrapper(new MemoryStore(), options),
    {
      name: "TypeError",
      message: /unknown option "seperator".*collection, defaultCollection, separator/,
    },
  );
});
