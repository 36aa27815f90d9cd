// MemcachedStore against a real memcached: the conformance suite (each test
// in its own prefix, since memcached has no databases and the store no
// destroy), the raw layout, hashed names, and expiry beyond 30 days.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Client } from "memjs";
import { InvalidKeyError } from "../../core/errors.ts";
import { MemcachedV1KeySanitizationStrategy } from "../../stores/memcached/sanitization.ts";
import { sha256Hex } from "../../core/_sha256.ts";
import { MemcachedStore } from "../../stores/memcached/mod.ts";
import { testConformance } from "../../testing/conformance.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";

const url = serviceUrl("memcached") ?? "";
const skip = { ...skipUnless(url || undefined, "memcached"), timeout: 60_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function raw(): Client {
  return Client.create(url, { logger: { log() {} } });
}

async function rawText(client: Client, name: string): Promise<string | undefined> {
  const { value } = await client.get(name);
  return value === null ? undefined : new TextDecoder().decode(value);
}

if (url) {
  testConformance("MemcachedStore", {
    factory: ({ clock }) => new MemcachedStore({ url, prefix: `t${uniqueSuffix()}:`, clock }),
    clock: true,
    construct: (extra) => new MemcachedStore({ url, prefix: `t${uniqueSuffix()}:`, ...extra }),
    // memcached's default item limit is 1 MB, envelope included.
    maxValueBytes: 1_000_000,
    propertyRuns: 50,
  });
}

test("MemcachedStore stores collection::key holding the v1 envelope", skip, async () => {
  const prefix = `layout${uniqueSuffix()}:`;
  await using store = new MemcachedStore({ url, prefix });
  const client = raw();
  try {
    await store.put("ada", { admin: true }, { collection: "users", ttl: 60 });
    const envelope = JSON.parse((await rawText(client, `${prefix}users::ada`))!);
    assert.deepEqual(Object.keys(envelope), [
      "collection",
      "created_at",
      "expires_at",
      "key",
      "value",
      "version",
    ]);
    assert.equal(envelope.collection, "users");
    assert.equal(envelope.key, "ada");
    assert.deepEqual(envelope.value, { admin: true });
  } finally {
    client.close();
  }
});

test("MemcachedStore hashes names memcached cannot hold, and keeps them apart", skip, async () => {
  const prefix = `hash${uniqueSuffix()}:`;
  await using store = new MemcachedStore({ url, prefix });
  const client = raw();
  try {
    const long = "ключ".repeat(40); // 160 characters, 320 bytes
    await store.put(long, { n: 1 });
    await store.put("with space", { n: 2 });
    await store.put("tab\there", { n: 3 });
    const hashed = `H_${sha256Hex(`${prefix}default_collection::${long}`)}`;
    assert.equal(JSON.parse((await rawText(client, hashed))!).key, long);
    assert.deepEqual(await store.getMany([long, "with space", "tab\there"]), [
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
    assert.equal(await store.delete("with space"), true);
    assert.equal(await store.get("with space"), undefined);
  } finally {
    client.close();
  }
});

test("MemcachedStore with py-key-value's V1 strategy uses its names", skip, async () => {
  const collection = `v1${uniqueSuffix()}`;
  await using store = new MemcachedStore({
    url,
    keySanitizationStrategy: new MemcachedV1KeySanitizationStrategy(),
  });
  const client = raw();
  try {
    const long = "k".repeat(300);
    await store.put("short", { n: 1 }, { collection });
    await store.put(long, { n: 2 }, { collection });
    assert.ok(await rawText(client, `${collection}::short`));
    assert.ok(await rawText(client, `H_${sha256Hex(`${collection}::${long}`)}`));
    assert.deepEqual(await store.get(long, { collection }), { n: 2 });
    await assert.rejects(store.put("a b", { n: 3 }, { collection }), InvalidKeyError);
    await assert.rejects(store.put("k", { n: 3 }, { collection: "H_x" }), InvalidKeyError);
  } finally {
    client.close();
  }
});

test("MemcachedStore keeps an entry whose TTL is beyond 30 days", skip, async () => {
  const prefix = `long${uniqueSuffix()}:`;
  await using store = new MemcachedStore({ url, prefix });
  const client = raw();
  try {
    await store.put("k", { n: 1 }, { ttl: 40 * 24 * 3600 });
    assert.ok(await rawText(client, `${prefix}default_collection::k`), "item dropped at once");
    const [value, ttl] = await store.ttl("k");
    assert.deepEqual(value, { n: 1 });
    assert.ok(ttl! > 40 * 24 * 3600 - 5);
  } finally {
    client.close();
  }
});

test(
  "MemcachedStore hides an entry at its sub-second TTL and memcached drops it soon after",
  skip,
  async () => {
    const prefix = `short${uniqueSuffix()}:`;
    await using store = new MemcachedStore({ url, prefix });
    const client = raw();
    try {
      await store.put("k", { n: 1 }, { ttl: 0.3 });
      await sleep(400);
      assert.equal(await store.get("k"), undefined);
      await sleep(1_800);
      assert.equal(await rawText(client, `${prefix}default_collection::k`), undefined);
    } finally {
      client.close();
    }
  },
);
