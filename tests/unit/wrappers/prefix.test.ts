import assert from "node:assert/strict";
import { test } from "node:test";
import {
  canEnumerateCollections,
  type CapabilitiesOf,
  capabilitiesOf,
} from "../../../core/capabilities.ts";
import type { AsyncKeyValue } from "../../../core/protocol.ts";
import { InvalidKeyError } from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { SimpleStore } from "../../../stores/simple.ts";
import { PrefixCollectionsWrapper } from "../../../wrappers/prefix_collections.ts";
import { PrefixKeysWrapper } from "../../../wrappers/prefix_keys.ts";
import { SingleCollectionWrapper } from "../../../wrappers/single_collection.ts";
import { MappingWrapper } from "../../../wrappers/_mapping.ts";
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
  assert.deepEqual((await store.keys()).sort(), ["a", "b", "c"]);
  assert.equal((await store.keys({ limit: 2 })).length, 2);
});

test("PrefixKeysWrapper.destroyCollection() and destroy() leave other prefixes' keys alone", async () => {
  const inner = new MemoryStore();
  const a = new PrefixKeysWrapper(inner, { prefix: "a" });
  const b = new PrefixKeysWrapper(inner, { prefix: "b" });
  await a.put("k", { n: 1 }, { collection: "c1" });
  await a.put("k", { n: 1 }, { collection: "c2" });
  await b.put("k", { n: 2 }, { collection: "c1" });
  await inner.put("raw", { n: 3 }, { collection: "c2" });
  assert.equal(await a.destroy(), true);
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
  assert.throws(
    () => new PrefixKeysWrapper(new MemoryStore(), { prefix: "a__b" }),
    InvalidKeyError,
  );
  assert.throws(() => new PrefixKeysWrapper(new MemoryStore(), { prefix: "" }), TypeError);
  assert.throws(
    () => new PrefixCollectionsWrapper(new MemoryStore(), { prefix: "x__" }),
    InvalidKeyError,
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
  assert.deepEqual(await a.collections(), ["x"]);
  assert.equal(await a.destroy(), true);
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
  assert.deepEqual((await store.collections()).sort(), ["c", "default_collection"]);
});

test("SingleCollectionWrapper keeps keys containing the separator apart from other collections", async () => {
  const store = new SingleCollectionWrapper(new MemoryStore(), { collection: "one" });
  await store.put("b__c", { n: 1 }, { collection: "a" });
  assert.deepEqual(await store.keys({ collection: "a" }), ["b__c"]);
  assert.deepEqual(await store.collections(), ["a"]);
  await assert.rejects(store.get("c", { collection: "a__b" }), InvalidKeyError);
});

test("SingleCollectionWrapper.destroy() leaves keys outside its layout alone", async () => {
  const inner = new MemoryStore();
  await inner.put("raw", { n: 0 }, { collection: "one" });
  const store = new SingleCollectionWrapper(inner, { collection: "one", separator: "::" });
  await store.put("k", { n: 1 }, { collection: "c" });
  assert.deepEqual(await inner.keys({ collection: "one" }), ["raw", "c::k"]);
  await store.destroy();
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

// Injective names: a prefix that could make two tenants' names meet is refused.

test("PrefixKeysWrapper refuses a prefix ending with _: prefix app_ with key k would be prefix app with key _k", async () => {
  const inner = new MemoryStore();
  assert.throws(() => new PrefixKeysWrapper(inner, { prefix: "app_" }), {
    name: "InvalidKeyError",
    message: /prefix "app_".*separator "__"/,
  });
  for (const prefix of ["a_", "__", "a___", "x__y", "a__"]) {
    assert.throws(() => new PrefixKeysWrapper(inner, { prefix }), InvalidKeyError, prefix);
  }
  assert.deepEqual(await inner.keys(), []);
});

test("PrefixCollectionsWrapper refuses a prefix ending with _ or holding the separator", () => {
  for (const prefix of ["t_", "t__u", "__", "a___"]) {
    assert.throws(
      () => new PrefixCollectionsWrapper(new MemoryStore(), { prefix }),
      InvalidKeyError,
      prefix,
    );
  }
});

test("prefix wrappers accept a prefix that starts with the separator or is _, as py-key-value writes it", async () => {
  const inner = new MemoryStore();
  const under = new PrefixKeysWrapper(inner, { prefix: "_" });
  const dunder = new PrefixKeysWrapper(inner, { prefix: "__app" });
  await under.put("k", { n: 1 });
  await dunder.put("k", { n: 2 });
  assert.deepEqual((await inner.keys()).sort(), ["___k", "__app__k"]);
  assert.deepEqual(await under.keys(), ["k"]);
  assert.deepEqual(await dunder.keys(), ["k"]);
  const tenant = new PrefixCollectionsWrapper(inner, { prefix: "_" });
  await tenant.put("k", { n: 3 }, { collection: "_x" });
  assert.deepEqual(await inner.get("k", { collection: "____x" }), { n: 3 });
  assert.deepEqual(await tenant.collections(), ["_x"]);
});

test("PrefixKeysWrapper tenants app and ap on one store never see or delete each other's keys", async () => {
  const inner = new MemoryStore();
  const a = new PrefixKeysWrapper(inner, { prefix: "app" });
  const b = new PrefixKeysWrapper(inner, { prefix: "ap" });
  const keysA = ["_k", "k", "__k", "p__k", "_", "é😀"];
  const keysB = ["p__k", "p_k", "_p__k", "k", "p___k"];
  for (const collection of ["c", "c__d"]) {
    await a.putMany(keysA, keysA.map((k) => ({ a: k })), { collection });
    await b.putMany(keysB, keysB.map((k) => ({ b: k })), { collection });
  }
  assert.deepEqual((await a.keys({ collection: "c" })).sort(), [...keysA].sort());
  assert.deepEqual((await b.keys({ collection: "c" })).sort(), [...keysB].sort());
  assert.equal(await a.destroyCollection("c"), true);
  assert.deepEqual(await a.keys({ collection: "c" }), []);
  assert.deepEqual((await b.keys({ collection: "c" })).sort(), [...keysB].sort());
  assert.equal(await a.destroy(), true);
  assert.deepEqual((await b.keys({ collection: "c__d" })).sort(), [...keysB].sort());
  for (const key of keysB) assert.deepEqual(await b.get(key, { collection: "c__d" }), { b: key });
});

test("PrefixCollectionsWrapper tenants app and ap on one store never see or destroy each other's collections", async () => {
  const inner = new MemoryStore();
  const a = new PrefixCollectionsWrapper(inner, { prefix: "app" });
  const b = new PrefixCollectionsWrapper(inner, { prefix: "ap" });
  const colsA = ["_c", "c", "__c", "p__c", "_"];
  const colsB = ["p__c", "p_c", "_p__c", "c", "p___c"];
  for (const collection of colsA) await a.put("k", { a: collection }, { collection });
  for (const collection of colsB) await b.put("k", { b: collection }, { collection });
  assert.deepEqual((await a.collections()).sort(), [...colsA].sort());
  assert.deepEqual((await b.collections()).sort(), [...colsB].sort());
  assert.equal(await a.destroyCollection("p__c"), true);
  assert.deepEqual(await b.get("k", { collection: "p__c" }), { b: "p__c" });
  assert.equal(await a.destroy(), true);
  assert.deepEqual(await a.collections(), []);
  assert.deepEqual((await b.collections()).sort(), [...colsB].sort());
  for (const c of colsB) assert.deepEqual(await b.get("k", { collection: c }), { b: c });
});

test("prefix wrappers refuse a prefix that is not well-formed UTF-16 with InvalidKeyError", () => {
  for (const prefix of ["\uD800", "a\uDC00", "\uDBFFx"]) {
    assert.throws(() => new PrefixKeysWrapper(new MemoryStore(), { prefix }), InvalidKeyError);
    assert.throws(
      () => new PrefixCollectionsWrapper(new MemoryStore(), { prefix }),
      InvalidKeyError,
    );
  }
  assert.ok(new PrefixKeysWrapper(new MemoryStore(), { prefix: "\uD83D\uDE00" }));
});

test("prefix wrappers refuse a lone surrogate in a key or collection and write nothing", async () => {
  const inner = new MemoryStore();
  const keys = new PrefixKeysWrapper(inner, { prefix: "p" });
  const cols = new PrefixCollectionsWrapper(inner, { prefix: "p" });
  for (const store of [keys, cols]) {
    await assert.rejects(store.put("\uD800", { n: 1 }), InvalidKeyError);
    await assert.rejects(store.put("k", { n: 1 }, { collection: "c\uDC00" }), InvalidKeyError);
    await assert.rejects(store.putMany(["a", "b\uD800"], [{}, {}]), InvalidKeyError);
  }
  assert.deepEqual(await inner.collections(), []);
});

test("PrefixCollectionsWrapper refuses a defaultCollection that is not well-formed", () => {
  assert.throws(
    () =>
      new PrefixCollectionsWrapper(new MemoryStore(), { prefix: "p", defaultCollection: "\uD800" }),
    InvalidKeyError,
  );
});

test("prefix wrappers refuse an unknown option with a TypeError naming it and the valid ones", () => {
  const inner = new MemoryStore();
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => new PrefixKeysWrapper(inner, { prefix: "p", prefx: "q" } as any),
    { name: "TypeError", message: /unknown option "prefx".*prefix/ },
  );
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => new PrefixCollectionsWrapper(inner, { prefix: "p", default: "x" } as any),
    { name: "TypeError", message: /unknown option "default".*prefix, defaultCollection/ },
  );
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new PrefixKeysWrapper(inner, "p" as any), TypeError);
});

// Safe by default: a mapping wrapper offers only what its subclass maps.

class RenamesOnly<S extends AsyncKeyValue = AsyncKeyValue>
  extends MappingWrapper<S, Extract<CapabilitiesOf<S>, "cull" | "putIfAbsent">> {
  protected innerCollection(collection: string | undefined): string | undefined {
    return collection === undefined ? "t:default" : `t:${collection}`;
  }
  protected innerKey(_collection: string | undefined, key: string): string {
    return key;
  }
}

test("MappingWrapper exposes no listing or destroying capability its subclass does not map", async () => {
  const inner = new MemoryStore();
  await inner.put("other", { n: 0 }, { collection: "x" });
  const store = new RenamesOnly(inner);
  assert.deepEqual(capabilitiesOf(store), ["cull", "putIfAbsent"]);
  assert.equal(store.keys, undefined);
  assert.equal(store.collections, undefined);
  assert.equal(store.destroyCollection, undefined);
  assert.equal(store.destroy, undefined);
  const asked = new (class extends RenamesOnly {
    constructor() {
      super(inner, ["keys", "destroy", "putIfAbsent"]);
    }
  })();
  assert.deepEqual(capabilitiesOf(asked), ["putIfAbsent"]);
  assert.equal(await store.putIfAbsent("k", { n: 1 }), true);
  assert.deepEqual(await inner.get("k", { collection: "t:default" }), { n: 1 });
  assert.deepEqual(await inner.get("other", { collection: "x" }), { n: 0 });
});

test("MappingWrapper exposes a listing capability once its subclass overrides the hook", async () => {
  class Lists extends RenamesOnly {
    protected override doCollections(): Promise<string[]> {
      return Promise.resolve(["mine"]);
    }
  }
  const store = new Lists(new MemoryStore());
  assert.deepEqual(capabilitiesOf(store), ["collections", "cull", "putIfAbsent"]);
  assert.ok(canEnumerateCollections(store));
  assert.deepEqual(await store.collections(), ["mine"]);
});

test("PrefixKeysWrapper.collections() lists only the collections that hold its own keys", async () => {
  const inner = new MemoryStore();
  const a = new PrefixKeysWrapper(inner, { prefix: "app" });
  const b = new PrefixKeysWrapper(inner, { prefix: "ap" });
  await a.put("k", { n: 1 }, { collection: "shared" });
  await b.put("p__k", { n: 2 }, { collection: "shared" });
  await b.put("k", { n: 3 }, { collection: "b-only" });
  await inner.put("app", { n: 4 }, { collection: "raw" });
  assert.deepEqual(await a.collections(), ["shared"]);
  assert.deepEqual((await b.collections()).sort(), ["b-only", "shared"]);
  assert.deepEqual(await b.collections({ limit: 1 }), ["shared"]);
  await a.destroy();
  assert.deepEqual(await a.collections(), []);
  assert.deepEqual(await b.get("p__k", { collection: "shared" }), { n: 2 });
});
