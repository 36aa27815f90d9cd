import assert from "node:assert/strict";
import { test } from "node:test";
import { capabilitiesOf } from "../../../core/capabilities.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { SimpleStore } from "../../../stores/simple.ts";
import { CollectionRoutingWrapper } from "../../../wrappers/collection_routing.ts";
import { RoutingWrapper } from "../../../wrappers/routing.ts";
import { ALL, type MakeInner, RUNS, testWrapper } from "./_helpers.ts";

function oddRouting(inner: MakeInner, extra: Record<string, unknown> = {}): RoutingWrapper {
  const odd = inner();
  return new RoutingWrapper(inner(), {
    route: (collection) =>
      collection !== undefined && collection.length % 2 === 1 ? odd : undefined,
    stores: [odd],
    ...extra,
  });
}

testWrapper("RoutingWrapper", {
  wrap: (inner) => oddRouting(inner),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) => oddRouting(inner, extra),
});
testWrapper("CollectionRoutingWrapper", {
  wrap: (inner) =>
    new CollectionRoutingWrapper(inner(), {
      collections: { c1: inner(), c2: inner(), other: inner() },
    }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) =>
    new CollectionRoutingWrapper(inner(), { collections: { c1: inner() }, ...extra }),
});

test("RoutingWrapper sends get, getMany, ttl, put and delete to the routed store", async () => {
  const users = new MemoryStore();
  const fallback = new MemoryStore();
  const seen: (string | undefined)[] = [];
  const store = new RoutingWrapper(fallback, {
    route: (collection) => {
      seen.push(collection);
      return collection === "users" ? users : undefined;
    },
    stores: [users],
  });
  await store.put("a", { n: 1 }, { collection: "users" });
  await store.put("b", { n: 2 });
  await store.put("c", { n: 3 }, { collection: "" });
  // An absent or empty collection is routed by its resolved name (defect 9: it was `undefined`).
  assert.deepEqual(seen, ["users", "default_collection", "default_collection"]);
  assert.deepEqual(await users.get("a", { collection: "users" }), { n: 1 });
  assert.deepEqual(await fallback.getMany(["b", "c"]), [{ n: 2 }, { n: 3 }]);
  assert.deepEqual(await store.getMany(["a"], { collection: "users" }), [{ n: 1 }]);
  assert.deepEqual((await store.ttl("a", { collection: "users" }))[0], { n: 1 });
  assert.equal(await store.delete("a", { collection: "users" }), true);
  assert.equal(await users.get("a", { collection: "users" }), undefined);
});

test("CollectionRoutingWrapper routes by exact collection name", async () => {
  const users = new MemoryStore();
  const rest = new MemoryStore();
  const store = new CollectionRoutingWrapper(rest, { collections: { users } });
  await store.put("k", { n: 1 }, { collection: "users" });
  await store.put("k", { n: 2 }, { collection: "users2" });
  assert.deepEqual(await users.collections(), ["users"]);
  assert.deepEqual(await rest.collections(), ["users2"]);
  assert.deepEqual(await store.keys({ collection: "users" }), ["k"]);
});

test("RoutingWrapper exposes only capabilities every store has, and closes every store", async () => {
  let closed = 0;
  class Closing extends SimpleStore {
    close() {
      closed++;
      return Promise.resolve();
    }
  }
  const simple = new Closing();
  const store = new CollectionRoutingWrapper(new MemoryStore(), { collections: { s: simple } });
  assert.deepEqual(capabilitiesOf(store).sort(), capabilitiesOf(simple).sort());
  await store.close();
  assert.equal(closed, 1);
});

test("RoutingWrapper.collections() does not list a collection twice or in the wrong store", async () => {
  const a = new MemoryStore();
  const b = new MemoryStore();
  await b.put("stray", { n: 0 }, { collection: "x" }); // "x" routes to a, so b's copy is unreachable
  const store = new CollectionRoutingWrapper(b, { collections: { x: a } });
  await store.put("k", { n: 1 }, { collection: "x" });
  assert.deepEqual(await store.collections(), ["x"]);
});

test("CollectionRoutingWrapper treats a call that names no collection as the default collection", async () => {
  const main = new MemoryStore({ defaultCollection: "main" });
  const other = new MemoryStore({ defaultCollection: "other_default" });
  const store = new CollectionRoutingWrapper(main, { collections: { main: other } });
  assert.equal(store.defaultCollection, "main");
  await store.put("k", { n: 1 });
  assert.deepEqual(await store.get("k", { collection: "main" }), { n: 1 });
  assert.deepEqual(await other.get("k", { collection: "main" }), { n: 1 });
  assert.equal(await main.get("k"), undefined);
  assert.deepEqual(await store.keys(), ["k"]);
  assert.equal(await store.delete("k", { collection: "" }), true);
});

test("CollectionRoutingWrapper refuses a route name that is empty or not well-formed UTF-16", () => {
  for (const name of ["", "bad\uD800", "\uDC00x"]) {
    assert.throws(
      () =>
        new CollectionRoutingWrapper(new MemoryStore(), {
          collections: { [name]: new MemoryStore() },
        }),
      { name: "InvalidKeyError" },
      JSON.stringify(name),
    );
  }
});

test("RoutingWrapper refuses a collection that is not well-formed UTF-16 before routing it", async () => {
  const seen: string[] = [];
  const store = new RoutingWrapper(new MemoryStore(), {
    route: (collection) => {
      seen.push(collection);
      return undefined;
    },
  });
  await assert.rejects(store.get("k", { collection: "a\uD800" }), { name: "InvalidKeyError" });
  await assert.rejects(store.put("k", { n: 1 }, { collection: "\uDFFF" }), {
    name: "InvalidKeyError",
  });
  assert.deepEqual(seen, []);
});
