// Integration cases shared by RedisStore and ValkeyStore (one implementation,
// tested against each real server): the conformance suite, the raw layout on
// the server, destroy() sparing foreign keys, keys() over 25,000 keys, the
// prefix option and client ownership.

import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidKeyError } from "../../core/errors.ts";
import type { RespClient } from "../../stores/_resp/types.ts";
import type { RespStore, RespStoreOptions } from "../../stores/_resp/store.ts";
import { testConformance } from "../../testing/_conformance.ts";
import { uniqueSuffix } from "../_services.ts";

/** A raw client of the library under test, for checking what is on the server. */
export interface RawClient extends RespClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  pttl(key: string): Promise<number>;
  hset(key: string, field: string, value: string): Promise<unknown>;
  exists(...keys: string[]): Promise<number>;
  del(...keys: string[]): Promise<number>;
  listenerCount(event: string): number;
}

/** How a test file builds stores and raw clients on one server and database. */
export interface RespTarget {
  /** The store's name, as in test names. */
  name: string;
  /** A store over `url` and `db` with extra options. */
  store: (
    options: RespStoreOptions & { url?: string; db?: number; client?: RespClient },
  ) => RespStore;
  /** A raw client on the same database. */
  raw: () => RawClient;
  /** The server URL. */
  url: string;
  /** The logical database this file owns. */
  db: number;
}

const CAPABILITIES = [
  "keys",
  "collections",
  "destroyCollection",
  "destroy",
  "putIfAbsent",
] as const;

/** Registers the shared cases for one store class on one server. */
export function respCases(target: RespTarget): void {
  const { name, url, db } = target;
  const store = (options: RespStoreOptions = {}) => target.store({ url, db, ...options });

  testConformance(name, {
    // A prefix of its own per test, so that runs on one server never meet.
    factory: ({ clock }) => store({ prefix: `t${uniqueSuffix()}:`, clock }),
    clock: true,
    construct: (extra) => target.store({ url, db, prefix: `t${uniqueSuffix()}:`, ...extra }),
    capabilities: CAPABILITIES,
    // The layout is collection::key: a collection holding "::" is refused.
    refusedCollections: ["a::b"],
    propertyRuns: 50,
  });

  test(`${name} stores collection::key holding the v1 envelope, with PX expiry`, async () => {
    await using s = store();
    const raw = target.raw();
    try {
      await s.destroy();
      const before = Date.now();
      await s.put("ada", { admin: true, tags: ["x"] }, { collection: "users", ttl: 60.5 });
      await s.put("bob", { admin: false }, { collection: "users" });
      const envelope = JSON.parse((await raw.get("users::ada"))!);
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
      assert.equal(envelope.version, 1);
      assert.deepEqual(envelope.value, { admin: true, tags: ["x"] });
      assert.match(envelope.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
      const expiresAt = Date.parse(envelope.expires_at);
      assert.ok(Math.abs(expiresAt - (before + 60_500)) < 1_000, envelope.expires_at);
      const pttl = await raw.pttl("users::ada");
      assert.ok(pttl > 59_000 && pttl <= 60_500, `PTTL ${pttl} should be about 60500 ms`);
      assert.equal(await raw.pttl("users::bob"), -1, "no TTL means no expiry on the server");
      assert.equal(JSON.parse((await raw.get("users::bob"))!).expires_at, undefined);
      await s.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { collection: "many", ttl: 0.25 });
      const manyTtl = await raw.pttl("many::b");
      assert.ok(manyTtl > 0 && manyTtl <= 250, `putMany PTTL ${manyTtl} should be at most 250 ms`);
      await s.putMany(["c"], [{ n: 3 }], { collection: "many" });
      assert.equal(await raw.pttl("many::c"), -1);
    } finally {
      raw.disconnect();
    }
  });

  test(`${name}.destroy() deletes only its own entries; foreign keys survive`, async () => {
    await using s = store();
    const raw = target.raw();
    try {
      await s.put("k", { n: 1 }, { collection: "mine" });
      await raw.set("session:abc", "foreign");
      await raw.set("foreign::plain", "not json");
      await raw.set("foreign::json", '{"value":{"a":1}}');
      await raw.set("foreign::lying", '{"collection":"other","key":"x","value":{}}');
      await raw.hset("foreign::hash", "field", "value");
      assert.equal(await s.destroyCollection("foreign"), false);
      assert.equal(await s.destroy(), true);
      assert.equal(await s.get("k", { collection: "mine" }), undefined);
      assert.equal(
        await raw.exists(
          "session:abc",
          "foreign::plain",
          "foreign::json",
          "foreign::lying",
          "foreign::hash",
        ),
        5,
      );
      assert.deepEqual(await s.keys({ collection: "mine" }), []);
    } finally {
      raw.disconnect();
    }
  });

  test(
    `${name}.keys() returns all of 25,000 keys, following the SCAN cursor`,
    { timeout: 60_000 },
    async () => {
      await using s = store();
      await s.destroy();
      const keys = Array.from({ length: 25_000 }, (_, i) => `key-${i}`);
      for (let i = 0; i < keys.length; i += 5_000) {
        const chunk = keys.slice(i, i + 5_000);
        await s.putMany(chunk, chunk.map((_, j) => ({ j })), { collection: "big" });
      }
      await s.put("elsewhere", { n: 1 }, { collection: "big2" });
      const started = performance.now();
      const listed = await s.keys({ collection: "big" });
      const ms = performance.now() - started;
      assert.equal(listed.length, 25_000);
      assert.deepEqual(new Set(listed), new Set(keys));
      console.log(`${name}.keys() over 25,000 keys took ${ms.toFixed(0)} ms`);
      assert.equal((await s.keys({ collection: "big", limit: 10 })).length, 10);
      assert.ok(await s.destroyCollection("big"));
      assert.deepEqual(await s.keys({ collection: "big" }), []);
      assert.deepEqual(await s.keys({ collection: "big2" }), ["elsewhere"]);
    },
  );

  test(`${name} tells collections apart when names contain ':' or glob characters`, async () => {
    await using s = store({ prefix: "sep:" });
    await s.destroy();
    await s.put("b::k", { n: 1 }, { collection: "a" });
    await s.put("k", { n: 2 }, { collection: "a:c" });
    await s.put("k", { n: 3 }, { collection: "a*" });
    await s.put("k", { n: 4 }, { collection: "ab" });
    // "a::b" + "k" would be the name of "a" + "b::k": refused.
    await assert.rejects(s.put("k", { n: 5 }, { collection: "a::b" }), InvalidKeyError);
    assert.deepEqual(await s.keys({ collection: "a" }), ["b::k"]);
    assert.deepEqual(await s.keys({ collection: "a:c" }), ["k"]);
    assert.deepEqual(await s.keys({ collection: "a*" }), ["k"]);
    assert.deepEqual((await s.collections()).sort(), ["a", "a*", "a:c", "ab"]);
    assert.equal(await s.destroyCollection("a"), true);
    assert.equal(await s.get("b::k", { collection: "a" }), undefined);
    assert.deepEqual(await s.get("k", { collection: "a:c" }), { n: 2 });
    assert.deepEqual(await s.get("k", { collection: "a*" }), { n: 3 });
    assert.deepEqual(await s.get("k", { collection: "ab" }), { n: 4 });
  });

  test(`${name} with a prefix keeps its entries apart from unprefixed ones`, async () => {
    await using plain = store();
    await using prefixed = store({ prefix: "app1:" });
    await plain.destroy();
    await prefixed.put("k", { n: 1 });
    await plain.put("k", { n: 2 });
    const raw = target.raw();
    try {
      assert.equal(JSON.parse((await raw.get("app1:default_collection::k"))!).value.n, 1);
    } finally {
      raw.disconnect();
    }
    await prefixed.destroy();
    assert.deepEqual(await plain.get("k"), { n: 2 });
    assert.equal(await prefixed.get("k"), undefined);
    assert.deepEqual(await prefixed.collections(), []);
    assert.ok((await plain.collections()).includes("default_collection"));
  });

  test(`${name} reads a key holding another Redis type as missing`, async () => {
    const raw = target.raw();
    const given = target.raw();
    const at = { collection: "typed" };
    try {
      await raw.hset("typed::hash", "field", "value");
      await using own = store();
      const yours = target.store({ client: given });
      await own.put("text", { n: 1 }, at);
      for (const s of [own, yours]) {
        assert.equal(await s.get("hash", at), undefined, "a lone get (GET)");
        assert.deepEqual(await s.ttl("hash", at), [undefined, undefined]);
        assert.deepEqual(
          await Promise.all([s.get("hash", at), s.get("text", at)]),
          [undefined, { n: 1 }],
          "gets in one tick (on a created client: a GET, then one MGET for the rest)",
        );
        assert.deepEqual(await s.getMany(["hash", "text"], at), [undefined, { n: 1 }]);
      }
    } finally {
      await raw.del("typed::hash", "typed::text");
      raw.disconnect();
      given.disconnect();
    }
  });

  test(`${name} keeps reads and writes of one tick in call order`, async () => {
    await using s = store();
    const at = { collection: "order" };
    await s.put("k", { n: 1 }, at);
    // Reads of one tick go out as a GET and an MGET; a write in between
    // must still land between them.
    const results = await Promise.all([
      s.get("k", at),
      s.get("k", at),
      s.put("k", { n: 2 }, at),
      s.get("k", at),
      s.delete("k", at),
      s.get("k", at),
      s.get("k", at),
    ]);
    assert.deepEqual(results, [
      { n: 1 },
      { n: 1 },
      undefined,
      { n: 2 },
      true,
      undefined,
      undefined,
    ]);
  });

  test(`${name} never closes, nor listens on, a client it was given`, async () => {
    const client = target.raw();
    const listeners = client.listenerCount("error");
    const s = target.store({ client });
    await s.put("k", { n: 1 });
    await s.close();
    assert.equal(client.listenerCount("error"), listeners);
    assert.equal(await client.get("default_collection::k") !== null, true);
    client.disconnect();
  });
}
