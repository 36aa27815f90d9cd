// Integration cases shared by RedisStore and ValkeyStore on names and
// values: the layout `collection::key` kept injective (a collection with
// `::` or a trailing `:` refused; an entry whose envelope names another pair
// is a miss, never listed nor deleted), names that are not well-formed
// UTF-16 refused, values stored as validated at the call (never a toJSON),
// and delete/putIfAbsent of an entry the store's clock has expired. Every
// test works under its own prefix, so it never sees another's data.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { Clock } from "../../core/clock.ts";
import { InvalidKeyError } from "../../core/errors.ts";
import type { Value } from "../../core/protocol.ts";
import type { RespStore } from "../../stores/_resp/store.ts";
import { uniqueSuffix } from "../_services.ts";
import type { RawClient, RespTarget } from "./_resp_cases.ts";

/** An envelope as py-key-value writes it for `collection` and `key`. */
function envelope(collection: string, key: string, value: Value): string {
  return JSON.stringify({
    collection,
    created_at: "2026-01-01T00:00:00.000000+00:00",
    key,
    value,
    version: 1,
  });
}

/** Registers the cases for one store class on one server. */
export function respStrictCases(target: RespTarget): void {
  const { name, url, db } = target;
  const scoped = (extra: { clock?: Clock } = {}) => {
    const prefix = `strict${uniqueSuffix()}:`;
    return { prefix, store: target.store({ url, db, prefix, ...extra }) };
  };
  const withRaw = async (fn: (raw: RawClient) => Promise<void>) => {
    const raw = target.raw();
    try {
      await fn(raw);
    } finally {
      raw.disconnect();
    }
  };

  test(`${name} refuses a collection with '::' or a trailing ':' on every method`, async () => {
    const { prefix, store: s } = scoped();
    await using _ = s;
    await s.put("k", { n: 1 }, { collection: "a" });
    for (const collection of ["a::b", "a:", "::", ":", "a::", "x::y::z"]) {
      const at = { collection };
      const calls: [string, () => Promise<unknown>][] = [
        ["get", () => s.get("k", at)],
        ["getMany", () => s.getMany(["k"], at)],
        ["ttl", () => s.ttl("k", at)],
        ["ttlMany", () => s.ttlMany(["k"], at)],
        ["put", () => s.put("k", { n: 2 }, at)],
        ["putMany", () => s.putMany(["k", "j"], [{ n: 2 }, { n: 3 }], { ...at, ttl: 60 })],
        ["putIfAbsent", () => s.putIfAbsent("k", { n: 2 }, at)],
        ["delete", () => s.delete("k", at)],
        ["deleteMany", () => s.deleteMany(["k"], at)],
        ["keys", () => s.keys(at)],
        ["destroyCollection", () => s.destroyCollection(collection)],
      ];
      for (const [method, call] of calls) {
        await assert.rejects(call(), (error: Error) => {
          assert.ok(error instanceof InvalidKeyError, `${method}(${collection}): ${error}`);
          assert.match(error.message, /must not contain "::" nor end with ":"/);
          return true;
        });
      }
    }
    assert.throws(
      () => target.store({ url, db, prefix, defaultCollection: "a::b" }),
      InvalidKeyError,
    );
    assert.throws(
      () => target.store({ url, db, prefix, seed: { "a:": { k: { n: 1 } } } }),
      InvalidKeyError,
    );
    await withRaw(async (raw) => {
      assert.deepEqual(await raw.call("KEYS", [`${prefix}*`]), [`${prefix}a::k`]);
    });
  });

  test(`${name} keeps apart every pair of names around ':' and '::'`, async () => {
    const { store: s } = scoped();
    await using _ = s;
    const collections = ["a", ":a", "a:b", ":", "a:", "::a", ":a:", "a::b"].filter(
      (c) => !c.includes("::") && !c.endsWith(":"),
    );
    assert.deepEqual(collections, ["a", ":a", "a:b"]);
    const keys = [":", "::", ":b", "b:", "b", "::b", "b::", ":::", "a::b"];
    for (const [c, collection] of collections.entries()) {
      await s.putMany(keys, keys.map((_, k) => ({ c, k })), { collection });
    }
    for (const [c, collection] of collections.entries()) {
      assert.deepEqual(await s.getMany(keys, { collection }), keys.map((_, k) => ({ c, k })));
      assert.deepEqual((await s.keys({ collection })).sort(), [...keys].sort());
    }
    assert.deepEqual((await s.collections()).sort(), [...collections].sort());
    assert.equal(await s.destroyCollection(":a"), true);
    assert.deepEqual(await s.getMany(keys, { collection: ":a" }), keys.map(() => undefined));
    assert.deepEqual(await s.get("::b", { collection: "a" }), { c: 0, k: 5 });
    assert.deepEqual(await s.get(":b", { collection: "a:b" }), { c: 2, k: 2 });
  });

  test(`${name} reads an entry whose envelope names another pair as missing`, async () => {
    const { prefix, store: s } = scoped();
    await using _ = s;
    // What py-key-value writes for collections this store refuses, and a lie.
    const foreign: Record<string, string> = {
      [`${prefix}a::b::c`]: envelope("a::b", "c", { py: 1 }),
      [`${prefix}a:::b`]: envelope("a:", "b", { py: 2 }),
      [`${prefix}a::lying`]: envelope("other", "lying", { py: 3 }),
      [`${prefix}q::b::c`]: envelope("q::b", "c", { py: 4 }),
    };
    await withRaw(async (raw) => {
      for (const [key, text] of Object.entries(foreign)) await raw.set(key, text);
      await s.put("own", { n: 1 }, { collection: "a" });
      const at = { collection: "a" };
      const theirs = ["b::c", ":b", "lying"];
      for (const key of theirs) {
        assert.equal(await s.get(key, at), undefined, key);
        assert.deepEqual(await s.ttl(key, at), [undefined, undefined], key);
      }
      assert.deepEqual(await s.getMany([...theirs, "own"], at), [undefined, undefined, undefined, {
        n: 1,
      }]);
      assert.deepEqual(
        await Promise.all([...theirs, "own"].map((key) => s.get(key, at))),
        [undefined, undefined, undefined, { n: 1 }],
        "reads of one tick (a GET, then one MGET)",
      );
      assert.deepEqual(
        (await s.ttlMany(theirs, at)).flat(),
        theirs.flatMap(() => [undefined, undefined]),
      );
      assert.deepEqual(await s.keys(at), ["own"]);
      assert.deepEqual(await s.collections(), ["a"]);
      assert.equal(await s.delete("b::c", at), false);
      assert.equal(await s.deleteMany(theirs, at), 0);
      assert.equal(await s.destroyCollection("q"), false);
      assert.equal(await s.destroyCollection("a"), true);
      assert.equal(await s.destroy(), true);
      assert.equal(await raw.exists(...Object.keys(foreign)), 4, "foreign entries survive");
      for (const [key, text] of Object.entries(foreign)) assert.equal(await raw.get(key), text);
      // What get() reports missing, putIfAbsent() fills (as put() would).
      assert.equal(await s.putIfAbsent("b::c", { n: 2 }, at), true);
      assert.deepEqual(await s.get("b::c", at), { n: 2 });
      assert.equal(await s.putIfAbsent("b::c", { n: 3 }, at), false);
    });
  });

  test(`${name} refuses names that are not well-formed UTF-16 and stays unchanged`, async () => {
    const { prefix, store: s } = scoped();
    await using _ = s;
    await s.put("keep", { n: 1 });
    for (const lone of ["\uD800", "\uDC00", "a\uD801"]) {
      await assert.rejects(s.put(lone, { n: 2 }), InvalidKeyError);
      await assert.rejects(s.putMany(["fine", lone], [{ n: 3 }, { n: 4 }]), InvalidKeyError);
      await assert.rejects(s.putIfAbsent(lone, { n: 5 }), InvalidKeyError);
      await assert.rejects(s.get(lone), InvalidKeyError);
      await assert.rejects(s.delete(lone), InvalidKeyError);
      await assert.rejects(s.put("k", { n: 6 }, { collection: lone }), InvalidKeyError);
      await assert.rejects(s.keys({ collection: lone }), InvalidKeyError);
    }
    // "\uD800" and "\uD801" would both become U+FFFD on the server: one entry.
    assert.equal(await s.get("\uFFFD"), undefined);
    assert.equal(await s.get("a\uFFFD"), undefined);
    assert.deepEqual(await s.keys(), ["keep"]);
    assert.deepEqual(await s.collections(), ["default_collection"]);
    await withRaw(async (raw) => {
      assert.deepEqual(await raw.call("KEYS", [`${prefix}*`]), [
        `${prefix}default_collection::keep`,
      ]);
    });
  });

  test(`${name} stores each value as validated at the call, never its toJSON`, async () => {
    const hidden = { n: 1 };
    Object.defineProperty(hidden, "toJSON", { value: () => ({ hacked: 1 }) });
    const list = Object.assign([1, 2], { toJSON: () => "hacked" });
    const writes: Record<string, (s: RespStore, key: string, value: Value) => Promise<unknown>> = {
      put: (s, key, value) => s.put(key, value),
      "put with a TTL": (s, key, value) => s.put(key, value, { ttl: 60 }),
      "putMany (MSET)": (s, key, value) => s.putMany([key, `${key}2`], [value, value]),
      "putMany with a TTL (pipeline)": (s, key, value) => s.putMany([key], [value], { ttl: 60 }),
      putIfAbsent: (s, key, value) => s.putIfAbsent(key, value),
    };
    await withRaw(async (raw) => {
      for (const [path, write] of Object.entries(writes)) {
        for (const fresh of [true, false]) {
          // A fresh store's first write waits for setup; the second does not.
          const { prefix, store: s } = scoped();
          await using _ = s;
          if (!fresh) await s.get("warm");
          let flipped = false;
          const target = { n: 0, hidden, list };
          const value = new Proxy(target, {
            get: (
              t,
              p,
              r,
            ) => (p === "toJSON" && flipped ? () => ({ hacked: 2 }) : Reflect.get(t, p, r)),
          });
          const written = write(s, "k", value);
          flipped = true;
          target.n = 99;
          await written;
          const expected = { n: 0, hidden: { n: 1 }, list: [1, 2] };
          const text = await raw.get(`${prefix}default_collection::k`);
          assert.deepEqual(JSON.parse(text!).value, expected, `${path} (fresh: ${fresh})`);
          assert.deepEqual(await s.get("k"), expected, `${path} (fresh: ${fresh})`);
        }
      }
    });
  });

  test(`${name}.delete() resolves false for an entry its clock has expired`, async () => {
    let now = Date.now();
    const { prefix, store: s } = scoped({ clock: { now: () => now } });
    await using _ = s;
    await s.put("k", { n: 1 }, { ttl: 10 });
    await s.putMany(["j", "i"], [{ n: 2 }, { n: 3 }], { ttl: 10 });
    await s.put("live", { n: 4 });
    now += 10_000; // exactly at the deadline: expired, while the server keeps it 10 s
    await withRaw(async (raw) => {
      const name = (key: string) => `${prefix}default_collection::${key}`;
      assert.equal(await raw.exists(name("k"), name("j"), name("i")), 3);
      assert.equal(await s.get("k"), undefined);
      assert.equal(await s.delete("k"), false);
      assert.equal(await s.deleteMany(["j", "live", "missing", "i"]), 1);
      assert.equal(await raw.exists(name("k"), name("j"), name("i"), name("live")), 0);
    });
  });

  test(`${name}.putIfAbsent() stores over an entry its clock has expired`, async () => {
    let now = Date.now();
    const { store: s } = scoped({ clock: { now: () => now } });
    await using _ = s;
    await s.put("k", { n: 1 }, { ttl: 10 });
    assert.equal(await s.putIfAbsent("k", { n: 2 }), false);
    now += 10_000;
    assert.equal(await s.putIfAbsent("k", { n: 3 }, { ttl: 5 }), true);
    assert.deepEqual(await s.ttl("k"), [{ n: 3 }, 5]);
    assert.equal(await s.putIfAbsent("k", { n: 4 }), false);
  });

  test(`${name} deletes and replaces values nested deeper than the server's cjson decodes`, async () => {
    let now = Date.now();
    const { prefix, store: s } = scoped({ clock: { now: () => now } });
    await using _ = s;
    let deep: Value = { leaf: 1 };
    for (let i = 0; i < 1_200; i++) deep = { d: deep };
    await s.putMany(["a", "b", "c"], [deep, deep, deep], { ttl: 10 });
    await s.put("live", deep);
    assert.equal(JSON.stringify(await s.get("a")), JSON.stringify(deep));
    assert.equal(await s.delete("live"), true);
    assert.equal(await s.putIfAbsent("a", { n: 1 }), false);
    now += 10_000;
    assert.equal(await s.delete("a"), false, "expired by the clock");
    assert.equal(await s.deleteMany(["b", "missing"]), 0);
    assert.equal(await s.putIfAbsent("c", { n: 2 }), true);
    assert.deepEqual(await s.get("c"), { n: 2 });
    await withRaw(async (raw) => {
      const name = (key: string) => `${prefix}default_collection::${key}`;
      assert.equal(await raw.exists(name("a"), name("b"), name("live")), 0);
    });
  });
}
