import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  DeserializationError,
  KeyValueStoreError,
  ValueTooLargeError,
} from "../../../../core/errors.ts";
import { DenoKvStore } from "../../../../stores/deno_kv/mod.ts";
import { MAX_VALUE_BYTES } from "../../../../stores/deno_kv/_keys.ts";
import { openDenoKv } from "../../../../stores/deno_kv/_open.ts";
import { testConformance } from "../../../../testing/_conformance.ts";

const ALL = ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"] as const;

testConformance("DenoKvStore", {
  factory: ({ clock }) => new DenoKvStore({ path: ":memory:", clock }),
  clock: true,
  construct: (extra) => new DenoKvStore({ path: ":memory:", ...extra }),
  capabilities: ALL,
  maxValueBytes: MAX_VALUE_BYTES - 512,
  propertyRuns: 50,
});

const base = await mkdtemp(join(tmpdir(), "kv-deno-kv-"));
after(() => rm(base, { recursive: true, force: true }));
const decoder = new TextDecoder();

test("DenoKvStore stores [prefix, collection, key] holding the envelope as UTF-8 bytes", async () => {
  const kv = await openDenoKv(":memory:");
  try {
    const store = new DenoKvStore({ kv, prefix: ["app", 1] });
    await store.put("user:1", { name: "Ada" }, { collection: "users", ttl: 60 });
    const raw = await kv.get(["app", 1, "users", "user:1"]);
    assert.ok(raw.value instanceof Uint8Array);
    const envelope = JSON.parse(decoder.decode(raw.value));
    assert.deepEqual(Object.keys(envelope), [
      "collection",
      "created_at",
      "expires_at",
      "key",
      "value",
      "version",
    ]);
    assert.deepEqual(envelope.value, { name: "Ada" });
    assert.equal(envelope.key, "user:1");
    assert.equal(envelope.collection, "users");
  } finally {
    kv.close();
  }
});

test("DenoKvStore never closes a kv it was given, and closes one it opened", async () => {
  const kv = await openDenoKv(":memory:");
  const store = new DenoKvStore({ kv });
  await store.put("k", { n: 1 });
  await store.close();
  assert.equal((await kv.get(["default_collection", "k"])).versionstamp !== null, true);
  kv.close();
  const owned = new DenoKvStore({ path: ":memory:" });
  await owned.put("k", { n: 1 });
  await owned.close();
  await assert.rejects(owned.get("k"), KeyValueStoreError);
});

test("DenoKvStore stores long names under a digest and hands back the originals", async () => {
  await using store = new DenoKvStore({ path: ":memory:" });
  const collection = "test_collection".repeat(100);
  const key = "ключ/".repeat(400);
  await store.put(key, { long: true }, { collection });
  await store.put("short", { long: false }, { collection });
  await store.put("k", { n: 1 }, { collection: "c" });
  assert.deepEqual(await store.get(key, { collection }), { long: true });
  assert.deepEqual((await store.keys({ collection })).sort(), [key, "short"].sort());
  assert.deepEqual((await store.collections()).sort(), ["c", collection].sort());
  assert.equal(await store.get(key.slice(0, -1), { collection }), undefined);
  assert.equal(await store.destroyCollection(collection), true);
  assert.deepEqual(await store.collections(), ["c"]);
});

test("DenoKvStore refuses a value over Deno KV's limit with ValueTooLargeError", async () => {
  await using store = new DenoKvStore({ path: ":memory:" });
  await store.put("k", { n: 1 });
  const big = { text: "x".repeat(MAX_VALUE_BYTES) };
  await assert.rejects(store.put("k", big), ValueTooLargeError);
  await assert.rejects(store.putMany(["a", "k"], [{ n: 2 }, big]), ValueTooLargeError);
  await assert.rejects(store.putIfAbsent("new", big), ValueTooLargeError);
  assert.deepEqual(await store.getMany(["k", "a", "new"]), [{ n: 1 }, undefined, undefined]);
});

test("DenoKvStore.putMany() and deleteMany() split batches to fit Deno KV's limits", async () => {
  await using store = new DenoKvStore({ path: ":memory:" });
  const keys = Array.from({ length: 2_500 }, (_, i) => `k${i}`);
  await store.putMany(keys, keys.map((_, i) => ({ i })), { ttl: 600 });
  const values = await store.getMany(keys);
  assert.ok(values.every((value, i) => value?.i === i));
  const large = Array.from({ length: 30 }, (_, i) => `big${i}`);
  await store.putMany(large, large.map((_, i) => ({ i, pad: "p".repeat(60_000) })));
  assert.equal((await store.getMany(large)).filter(Boolean).length, 30);
  assert.equal(await store.deleteMany([...keys, ...large, "missing"]), 2_530);
  assert.deepEqual(await store.keys(), []);
});

test("DenoKvStore.collections() skips from collection to collection and honours limit", async () => {
  await using store = new DenoKvStore({ path: ":memory:", prefix: "p" });
  const names = Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, "0")}`);
  for (const name of names) {
    await store.putMany(["a", "b", "c"], [{}, {}, {}], { collection: name });
  }
  await store.put("gone", {}, { collection: "expired", ttl: 0.05 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(await store.collections(), names);
  assert.deepEqual(await store.collections({ limit: 5 }), names.slice(0, 5));
});

test("DenoKvStore.destroy() deletes only its own keys", async () => {
  const kv = await openDenoKv(":memory:");
  try {
    await kv.set(["users", 42], new TextEncoder().encode("foreign"));
    await kv.set(["other", "x"], new TextEncoder().encode('{"not": "an envelope"}'));
    await kv.set(["deep", "a", "b"], new TextEncoder().encode("{}"));
    const plain = new DenoKvStore({ kv });
    const prefixed = new DenoKvStore({ kv, prefix: "mine" });
    await plain.put("k", { n: 1 });
    await prefixed.put("k", { n: 2 });
    assert.equal(await prefixed.destroy(), true);
    assert.deepEqual(await plain.get("k"), { n: 1 });
    assert.equal(await plain.destroy(), true);
    assert.equal(await plain.get("k"), undefined);
    for (const key of [["users", 42], ["other", "x"], ["deep", "a", "b"]]) {
      assert.notEqual((await kv.get(key)).versionstamp, null, JSON.stringify(key));
    }
  } finally {
    kv.close();
  }
});

test("DenoKvStore.cull() deletes expired entries from Deno KV at once", async () => {
  const kv = await openDenoKv(":memory:");
  try {
    const store = new DenoKvStore({ kv });
    await store.putMany(["a", "b"], [{}, {}], { ttl: 0.05 });
    await store.put("live", {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await store.cull(), 2);
    assert.equal((await kv.get(["default_collection", "a"])).versionstamp, null);
    assert.deepEqual(await store.keys(), ["live"]);
  } finally {
    kv.close();
  }
});

test("DenoKvStore reads undecodable data as DeserializationError and skips it in listings", async () => {
  const kv = await openDenoKv(":memory:");
  try {
    await kv.set(["default_collection", "bad"], new TextEncoder().encode("{oops"));
    const store = new DenoKvStore({ kv });
    await assert.rejects(store.get("bad"), DeserializationError);
    assert.deepEqual(await store.keys(), []);
    assert.equal(await store.putIfAbsent("bad", { n: 1 }), false);
  } finally {
    kv.close();
  }
});

test("DenoKvStore refuses options without exactly one of kv and path", () => {
  assert.throws(() => new DenoKvStore({}), TypeError);
  assert.throws(() => new DenoKvStore({ path: "" }), TypeError);
  assert.throws(() => new DenoKvStore({ path: ":memory:", prefix: "x".repeat(600) }), TypeError);
});
