// MemcachedStore without a server: strict options, refused collections that
// send nothing, the envelope check on read and delete, and memjs errors
// mapped by the one ErrorMapper (a fake client stands in for memjs).

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  InvalidKeyError,
  KeyValueStoreError,
  StoreConnectionError,
  ValueTooLargeError,
} from "../../../../core/errors.ts";
import { type MemcachedClient, MemcachedStore } from "../../../../stores/memcached/mod.ts";

const encoder = new TextEncoder();

/** A memjs stand-in over a Map, recording every request. */
class FakeMemcached implements MemcachedClient {
  readonly items = new Map<string, string>();
  readonly sent: string[] = [];
  failure: Error | undefined;
  get(key: string) {
    this.sent.push(`get ${key}`);
    if (this.failure) return Promise.reject(this.failure);
    const text = this.items.get(key);
    return Promise.resolve({ value: text === undefined ? null : encoder.encode(text) });
  }
  set(key: string, value: string) {
    this.sent.push(`set ${key}`);
    if (this.failure) return Promise.reject(this.failure);
    this.items.set(key, value);
    return Promise.resolve(true);
  }
  delete(key: string) {
    this.sent.push(`delete ${key}`);
    if (this.failure) return Promise.reject(this.failure);
    return Promise.resolve(this.items.delete(key));
  }
  close(): void {}
}

test("MemcachedStore refuses an unknown option with a TypeError naming it and the valid ones", () => {
  assert.throws(() => new MemcachedStore({ servers: "10.0.0.5:11211" } as never), (e: Error) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /^Cannot create MemcachedStore: unknown option "servers"/);
    assert.match(e.message, /valid options are: .*\burl\b.*/);
    for (const option of ["client", "clientOptions", "prefix", "keySanitizationStrategy"]) {
      assert.match(e.message, new RegExp(`\\b${option}\\b`));
    }
    assert.doesNotMatch(e.message, /collectionSanitizationStrategy/);
    return true;
  });
  assert.throws(
    () => new MemcachedStore({ collectionSanitizationStrategy: {} } as never),
    /unknown option "collectionSanitizationStrategy"/,
  );
  assert.throws(
    () => new MemcachedStore({ clientOptions: 5 } as never),
    /clientOptions must be an object/,
  );
});

test("MemcachedStore refuses a collection with '::' or a trailing ':' before sending anything", async () => {
  const client = new FakeMemcached();
  const store = new MemcachedStore({ client });
  for (const collection of ["a::b", "a:"]) {
    const at = { collection };
    await assert.rejects(store.get("k", at), InvalidKeyError);
    await assert.rejects(store.getMany(["k"], at), InvalidKeyError);
    await assert.rejects(store.put("k", { n: 1 }, at), InvalidKeyError);
    await assert.rejects(store.putMany(["k"], [{ n: 1 }], at), InvalidKeyError);
    await assert.rejects(store.delete("k", at), InvalidKeyError);
    await assert.rejects(store.deleteMany(["k"], at), InvalidKeyError);
  }
  assert.deepEqual(client.sent, []);
  assert.throws(
    () => new MemcachedStore({ client, seed: { "x::y": { k: { n: 1 } } } }),
    InvalidKeyError,
  );
});

test("MemcachedStore.get() and delete() treat an envelope naming another pair as missing", async () => {
  const client = new FakeMemcached();
  const store = new MemcachedStore({ client });
  const theirs = JSON.stringify({ collection: "a::b", key: "c", value: { py: 1 }, version: 1 });
  client.items.set("a::b::c", theirs);
  assert.equal(await store.get("b::c", { collection: "a" }), undefined);
  assert.equal(await store.delete("b::c", { collection: "a" }), false);
  assert.equal(client.items.get("a::b::c"), theirs);
});

test("MemcachedStore.delete() resolves false for an entry its clock has expired", async () => {
  let now = Date.now();
  const client = new FakeMemcached();
  const store = new MemcachedStore({ client, clock: { now: () => now } });
  await store.put("k", { n: 1 }, { ttl: 1 });
  await store.put("j", { n: 2 }, { ttl: 2 });
  now += 1_000;
  assert.equal(await store.delete("k"), false);
  assert.equal(client.items.has("default_collection::k"), false, "deleted all the same");
  assert.equal(await store.deleteMany(["k", "j"]), 1);
});

test("MemcachedStore maps memjs errors: connection failures, too large, and anything else", async () => {
  const client = new FakeMemcached();
  const store = new MemcachedStore({ client });
  const cases: [Error, new (...args: never[]) => Error][] = [
    [
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      StoreConnectionError,
    ],
    [new Error("socket timed out waiting on response."), StoreConnectionError],
    [new Error("No servers available"), StoreConnectionError],
    [new Error("MemJS GET: Temporary failure"), StoreConnectionError],
    [new Error("MemJS SET: Value too large"), ValueTooLargeError],
    [new Error("MemJS SET: Out of memory"), KeyValueStoreError],
    [new TypeError("something odd"), KeyValueStoreError],
  ];
  for (const [error, type] of cases) {
    client.failure = error;
    for (
      const call of [() => store.get("k"), () => store.put("k", { n: 1 }), () => store.delete("k")]
    ) {
      await assert.rejects(call(), (e: Error) => {
        assert.ok(e instanceof type, `${error.message}: ${e}`);
        if (type === KeyValueStoreError) assert.ok(!(e instanceof StoreConnectionError));
        assert.equal(e.cause, error);
        assert.match(e.message, /^Cannot [a-z ]+ MemcachedStore: /);
        return true;
      });
    }
  }
});
