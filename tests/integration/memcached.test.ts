// MemcachedStore against a real memcached: the conformance suite (each test
// in its own prefix, since memcached has no databases and the store no
// destroy), the raw layout, hashed names, and expiry beyond 30 days.

import assert from "node:assert/strict";
import { once } from "node:events";
import { createConnection } from "node:net";
import { test } from "node:test";
import { Client } from "memjs";
import { InvalidKeyError } from "../../core/errors.ts";
import { MemcachedV1KeySanitizationStrategy } from "../../stores/memcached/sanitization.ts";
import { sha256Hex } from "../../core/_sha256.ts";
import { MemcachedStore } from "../../stores/memcached/mod.ts";
import { testConformance } from "../../testing/_conformance.ts";
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

// The seconds memcached will keep `name` (meta command `mg <name> t`), or
// undefined when it does not hold it; -1 for no expiry.
async function serverTtl(name: string): Promise<number | undefined> {
  const [host, port] = url.replace(/^memcached?:\/\//, "").split(",")[0]!.split(":");
  const socket = createConnection({ host: host!, port: Number(port ?? 11211) });
  try {
    await once(socket, "connect");
    socket.write(`mg ${name} t\r\n`);
    const [chunk] = await once(socket, "data");
    const reply = String(chunk);
    if (reply.startsWith("EN")) return undefined;
    const match = /^HD t(-?\d+)/.exec(reply);
    assert.ok(match, `unexpected reply ${JSON.stringify(reply)}`);
    return Number(match[1]);
  } finally {
    socket.destroy();
  }
}

function envelope(collection: string, key: string, value: Record<string, unknown>): string {
  return JSON.stringify({
    collection,
    created_at: "2026-01-01T00:00:00.000000+00:00",
    key,
    value,
    version: 1,
  });
}

test(
  "MemcachedStore refuses a collection with '::' or a trailing ':' on every method",
  skip,
  async () => {
    const prefix = `strict${uniqueSuffix()}:`;
    await using store = new MemcachedStore({ url, prefix });
    const client = raw();
    try {
      for (const collection of ["a::b", "a:", ":", "::"]) {
        const at = { collection };
        for (
          const call of [
            () => store.get("k", at),
            () => store.getMany(["k"], at),
            () => store.ttl("k", at),
            () => store.put("k", { n: 1 }, at),
            () => store.putMany(["k", "j"], [{ n: 1 }, { n: 2 }], { ...at, ttl: 60 }),
            () => store.delete("k", at),
            () => store.deleteMany(["k"], at),
          ]
        ) {
          await assert.rejects(call(), (error: Error) => {
            assert.ok(error instanceof InvalidKeyError, String(error));
            assert.match(error.message, /must not contain "::" nor end with ":"/);
            return true;
          });
        }
        assert.equal(await rawText(client, `${prefix}${collection}::k`), undefined);
      }
      assert.throws(() => new MemcachedStore({ url, defaultCollection: "a::b" }), InvalidKeyError);
    } finally {
      client.close();
    }
  },
);

test(
  "MemcachedStore reads an entry whose envelope names another pair as missing",
  skip,
  async () => {
    const prefix = `pair${uniqueSuffix()}:`;
    await using store = new MemcachedStore({ url, prefix });
    const client = raw();
    try {
      // What py-key-value writes for collections this store refuses.
      const foreign: Record<string, string> = {
        [`${prefix}a::b::c`]: envelope("a::b", "c", { py: 1 }),
        [`${prefix}a:::b`]: envelope("a:", "b", { py: 2 }),
      };
      for (const [name, text] of Object.entries(foreign)) await client.set(name, text, {});
      const at = { collection: "a" };
      assert.equal(await store.get("b::c", at), undefined);
      assert.deepEqual(await store.ttl(":b", at), [undefined, undefined]);
      assert.deepEqual(await store.getMany(["b::c", ":b"], at), [undefined, undefined]);
      assert.equal(await store.delete("b::c", at), false);
      assert.equal(await store.deleteMany(["b::c", ":b"], at), 0);
      for (const [name, text] of Object.entries(foreign)) {
        assert.equal(await rawText(client, name), text, "foreign entries survive");
      }
      await store.put("b::c", { n: 1 }, at); // replaces it, as put() replaces anything
      assert.deepEqual(await store.get("b::c", at), { n: 1 });
      assert.equal(await store.deleteMany(["b::c", ":b"], at), 1);
    } finally {
      client.close();
    }
  },
);

test(
  "MemcachedStore refuses names that are not well-formed UTF-16 and stays unchanged",
  skip,
  async () => {
    const prefix = `lone${uniqueSuffix()}:`;
    await using store = new MemcachedStore({ url, prefix });
    const client = raw();
    try {
      await store.put("keep", { n: 1 });
      for (const lone of ["\uD800", "\uDC00", "a\uD801"]) {
        await assert.rejects(store.put(lone, { n: 2 }), InvalidKeyError);
        await assert.rejects(store.putMany(["fine", lone], [{ n: 3 }, { n: 4 }]), InvalidKeyError);
        await assert.rejects(store.get(lone), InvalidKeyError);
        await assert.rejects(store.delete(lone), InvalidKeyError);
        await assert.rejects(store.put("k", { n: 5 }, { collection: lone }), InvalidKeyError);
      }
      // "\uD800" and "\uD801" would both become U+FFFD on the wire: one entry.
      assert.deepEqual(await store.getMany(["\uFFFD", "a\uFFFD", "fine"]), [
        undefined,
        undefined,
        undefined,
      ]);
      assert.equal(await rawText(client, `${prefix}default_collection::\uFFFD`), undefined);
      assert.deepEqual(await store.get("keep"), { n: 1 });
    } finally {
      client.close();
    }
  },
);

test(
  "MemcachedStore stores each value as validated at the call, never its toJSON",
  skip,
  async () => {
    const hidden = { n: 1 };
    Object.defineProperty(hidden, "toJSON", { value: () => ({ hacked: 1 }) });
    const list = Object.assign([1, 2], { toJSON: () => "hacked" });
    const writes: Record<
      string,
      (s: MemcachedStore, value: Record<string, unknown>) => Promise<void>
    > = {
      put: (s, value) => s.put("k", value),
      "put with a TTL": (s, value) => s.put("k", value, { ttl: 60 }),
      putMany: (s, value) => s.putMany(["k", "k2"], [value, value]),
      "putMany with a TTL": (s, value) => s.putMany(["k"], [value], { ttl: 60 }),
    };
    const client = raw();
    try {
      for (const [path, write] of Object.entries(writes)) {
        for (const fresh of [true, false]) {
          const prefix = `json${uniqueSuffix()}:`;
          await using store = new MemcachedStore({ url, prefix });
          if (!fresh) await store.get("warm");
          let flipped = false;
          const target = { n: 0, hidden, list };
          const value = new Proxy(target, {
            get: (
              t,
              p,
              r,
            ) => (p === "toJSON" && flipped ? () => ({ hacked: 2 }) : Reflect.get(t, p, r)),
          });
          const written = write(store, value);
          flipped = true;
          target.n = 99;
          await written;
          const expected = { n: 0, hidden: { n: 1 }, list: [1, 2] };
          const text = await rawText(client, `${prefix}default_collection::k`);
          assert.deepEqual(JSON.parse(text!).value, expected, `${path} (fresh: ${fresh})`);
          assert.deepEqual(await store.get("k"), expected, `${path} (fresh: ${fresh})`);
        }
      }
    } finally {
      client.close();
    }
  },
);

test(
  "MemcachedStore.delete() resolves false for an entry its clock has expired",
  skip,
  async () => {
    const prefix = `exp${uniqueSuffix()}:`;
    let now = Date.now();
    await using store = new MemcachedStore({ url, prefix, clock: { now: () => now } });
    const client = raw();
    try {
      await store.put("k", { n: 1 }, { ttl: 10 });
      await store.putMany(["j", "i"], [{ n: 2 }, { n: 3 }], { ttl: 10 });
      await store.put("live", { n: 4 });
      now += 10_000; // exactly at the deadline: expired, while memcached keeps it 10 s
      const name = (key: string) => `${prefix}default_collection::${key}`;
      assert.ok(await rawText(client, name("k")));
      assert.equal(await store.get("k"), undefined);
      assert.equal(await store.delete("k"), false);
      assert.equal(await store.deleteMany(["j", "live", "missing", "i"]), 1);
      for (const key of ["k", "j", "i", "live"]) {
        assert.equal(await rawText(client, name(key)), undefined, key);
      }
    } finally {
      client.close();
    }
  },
);

test("MemcachedStore sets memcached's expiry from the store's clock", skip, async () => {
  const prefix = `clk${uniqueSuffix()}:`;
  const offset = -3_600_000; // the store's clock runs an hour behind the server's
  await using store = new MemcachedStore({
    url,
    prefix,
    clock: { now: () => Date.now() + offset },
  });
  await store.put("short", { n: 1 }, { ttl: 60 });
  await store.put("long", { n: 2 }, { ttl: 40 * 24 * 3600 });
  const short = await serverTtl(`${prefix}default_collection::short`);
  assert.ok(short !== undefined && short >= 55 && short <= 62, `memcached keeps it ${short} s`);
  const long = await serverTtl(`${prefix}default_collection::long`);
  const days40 = 40 * 24 * 3600; // memcached's clock ticks in whole seconds: a few off
  assert.ok(long !== undefined && Math.abs(long - days40) <= 10, `memcached keeps it ${long} s`);
  assert.deepEqual(await store.getMany(["short", "long"]), [{ n: 1 }, { n: 2 }]);
});
