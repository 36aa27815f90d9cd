// ElasticsearchStore against a real Elasticsearch 9 (Elastic's integ-test build
// from scripts/services.sh up elasticsearch): the conformance suite, the index
// mapping and documents, naming, and the refresh option. Every store uses an
// index prefix of its own; its indices are deleted afterwards.

import { Client, HttpConnection } from "@elastic/elasticsearch";
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  InvalidKeyError,
  SerializationError,
  StoreConnectionError,
  StoreSetupError,
} from "../../core/errors.ts";
import {
  ElasticsearchV1CollectionSanitizationStrategy,
  ElasticsearchV1KeySanitizationStrategy,
} from "../../stores/elasticsearch/sanitization.ts";
import { PassthroughStrategy } from "../../core/sanitization.ts";
import {
  ElasticsearchStore,
  type ElasticsearchStoreOptions,
} from "../../stores/elasticsearch/mod.ts";
import { testConformance } from "../../testing/_conformance.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";

// Bun's undici shim breaks the client's default UndiciConnection; node:http works everywhere.
const BUN = "Bun" in globalThis ? { Connection: HttpConnection } : {};
const url = serviceUrl("elasticsearch");
const skip = skipUnless(url, "elasticsearch");
const run = uniqueSuffix();
let prefixes = 0;
const used = new Set<string>();
const admin = url ? new Client({ node: url, ...BUN }) : undefined;

function newStore(options: Partial<ElasticsearchStoreOptions> = {}): ElasticsearchStore {
  const indexPrefix = options.indexPrefix ?? `kv_test_${run}_${prefixes++}`;
  used.add(indexPrefix.toLowerCase());
  return new ElasticsearchStore({ url: url!, ...options, indexPrefix });
}

/** Deletes a prefix's indices by name (no wildcard delete needed on the cluster). */
async function dropIndices(prefix: string): Promise<void> {
  const found = await admin!.indices.get({ index: `${prefix}-*` }, { ignore: [404] });
  const names = Object.keys(found).filter((name) => name.startsWith(`${prefix}-`));
  if (names.length > 0) await admin!.indices.delete({ index: names }, { ignore: [404] });
  used.delete(prefix);
}

after(async () => {
  if (!admin) return;
  for (const prefix of [...used]) await dropIndices(prefix);
  await admin.close();
});

if (url) {
  testConformance("ElasticsearchStore", {
    factory: ({ clock }) => newStore({ clock }),
    clock: true,
    construct: (extra) => newStore(extra as Partial<ElasticsearchStoreOptions>),
    // Every collection is an index: keep the name sets few.
    namesRuns: 10,
    teardown: async (store) => {
      await store.close();
      await dropIndices(store.indexPrefix);
    },
    capabilities: ["keys", "collections", "destroyCollection", "cull"],
    // Every sequence creates two indices; keep the run short.
    propertyRuns: 15,
  });
} else {
  test("ElasticsearchStore conformance", skip, () => {});
}

describe("ElasticsearchStore against Elasticsearch", skip, () => {
  test("ElasticsearchStore creates its index with py-key-value's mapping", async () => {
    const store = newStore();
    await store.put("k", { a: 1 }, { collection: "users" });
    const index = `${store.indexPrefix}-users`;
    const mapping = await admin!.indices.getMapping({ index });
    // deno-lint-ignore no-explicit-any
    const properties = mapping[index]!.mappings.properties as any;
    assert.equal(properties.value!.properties!.flattened!.type, "flattened");
    assert.equal(properties.key!.type, "keyword");
    assert.equal(properties.collection!.type, "keyword");
    assert.equal(properties.created_at!.type, "date");
    assert.equal(properties.expires_at!.type, "date");
    assert.equal(properties.version!.type, "integer");
    const settings = await admin!.indices.getSettings({ index });
    assert.equal(settings[index]!.settings!.index!.number_of_shards, "1");
    await store.close();
  });

  test("ElasticsearchStore.put() writes py-key-value's document, id the key", async () => {
    const store = newStore();
    await store.put("k::1", { a: 1, nested: { b: [true, null] } }, {
      collection: "c",
      ttl: 100,
    });
    const doc = await admin!.get<Record<string, unknown>>({
      index: `${store.indexPrefix}-c`,
      id: "k::1",
    });
    const source = doc._source!;
    assert.deepEqual(Object.keys(source).sort(), [
      "collection",
      "created_at",
      "expires_at",
      "key",
      "value",
      "version",
    ]);
    assert.equal(source.collection, "c");
    assert.equal(source.key, "k::1");
    assert.equal(source.version, 1);
    assert.deepEqual(source.value, { flattened: { a: 1, nested: { b: [true, null] } } });
    assert.match(source.created_at as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    const ttl =
      (Date.parse(source.expires_at as string) - Date.parse(source.created_at as string)) / 1000;
    assert.equal(ttl, 100);
    await store.close();
  });

  test("ElasticsearchStore names indices <prefix>-<collection>, sanitizing only when needed", async () => {
    const store = newStore({ indexPrefix: `KV_Test_${run}_${prefixes++}` });
    used.add(store.indexPrefix);
    await store.put("k", { n: 1 }, { collection: "plain" });
    await store.put("k", { n: 2 }, { collection: "Plain" });
    await store.put("k", { n: 3 }, { collection: "odd::name*" });
    const found = Object.keys(await admin!.indices.get({ index: `${store.indexPrefix}-*` }));
    const v1 = new ElasticsearchV1CollectionSanitizationStrategy();
    assert.deepEqual(
      found.sort(),
      [
        `${store.indexPrefix}-plain`,
        `${store.indexPrefix}-${v1.sanitize("Plain")}`.toLowerCase(),
        `${store.indexPrefix}-${v1.sanitize("odd::name*")}`.toLowerCase(),
      ].sort(),
    );
    assert.equal(store.indexPrefix, store.indexPrefix.toLowerCase());
    assert.deepEqual(await store.get("k", { collection: "Plain" }), { n: 2 });
    assert.deepEqual((await store.collections()).sort(), ["Plain", "odd::name*", "plain"]);
    await store.close();
  });

  test("ElasticsearchStore with the V1 strategies matches py-key-value's names", async () => {
    const store = newStore({
      collectionSanitizationStrategy: new ElasticsearchV1CollectionSanitizationStrategy(),
      keySanitizationStrategy: new ElasticsearchV1KeySanitizationStrategy(),
    });
    await store.put("k", { n: 1 }, { collection: "plain" });
    const index = `${store.indexPrefix}-${
      new ElasticsearchV1CollectionSanitizationStrategy().sanitize("plain")
    }`.toLowerCase();
    const id = new ElasticsearchV1KeySanitizationStrategy().sanitize("k");
    const doc = await admin!.get<Record<string, unknown>>({ index, id });
    assert.equal(doc._source!.key, "k");
    assert.deepEqual(await store.keys({ collection: "plain" }), ["k"]);
    await store.close();
  });

  test("ElasticsearchStore hashes a key over 512 bytes and never mixes it up", async () => {
    const store = newStore();
    const long = "k".repeat(600);
    await store.put(long, { n: 1 });
    const hex = new ElasticsearchV1KeySanitizationStrategy().sanitize(long);
    const id = `H_${hex}`;
    assert.equal(
      (await admin!.get({ index: `${store.indexPrefix}-default_collection`, id })).found,
      true,
    );
    // Keys that happen to equal the digest or the id are different entries, and
    // never land on the long key's document.
    assert.equal(await store.get(id), undefined);
    assert.equal(await store.get(hex), undefined);
    await store.put(id, { n: 2 });
    await store.put(hex, { n: 3 });
    assert.deepEqual(await store.getMany([long, id, hex]), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.deepEqual((await store.keys()).sort(), [hex, id, long].sort());
    await store.close();
  });

  test("ElasticsearchStore with a passthrough strategy refuses names Elasticsearch cannot hold", async () => {
    const store = newStore({
      collectionSanitizationStrategy: new PassthroughStrategy(),
      keySanitizationStrategy: new PassthroughStrategy(),
    });
    await assert.rejects(store.put("k", { n: 1 }, { collection: "a b" }), InvalidKeyError);
    await assert.rejects(store.put("k".repeat(513), { n: 1 }), InvalidKeyError);
    await store.close();
  });

  test("ElasticsearchStore keeps a string longer than Lucene's 32 KB term limit", async () => {
    const store = newStore();
    const value = { text: "é".repeat(20_000), n: 1 };
    await store.put("k", value);
    assert.deepEqual(await store.get("k"), value);
    await store.close();
  });

  test("ElasticsearchStore refuses a value nested deeper than the flattened limit with SerializationError", async () => {
    const store = newStore();
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 30; i++) deep = { d: deep };
    await assert.rejects(store.put("k", deep), SerializationError);
    await assert.rejects(store.putMany(["a", "b"], [{ n: 1 }, deep]), SerializationError);
    await store.close();
  });

  test("ElasticsearchStore with refresh: false is still read-your-writes for get()", async () => {
    const store = newStore({ refresh: false });
    await store.put("k", { n: 1 });
    assert.deepEqual(await store.get("k"), { n: 1 });
    assert.deepEqual(await store.getMany(["k"]), [{ n: 1 }]);
    await store.close();
  });

  test("ElasticsearchStore with autoCreate: false refuses a missing index", async () => {
    const store = newStore({ autoCreate: false });
    await assert.rejects(store.get("k"), StoreSetupError);
    await store.close();
  });

  test("ElasticsearchStore never closes a client it was given", async () => {
    const client = new Client({ node: url!, ...BUN });
    const indexPrefix = `kv_test_${run}_${prefixes++}`;
    used.add(indexPrefix);
    const store = new ElasticsearchStore({ client, indexPrefix });
    await store.put("k", { n: 1 });
    await store.close();
    assert.deepEqual(await new ElasticsearchStore({ client, indexPrefix }).get("k"), { n: 1 });
    await client.close();
  });

  test("ElasticsearchStore.get() on a dead node is StoreConnectionError within a bounded time", async () => {
    const store = new ElasticsearchStore({ url: "http://127.0.0.1:9", timeout: 1000 });
    const started = Date.now();
    await assert.rejects(store.get("k"), StoreConnectionError);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    await store.close();
  });
});

describe("ElasticsearchStore: deadlines by the clock, injective names", skip, () => {
  test("ElasticsearchStore at an entry's deadline: delete() is false while the document is still indexed", async () => {
    const clock = { at: Date.now(), now: () => clock.at };
    const store = newStore({ clock });
    await store.put("a", { n: 1 }, { ttl: 10 });
    await store.putMany(["b", "c", "d"], [{ n: 2 }, { n: 3 }, { n: 4 }], { ttl: 10 });
    await store.put("forever", { n: 5 });
    clock.at += 9_999;
    assert.deepEqual((await store.keys()).sort(), ["a", "b", "c", "d", "forever"]);
    assert.equal(await store.cull(), 0);
    clock.at += 1; // exactly at the deadline
    const index = `${store.indexPrefix}-default_collection`;
    assert.equal((await admin!.get({ index, id: "a" })).found, true);
    assert.equal(await store.get("a"), undefined);
    assert.deepEqual(await store.keys(), ["forever"]);
    assert.equal(await store.delete("a"), false);
    assert.equal((await admin!.get({ index, id: "a" }, { ignore: [404] })).found, false);
    assert.equal(await store.deleteMany(["b", "c", "forever", "missing", "b"]), 1);
    assert.equal(await store.delete("forever"), false);
    assert.equal(await store.cull(), 1); // "d"
    assert.deepEqual(await store.collections(), []);
    await store.close();
  });

  test("ElasticsearchStore keeps collections apart that differ in case or look sanitized", async () => {
    const store = newStore();
    await store.put("k", { n: 1 }, { collection: "a" });
    await store.put("k", { n: 2 }, { collection: "A" });
    const lookalike = new ElasticsearchV1CollectionSanitizationStrategy().sanitize("A")
      .toLowerCase();
    await store.put("k", { n: 3 }, { collection: lookalike });
    assert.deepEqual(
      await Promise.all(["a", "A", lookalike].map((collection) => store.get("k", { collection }))),
      [{ n: 1 }, { n: 2 }, { n: 3 }],
    );
    assert.deepEqual((await store.collections()).sort(), ["A", "a", lookalike].sort());
    const indices = Object.keys(await admin!.indices.get({ index: `${store.indexPrefix}-*` }));
    assert.equal(indices.length, 3);
    const passthrough = newStore({ collectionSanitizationStrategy: new PassthroughStrategy() });
    await assert.rejects(passthrough.put("k", { n: 1 }, { collection: "A" }), InvalidKeyError);
    await store.close();
    await passthrough.close();
  });

  test("ElasticsearchStore reads a document that names another collection or key as a miss", async () => {
    const store = newStore();
    await store.put("mine", { n: 1 }, { collection: "c" });
    const index = `${store.indexPrefix}-c`;
    const foreign = { collection: "other", key: "k", value: { flattened: { n: 9 } }, version: 1 };
    await admin!.index({ index, id: "k", document: foreign, refresh: true });
    await admin!.index({
      index,
      id: "j",
      document: { ...foreign, collection: "c" },
      refresh: true,
    });
    assert.equal(await store.get("k", { collection: "c" }), undefined);
    assert.equal(await store.get("j", { collection: "c" }), undefined);
    assert.deepEqual(await store.getMany(["k", "j", "mine"], { collection: "c" }), [
      undefined,
      undefined,
      { n: 1 },
    ]);
    assert.equal(await store.delete("k", { collection: "c" }), false);
    assert.equal(await store.deleteMany(["k", "j"], { collection: "c" }), 0);
    assert.equal((await admin!.get({ index, id: "k" })).found, true, "another entry's document");
    await store.close();
  });
});
