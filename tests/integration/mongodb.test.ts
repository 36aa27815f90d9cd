// MongoDBStore against a real MongoDB-wire server (FerretDB from
// scripts/services.sh up mongodb): the conformance suite, the raw document
// layout, collection-name sanitization and index handling. Every test uses a
// database of its own, dropped afterwards.

import { MongoClient } from "mongodb";
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { DeserializationError, StoreConnectionError, StoreSetupError } from "../../core/errors.ts";
import { MongoDBV1CollectionSanitizationStrategy } from "../../stores/mongodb/sanitization.ts";
import { MongoDBStore, type MongoDBStoreOptions } from "../../stores/mongodb/mod.ts";
import { testConformance } from "../../testing/_conformance.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";

const url = serviceUrl("mongodb");
const skip = skipUnless(url, "mongodb");
const run = uniqueSuffix();
let databases = 0;
const created = new Set<string>();
const admin = url ? new MongoClient(url, { serverSelectionTimeoutMS: 5000 }) : undefined;

function newStore(options: Partial<MongoDBStoreOptions> = {}): MongoDBStore {
  const database = options.database ?? `kv_test_${run}_${databases++}`;
  created.add(database);
  return new MongoDBStore({ url: url!, ...options, database } as MongoDBStoreOptions);
}

async function dropDatabase(name: string): Promise<void> {
  await admin!.db(name).dropDatabase();
  created.delete(name);
}

after(async () => {
  if (!admin) return;
  for (const name of [...created]) await dropDatabase(name);
  await admin.close();
});

if (url) {
  testConformance("MongoDBStore", {
    factory: ({ clock }) => newStore({ clock }),
    clock: true,
    construct: (extra) => newStore(extra as Partial<MongoDBStoreOptions>),
    teardown: async (store) => {
      await store.close();
      await dropDatabase(store.database);
    },
    capabilities: ["keys", "collections", "destroyCollection", "cull", "putIfAbsent"],
    propertyRuns: 50,
  });
} else {
  test("MongoDBStore conformance", skip, () => {});
}

describe("MongoDBStore against a MongoDB server", skip, () => {
  test("MongoDBStore.put() writes py-key-value's document with BSON dates", async () => {
    const store = newStore();
    const before = Date.now();
    await store.put("k", { a: 1, nested: { b: [true, null] } }, { collection: "c", ttl: 100 });
    const doc = await admin!.db(store.database).collection("c").findOne({ key: "k" });
    assert.ok(doc);
    assert.deepEqual(Object.keys(doc).sort(), [
      "_id",
      "collection",
      "created_at",
      "expires_at",
      "key",
      "value",
      "version",
    ]);
    assert.equal(doc.key, "k");
    assert.equal(doc.collection, "c");
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.value, { object: { a: 1, nested: { b: [true, null] } } });
    assert.ok(doc.created_at instanceof Date && doc.expires_at instanceof Date);
    assert.ok(doc.created_at.getTime() >= before && doc.created_at.getTime() <= Date.now());
    assert.ok(Math.abs(doc.expires_at.getTime() - doc.created_at.getTime() - 100_000) <= 1);
    await store.close();
  });

  test("MongoDBStore.put() without ttl removes an earlier expires_at", async () => {
    const store = newStore();
    await store.put("k", { a: 1 }, { ttl: 100 });
    await store.put("k", { a: 2 });
    const doc = await admin!.db(store.database).collection("default_collection").findOne({
      key: "k",
    });
    assert.equal(doc!.expires_at, undefined);
    assert.deepEqual(await store.ttl("k"), [{ a: 2 }, undefined]);
    await store.close();
  });

  test("MongoDBStore creates a unique index on key, and a TTL index where the server has them", async () => {
    const store = newStore();
    await store.put("k", { a: 1 });
    const indexes = await admin!.db(store.database).collection("default_collection")
      .listIndexes().toArray();
    const key = indexes.find((index) => index.key?.key === 1);
    assert.equal(key?.unique, true);
    const ttl = indexes.find((index) => index.key?.expires_at === 1);
    if (store.hasTtlIndexes) assert.equal(ttl?.expireAfterSeconds, 0);
    else assert.equal(ttl, undefined); // FerretDB refuses TTL indexes; the read filter still expires
    await store.close();
  });

  test("MongoDBStore keeps values with '.' or '$' property names as JSON text", async () => {
    const store = newStore();
    const value = { "a.b": 1, nested: { $ref: "x" } };
    await store.put("k", value);
    const doc = await admin!.db(store.database).collection("default_collection").findOne({
      key: "k",
    });
    assert.equal(typeof doc!.value.object, "string");
    assert.deepEqual(JSON.parse(doc!.value.object), value);
    assert.deepEqual(await store.get("k"), value);
    await store.close();
  });

  test("MongoDBStore sanitizes a collection name Mongo cannot hold, and lists the original", async () => {
    const store = newStore();
    await store.put("k", { a: 1 }, { collection: "test_collection!@#$%^&*()" });
    await store.put("k", { a: 2 }, { collection: "plain-name.ok" });
    const names = (await admin!.db(store.database).listCollections().toArray())
      .map((info) => info.name).sort();
    // The name py-key-value's MongoDB V1 strategy gives; a valid name is kept.
    assert.deepEqual(names, ["S_test_collection_-daf4a2ec", "plain-name.ok"]);
    assert.deepEqual((await store.collections()).sort(), [
      "plain-name.ok",
      "test_collection!@#$%^&*()",
    ]);
    await store.close();
  });

  test("MongoDBStore with the V1 strategy names every collection as py-key-value does", async () => {
    const store = newStore({
      collectionSanitizationStrategy: new MongoDBV1CollectionSanitizationStrategy(),
    });
    await store.put("k", { a: 1 }, { collection: "plain-name" });
    const names = (await admin!.db(store.database).listCollections().toArray())
      .map((info) => info.name);
    assert.deepEqual(names, ["S_plain_name-1006468c"]);
    assert.deepEqual(await store.get("k", { collection: "plain-name" }), { a: 1 });
    await store.close();
  });

  test("MongoDBStore hashes long collection names, so two sharing a prefix stay apart", async () => {
    const store = newStore();
    const a = "x".repeat(300) + "a";
    const b = "x".repeat(300) + "b";
    await store.put("k", { n: 1 }, { collection: a });
    await store.put("k", { n: 2 }, { collection: b });
    assert.deepEqual(await store.get("k", { collection: a }), { n: 1 });
    assert.deepEqual(await store.get("k", { collection: b }), { n: 2 });
    await store.close();
  });

  test("MongoDBStore works in a collection py-key-value created (non-unique key index)", async () => {
    const store = newStore();
    const handle = admin!.db(store.database).collection("legacy");
    await handle.createIndex({ key: 1 });
    await handle.insertOne({
      key: "old",
      collection: "legacy",
      version: 1,
      value: { object: { a: 1 } },
      created_at: new Date(),
    });
    assert.deepEqual(await store.get("old", { collection: "legacy" }), { a: 1 });
    await store.put("new", { b: 2 }, { collection: "legacy" });
    assert.deepEqual((await store.keys({ collection: "legacy" })).sort(), ["new", "old"]);
    await store.close();
  });

  test("MongoDBStore with autoCreate: false refuses a missing collection", async () => {
    const store = newStore({ autoCreate: false });
    await assert.rejects(store.get("k", { collection: "missing" }), StoreSetupError);
    await admin!.db(store.database).createCollection("present");
    await store.put("k", { a: 1 }, { collection: "present" });
    assert.deepEqual(await store.get("k", { collection: "present" }), { a: 1 });
    await store.close();
  });

  test("MongoDBStore.get() throws DeserializationError for a document without value.object", async () => {
    const store = newStore();
    await store.put("setup", { a: 1 });
    await admin!.db(store.database).collection("default_collection").insertOne({
      key: "bad",
      value: "not an object",
    });
    await assert.rejects(store.get("bad"), DeserializationError);
    await store.close();
  });

  test("MongoDBStore.cull() removes expired documents the server keeps", async () => {
    const store = newStore();
    await store.put("short", { a: 1 }, { ttl: 0.05, collection: "c1" });
    await store.put("long", { a: 1 }, { ttl: 100, collection: "c1" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await store.cull(), 1);
    assert.equal(
      await admin!.db(store.database).collection("c1").countDocuments({ key: "short" }),
      0,
    );
    assert.deepEqual(await store.keys({ collection: "c1" }), ["long"]);
    await store.close();
  });

  test("MongoDBStore never closes a client it was given", async () => {
    const client = new MongoClient(url!, { serverSelectionTimeoutMS: 5000 });
    const database = `kv_test_${run}_${databases++}`;
    created.add(database);
    const store = new MongoDBStore({ client, database });
    await store.put("k", { a: 1 });
    await store.close();
    assert.deepEqual(await new MongoDBStore({ client, database }).get("k"), { a: 1 });
    await client.close();
  });

  test("MongoDBStore.get() on a dead server is StoreConnectionError within a bounded time", async () => {
    const store = new MongoDBStore({ url: "mongodb://127.0.0.1:9", timeout: 1000 });
    const started = Date.now();
    await assert.rejects(store.get("k"), StoreConnectionError);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    await store.close();
  });
});

describe("MongoDBStore: deadlines by the clock, injective names", skip, () => {
  test("MongoDBStore at an entry's deadline: delete() is false while the document is still stored", async () => {
    const clock = { at: Date.now(), now: () => clock.at };
    const store = newStore({ clock });
    await store.put("a", { n: 1 }, { ttl: 10 });
    await store.putMany(["b", "c"], [{ n: 2 }, { n: 3 }], { ttl: 10 });
    clock.at += 9_999;
    assert.deepEqual((await store.keys()).sort(), ["a", "b", "c"]);
    assert.deepEqual(await store.collections(), ["default_collection"]);
    clock.at += 1; // exactly at the deadline
    const raw = admin!.db(store.database).collection("default_collection");
    assert.equal(await raw.countDocuments({}), 3);
    assert.equal(await store.get("a"), undefined);
    assert.deepEqual(await store.getMany(["a", "b"]), [undefined, undefined]);
    assert.equal(await store.delete("a"), false);
    assert.equal(await store.deleteMany(["b", "c", "missing"]), 0);
    assert.deepEqual(await store.keys(), []);
    assert.deepEqual(await store.collections(), []);
    assert.equal(await raw.countDocuments({}), 3, "expired documents are left for the TTL index");
    assert.equal(await store.putIfAbsent("c", { n: 4 }), true);
    assert.deepEqual(await store.get("c"), { n: 4 });
    assert.equal(await store.cull(), 2);
    await store.close();
  });

  test("MongoDBStore keeps a collection apart from one named like its sanitized name", async () => {
    const store = newStore();
    await store.put("k", { n: 1 }, { collection: "price$" });
    await store.put("k", { n: 2 }, { collection: "S_price_-0f2bb7e0" });
    assert.deepEqual(await store.get("k", { collection: "price$" }), { n: 1 });
    assert.deepEqual(await store.get("k", { collection: "S_price_-0f2bb7e0" }), { n: 2 });
    assert.deepEqual((await store.collections()).sort(), ["S_price_-0f2bb7e0", "price$"]);
    const names = await admin!.db(store.database).listCollections().toArray();
    assert.equal(names.length, 2);
    await store.close();
  });

  test("MongoDBStore reads a document that names another collection as a miss", async () => {
    const store = newStore();
    await store.put("mine", { n: 1 }, { collection: "c" });
    const raw = admin!.db(store.database).collection("c");
    await raw.insertOne({ key: "k", collection: "other", version: 1, value: { object: { n: 9 } } });
    assert.equal(await store.get("k", { collection: "c" }), undefined);
    assert.deepEqual(await store.getMany(["k", "mine"], { collection: "c" }), [undefined, {
      n: 1,
    }]);
    assert.deepEqual(await store.keys({ collection: "c" }), ["mine"]);
    assert.equal(await store.delete("k", { collection: "c" }), false);
    assert.equal(await raw.countDocuments({ key: "k" }), 1);
    assert.equal(await store.putIfAbsent("k", { n: 2 }, { collection: "c" }), true);
    assert.deepEqual(await store.get("k", { collection: "c" }), { n: 2 });
    assert.equal(await store.putIfAbsent("k", { n: 3 }, { collection: "c" }), false);
    await store.close();
  });
});
