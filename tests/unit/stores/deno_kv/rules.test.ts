// DenoKvStore's share of the contract's rules: names that are not
// well-formed UTF-16, values copied at the call, strict options, the shared
// error mapping, deadlines by the clock, and envelopes that name another
// entry.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import fc from "fast-check";
import {
  InvalidKeyError,
  KeyValueStoreError,
  SerializationError,
  StoreConnectionError,
} from "../../../../core/errors.ts";
import { type DenoKvLike, DenoKvStore } from "../../../../stores/deno_kv/mod.ts";
import { MultiDiskStore } from "../../../../stores/deno_kv/multi_disk.ts";
import { openDenoKv } from "../../../../stores/deno_kv/_open.ts";
import {
  MAX_COLLECTION_PART,
  MAX_KEY_PART,
  namePart,
  samePart,
} from "../../../../stores/deno_kv/_keys.ts";

const base = await mkdtemp(join(tmpdir(), "kv-deno-kv-rules-"));
after(() => rm(base, { recursive: true, force: true }));

/** A clock a test moves by hand. */
function manualClock(start = Date.now()) {
  const clock = { at: start, now: () => clock.at };
  return clock;
}

test("DenoKvStore refuses a key or collection holding a lone surrogate and stores nothing", async () => {
  const kv = await openDenoKv(":memory:");
  try {
    const store = new DenoKvStore({ kv });
    await assert.rejects(store.put("a\uD800", { n: 1 }), InvalidKeyError);
    await assert.rejects(store.put("k", { n: 1 }, { collection: "\uDC00c" }), InvalidKeyError);
    await assert.rejects(store.putMany(["ok", "b\uDBFF"], [{ n: 1 }, { n: 2 }]), InvalidKeyError);
    await assert.rejects(store.get("a\uD800"), InvalidKeyError);
    await assert.rejects(store.keys({ collection: "\uD800" }), InvalidKeyError);
    const stored = [];
    for await (const item of kv.list({ prefix: [] })) stored.push(item.key);
    assert.deepEqual(stored, []);
    // The replacement character is a different, valid name.
    await store.put("a\uFFFD", { n: 2 });
    assert.equal(await store.get("a\uFFFD").then((v) => v?.n), 2);
  } finally {
    kv.close();
  }
});

test("DenoKvStore stores the value as it was at the call, never reading the caller's object again", async () => {
  await using store = new DenoKvStore({ path: ":memory:" }); // the first put waits for setup
  let reads = 0;
  const liar = new Proxy({ n: 0, nested: { a: 1 } }, {
    get: (target, name, receiver) => name === "n" ? ++reads : Reflect.get(target, name, receiver),
  });
  const mutable = { list: [1, 2], nested: { a: 1 } };
  const pending = [
    store.put("liar", liar),
    store.put("mutable", mutable),
    store.putMany(["m1"], [mutable]),
    store.putIfAbsent("m2", mutable),
  ];
  mutable.list.push(3);
  mutable.nested.a = 2;
  await Promise.all(pending);
  assert.deepEqual(await store.get("liar"), { n: 1, nested: { a: 1 } });
  for (const key of ["mutable", "m1", "m2"]) {
    assert.deepEqual(await store.get(key), { list: [1, 2], nested: { a: 1 } }, key);
  }
  const withToJson = { a: 1, toJSON: () => ({ lie: true }) };
  await assert.rejects(store.put("t", withToJson), SerializationError);
  assert.equal(await store.get("t"), undefined);
});

test("DenoKvStore and MultiDiskStore refuse unknown options, naming the valid ones", () => {
  assert.throws(
    () => new DenoKvStore({ path: ":memory:", prefixes: ["x"] } as never),
    { name: "TypeError", message: /unknown option "prefixes".*kv, path, prefix/ },
  );
  assert.throws(
    () => new MultiDiskStore({ directory: base, dir: "x" } as never),
    { name: "TypeError", message: /unknown option "dir".*directory/ },
  );
  assert.throws(
    () => new DenoKvStore({ path: ":memory:", keySanitizationStrategy: {} } as never),
    { name: "TypeError", message: /unknown option "keySanitizationStrategy"/ },
  );
});

/** A Deno KV whose every call fails with `error`. */
function failingKv(error: unknown): DenoKvLike {
  const fail = () => Promise.reject(error);
  const atomic = {
    check: () => atomic,
    set: () => atomic,
    delete: () => atomic,
    commit: fail,
  };
  return {
    get: fail,
    getMany: fail,
    set: fail,
    atomic: () => atomic,
    list: () => ({ [Symbol.asyncIterator]: () => ({ next: fail }) }),
    close: () => {},
  } as unknown as DenoKvLike;
}

test("DenoKvStore maps an unknown Deno KV error to KeyValueStoreError with the cause kept", async () => {
  const boom = new Error("database is locked");
  const store = new DenoKvStore({ kv: failingKv(boom) });
  for (
    const call of [
      () => store.get("k"),
      () => store.getMany(["a", "b"]),
      () => store.put("k", { n: 1 }),
      () => store.putMany(["a"], [{ n: 1 }]),
      () => store.delete("k"),
      () => store.keys(),
      () => store.collections(),
      () => store.putIfAbsent("k", { n: 1 }),
    ]
  ) {
    await assert.rejects(call(), (error: Error) => {
      assert.equal(error.constructor, KeyValueStoreError);
      assert.equal(error.cause, boom);
      assert.match(error.message, /^Cannot .* DenoKvStore: database is locked$/);
      return true;
    });
  }
});

test("DenoKvStore maps a KV Connect connection failure to StoreConnectionError", async () => {
  const refused = Object.assign(new TypeError("error sending request"), {
    cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
  });
  const store = new DenoKvStore({ kv: failingKv(refused) });
  await assert.rejects(store.get("k"), (error: Error) => {
    assert.ok(error instanceof StoreConnectionError);
    assert.equal(error.cause, refused);
    return true;
  });
});

test("DenoKvStore judges every deadline by its clock: at the deadline an entry is gone", async () => {
  const kv = await openDenoKv(":memory:");
  try {
    const clock = manualClock(Date.parse("2001-01-01T00:00:00Z")); // far from the system time
    const store = new DenoKvStore({ kv, clock });
    await store.put("a", { n: 1 }, { ttl: 10 });
    await store.putMany(["b", "c"], [{ n: 2 }, { n: 3 }], { ttl: 10 });
    await store.put("d", { n: 4 }, { ttl: 10, collection: "other" });
    // Deno KV's own expiry counts the remaining life by the same clock.
    assert.deepEqual(await store.getMany(["a", "b", "c"]), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    clock.at += 9_999;
    assert.deepEqual(await store.keys(), ["a", "b", "c"]);
    assert.equal(await store.cull(), 0);
    clock.at += 1; // exactly at the deadline
    assert.equal((await kv.get(["default_collection", "a"])).versionstamp !== null, true);
    assert.equal(await store.get("a"), undefined);
    assert.deepEqual(await store.keys(), []);
    assert.deepEqual(await store.collections(), []);
    assert.equal(await store.delete("a"), false);
    assert.equal(await store.deleteMany(["b", "missing"]), 0);
    assert.equal(await store.putIfAbsent("c", { n: 5 }), true);
    assert.deepEqual(await store.get("c"), { n: 5 });
    assert.equal(await store.cull(), 1); // "d"; "a" and "b" were deleted
  } finally {
    kv.close();
  }
});

test("DenoKvStore reads an envelope that names another key or collection as a miss", async () => {
  const kv = await openDenoKv(":memory:");
  try {
    const store = new DenoKvStore({ kv });
    await store.put("k", { n: 1 });
    const raw = await kv.get(["default_collection", "k"]);
    await kv.set(["default_collection", "moved"], raw.value);
    await kv.set(["elsewhere", "k"], raw.value);
    assert.equal(await store.get("moved"), undefined);
    assert.equal(await store.get("k", { collection: "elsewhere" }), undefined);
    assert.deepEqual(await store.getMany(["k", "moved"]), [{ n: 1 }, undefined]);
    assert.deepEqual(await store.keys(), ["k"]);
    assert.deepEqual(await store.collections(), ["default_collection"]);
    assert.equal(await store.delete("moved"), false);
    assert.equal(await store.putIfAbsent("moved", { n: 2 }), true);
    assert.deepEqual(await store.get("moved"), { n: 2 });
  } finally {
    kv.close();
  }
});

// deno-lint-ignore no-explicit-any
const deno = (globalThis as any).Deno;
test(
  "DenoKvStore on an unreachable KV Connect server rejects with StoreConnectionError",
  deno?.openKv ? {} : { skip: "Deno's own Deno.openKv" },
  async () => {
    const token = deno.env.get("DENO_KV_ACCESS_TOKEN");
    deno.env.set("DENO_KV_ACCESS_TOKEN", "test");
    try {
      const store = new DenoKvStore({ path: "http://127.0.0.1:9" }); // nothing listens on 9
      await assert.rejects(store.get("k"), StoreConnectionError);
      await store.close();
    } finally {
      if (token === undefined) deno.env.delete("DENO_KV_ACCESS_TOKEN");
      else deno.env.set("DENO_KV_ACCESS_TOKEN", token);
    }
  },
);

test("DenoKvStore's key parts are injective: distinct names never share a part", () => {
  const names = fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.string({ unit: fc.constantFrom("k", "é", "\0"), minLength: 300, maxLength: 1_100 }),
  ).filter((name) => name.isWellFormed());
  for (const max of [MAX_KEY_PART, MAX_COLLECTION_PART]) {
    fc.assert(
      fc.property(names, names, (a, b) => {
        fc.pre(a !== b);
        assert.equal(samePart(namePart(a, max), namePart(b, max)), false);
      }),
      { numRuns: 2000 },
    );
  }
  // A long name's digest part is bytes, never equal to a string part.
  const long = "k".repeat(1_000);
  assert.ok(namePart(long, MAX_KEY_PART) instanceof Uint8Array);
  assert.equal(samePart(namePart(long, MAX_KEY_PART), "k"), false);
});
