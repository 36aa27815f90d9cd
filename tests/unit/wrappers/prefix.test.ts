import assert from "node:assert/strict";
import { test } from "node:test";
import { capabilitiesOf } from "../../../core/capabilities.ts";
import { InvalidKeyError } from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { SimpleStore } from "../../../stores/simple.ts";
import { PrefixCollectionsWrapper } from "../../../wrappers/prefix_collections.ts";
import { PrefixKeysWrapper } from "../../../wrappers/prefix_keys.ts";
import { SingleCollectionWrapper } from "../../../wrappers/single_collection.ts";
import { ALL, RUNS, testWrapper } from "./_helpers.ts";

testWrapper("PrefixKeysWrapper", {
  wrap: (inner) => new PrefixKeysWrapper(inner(), { prefix: "app" }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) => new PrefixKeysWrapper(inner(), { prefix: "app", ...extra }),
});
testWrapper("PrefixCollectionsWrapper", {
  wrap: (inner) => new PrefixCollectionsWrapper(inner(), { prefix: "app" }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) =>
    new PrefixCollectionsWrapper(inner(), { prefix: "app", ...extra }),
});
testWrapper("SingleCollectionWrapper", {
  wrap: (inner) => new SingleCollectionWrapper(inner(), { collection: "all" }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) =>
    new SingleCollectionWrapper(inner(), { collection: "all", ...extra }),
});

test("PrefixKeysWrapper stores keys as prefix__key, as py-key-value does", async () => {
  const inner = new MemoryStore();
  const store = new PrefixKeysWrapper(inner, { prefix: "p" });
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { collection: "c" });
  assert.deepEqual((await inner.keys({ collection: "c" })).sort(), ["p__a", "p__b"]);
  assert.deepEqual(await inner.get("p__a", { collection: "c" }), { n: 1 });
});

test("PrefixKeysWrapper.keys() lists only its own keys, unprefixed, with the limit applied after filtering", async () => {
  const inner = new MemoryStore();
  await inner.putMany(["other", "q__x", "p"], [{}, {}, {}]);
  const store = new PrefixKeysWrapper(inner, { prefix: "p" });
  await store.putMany(["a", "b", "c"], [{}, {}, {}]);
  assert.deepEqual((await store.keys!()).sort(), ["a", "b", "c"]);
  assert.equal((await store.keys!({ limit: 2 })).length, 2);
});

test("PrefixKeysWrapper.destroyCollection() and destroy() leave other prefixes' keys alone", async () => {
  const inner = new MemoryStore();
  const a = new PrefixKeysWrapper(inner, { prefix: "a" });
  const b = new PrefixKeysWrapper(inner, { prefix: "b" });
  await a.put("k", { n: 1 }, { collection: "c1" });
  await a.put("k", { n: 1 }, { collection: "c2" });
  await b.put("k", { n: 2 }, { collection: "c1" });
  await inner.put("raw", { n: 3 }, { collection: "c2" });
  assert.equal(await a.destroy!(), true);
  assert.equal(await a.get("k", { collection: "c1" }), undefined);
  assert.deepEqual(await b.get("k", { collection: "c1" }), { n: 2 });
  assert.deepEqual(await inner.get("raw", { collection: "c2" }), { n: 3 });
});

test("PrefixKeysWrapper refuses a bad key instead of prefixing it", async () => {
  const inner = new MemoryStore();
  const store = new PrefixKeysWrapper(inner, { prefix: "p" });
  await assert.rejects(store.put("", { n: 1 }), InvalidKeyError);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(store.put(5 as any, { n: 1 }), TypeError);
  assert.deepEqual(await inner.keys(), []);
});

test("prefix wrappers refuse a prefix containing the separator", () => {
  assert.throws(() => new PrefixKeysWrapper(new MemoryStore(), { prefix: "a__b" }), TypeError);
  assert.throws(() => new PrefixKeysWrapper(new MemoryStore(), { prefix: "" }), TypeError);
  assert.throws(
    () => new PrefixCollectionsWrapper(new MemoryStore(), { prefix: "x__" }),
    TypeError,
  );
});

test("PrefixCollectionsWrapper maps the default collection to prefix__default_collection", async () => {
  const inner = new MemoryStore();
  const store = new PrefixCollectionsWrapper(inner, { prefix: "t" });
  await store.put("k", { n: 1 });
  await store.put("k", { n: 2 }, { collection: "users" });
  assert.deepEqual((await inner.collections()).sort(), ["t__default_collection", "t__users"]);
  assert.deepEqual(await inner.get("k", { collection: "t__users" }), { n: 2 });
  const custom = new PrefixCollectionsWrapper(inner, { prefix: "u", defaultCollection: "main" });
  await custom.put("k", { n: 3 });
  assert.deepEqual(await inner.get("k", { collection: "u__main" }), { n: 3 });
});

test("PrefixCollectionsWrapper.collections() and destroy() see only its own collections", async () => {
  const inner = new MemoryStore();
  const a = new PrefixCollectionsWrapper(inner, { prefix: "a" });
  await a.put("k", { n: 1 }, { collection: "x" });
  await inner.put("k", { n: 2 }, { collection: "x" });
  await inner.put("k", { n: 3 }, { collection: "b__x" });
  assert.deepEqual(await a.collections!(), ["x"]);
  assert.equal(await a.destroy!(), true);
  assert.deepEqual((await inner.collections()).sort(), ["b__x", "x"]);
});

test("SingleCollectionWrapper stores collection__key in one inner collection", async () => {
  const inner = new MemoryStore();
  const store = new SingleCollectionWrapper(inner, { collection: "one" });
  await store.put("k", { n: 1 }, { collection: "c" });
  await store.put("k", { n: 2 });
  assert.deepEqual(await inner.collections(), ["one"]);
  assert.deepEqual((await inner.keys({ collection: "one" })).sort(), [
    "c__k",
    "default_collection__k",
  ]);
  assert.deepEqual((await store.collections!()).sort(), ["c", "default_collection"]);
});

test("SingleCollectionWrapper keeps keys containing the separator apart from other collections", async () => {
  const store = new SingleCollectionWrapper(new MemoryStore(), { collection: "one" });
  await store.put("b__c", { n: 1 }, { collection: "a" });
  assert.deepEqual(await store.keys!({ collection: "a" }), ["b__c"]);
  assert.deepEqual(await store.collections!(), ["a"]);
  await assert.rejects(store.get("c", { collection: "a__b" }), InvalidKeyError);
});

test("SingleCollectionWrapper.destroy() leaves keys outside its layout alone", async () => {
  const inner = new MemoryStore();
  await inner.put("raw", { n: 0 }, { collection: "one" });
  const store = new SingleCollectionWrapper(inner, { collection: "one", separator: "::" });
  await store.put("k", { n: 1 }, { collection: "c" });
  assert.deepEqual(await inner.keys({ collection: "one" }), ["raw", "c::k"]);
  await store.destroy!();
  assert.deepEqual(await inner.keys({ collection: "one" }), ["raw"]);
});

test("mapping wrappers expose only the capabilities they can build from the inner store", () => {
  const simple = new SimpleStore();
  const inner = capabilitiesOf(simple);
  assert.ok(!inner.includes("putIfAbsent"));
  assert.ok(
    !capabilitiesOf(new PrefixKeysWrapper(simple, { prefix: "p" })).includes("putIfAbsent"),
  );
  assert.ok(
    !capabilitiesOf(new SingleCollectionWrapper(simple, { collection: "c" })).includes("cull"),
  );
});
