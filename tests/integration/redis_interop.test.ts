// Interoperability with py-key-value on a shared Redis and Valkey (db 3):
// entries py-key-value writes (with and without TTL) read back equal through
// RedisStore/ValkeyStore, and entries they write read back equal through
// py-key-value, with TTLs agreeing within 3 s (the two reads happen a process start apart).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Redis } from "ioredis";
import type { RespStore } from "../../stores/_resp/store.ts";
import { RedisStore } from "../../stores/redis.ts";
import { ValkeyStore } from "../../stores/valkey.ts";
import { serviceUrl, uniqueSuffix } from "../_services.ts";
import { findPython, INTEROP_VALUES, type PyItem, runPython } from "./_py_interop.ts";

const DB = 3;
const python = findPython();

function nearTtl(ours: number | undefined, theirs: number | null, label: string): void {
  assert.ok(ours !== undefined && theirs !== null, `${label}: both sides must see a ttl`);
  assert.ok(Math.abs(ours - theirs) <= 3, `${label}: ttl ${ours} vs py-key-value's ${theirs}`);
}

function cases(
  name: string,
  backend: "redis" | "valkey",
  url: string | undefined,
  make: (url: string) => RespStore,
): void {
  const skip = !python
    ? "py-key-value's Python is missing (scripts/py_env.sh or KV_PYTHON)"
    : !url
    ? `${backend} is not running`
    : undefined;
  const target = () => {
    const parsed = new URL(url!);
    return backend === "redis"
      ? `${parsed.protocol}//${parsed.host}/${DB}`
      : `${parsed.hostname}:${parsed.port || 6379}/${DB}`;
  };

  describe(`${name} and py-key-value`, () => {
    test(
      `${name} reads what py-key-value wrote, with and without TTL`,
      { skip, timeout: 60_000 },
      async () => {
        const collection = `py_${uniqueSuffix()}`;
        const items: PyItem[] = INTEROP_VALUES.map((value, i) => ({
          collection,
          key: `k${i}::x`,
          value,
          ...(i === 0 ? { ttl: 600 } : {}),
        }));
        const written = await runPython(python!, backend, target(), "write", items);
        await using store = make(url!);
        for (const [i, item] of items.entries()) {
          const [value, ttl] = await store.ttl(item.key, { collection });
          assert.deepEqual(value, item.value);
          if (i === 0) nearTtl(ttl, written[i]!.ttl, item.key);
          else assert.equal(ttl, undefined);
        }
        assert.deepEqual((await store.keys({ collection })).sort(), items.map((i) => i.key).sort());
        assert.equal(await store.destroyCollection(collection), true);
      },
    );

    test(
      `py-key-value reads what ${name} wrote, with and without TTL`,
      { skip, timeout: 60_000 },
      async () => {
        const collection = `ts_${uniqueSuffix()}`;
        await using store = make(url!);
        const keys = INTEROP_VALUES.map((_, i) => `k${i}`);
        await store.put(keys[0]!, INTEROP_VALUES[0]!, { collection, ttl: 600.5 });
        await store.putMany(keys.slice(1), INTEROP_VALUES.slice(1), { collection });
        await store.putMany(["m1", "m2"], [{ m: 1 }, { m: 2 }], { collection, ttl: 300 });
        const all = [...keys, "m1", "m2"].map((key) => ({ collection, key }));
        const read = await runPython(python!, backend, target(), "read", all);
        const ours = await store.ttlMany([...keys, "m1", "m2"], { collection });
        assert.deepEqual(read.map((e) => e.value), [...INTEROP_VALUES, { m: 1 }, { m: 2 }]);
        nearTtl(ours[0]![1], read[0]!.ttl, "k0");
        assert.equal(read[1]!.ttl, null);
        nearTtl(ours[3]![1], read[3]!.ttl, "m1");
        await store.destroyCollection(collection);
      },
    );
  });
}

cases("RedisStore", "redis", serviceUrl("redis"), (url) => new RedisStore({ url, db: DB }));
cases("ValkeyStore", "valkey", serviceUrl("valkey"), (url) => new ValkeyStore({ url, db: DB }));

for (
  const [name, backend, url, make] of [
    ["RedisStore", "redis", serviceUrl("redis"), (url: string) => new RedisStore({ url, db: DB })],
    [
      "ValkeyStore",
      "valkey",
      serviceUrl("valkey"),
      (url: string) => new ValkeyStore({ url, db: DB }),
    ],
  ] as const
) {
  test(
    `${name} reads what py-key-value wrote for a collection with '::' as another pair's: a miss`,
    {
      skip: !python
        ? "py-key-value's Python is missing"
        : !url
        ? `${backend} is not running`
        : undefined,
      timeout: 60_000,
    },
    async () => {
      const base = `pyx_${uniqueSuffix()}`;
      const parsed = new URL(url!);
      const target = backend === "redis"
        ? `${parsed.protocol}//${parsed.host}/${DB}`
        : `${parsed.hostname}:${parsed.port || 6379}/${DB}`;
      // py-key-value's names "<base>::a::k" and "<base>:::k", which this store
      // would read as collection <base> with keys "a::k" and ":k".
      const items: PyItem[] = [
        { collection: `${base}::a`, key: "k", value: { py: 1 } },
        { collection: `${base}:`, key: "k", value: { py: 2 } },
      ];
      await runPython(python!, backend, target, "write", items);
      await using store = make(url!);
      const at = { collection: base };
      assert.deepEqual(await store.getMany(["a::k", ":k"], at), [undefined, undefined]);
      assert.deepEqual(await store.keys(at), []);
      assert.ok(!(await store.collections()).includes(base));
      assert.equal(await store.deleteMany(["a::k", ":k"], at), 0);
      assert.equal(await store.destroyCollection(base), false);
      const read = await runPython(python!, backend, target, "read", items);
      assert.deepEqual(
        read.map((e) => e.value),
        [{ py: 1 }, { py: 2 }],
        "py-key-value's entries survive",
      );
      await store.put("a::k", { ts: 1 }, at);
      assert.deepEqual(await store.get("a::k", at), { ts: 1 });
      await store.destroyCollection(base);
      const raw = new Redis(url!, { db: DB });
      try {
        // Our put replaced py-key-value's first entry; destroyCollection deleted ours.
        assert.equal(await raw.del(`${base}::a::k`, `${base}:::k`), 1);
      } finally {
        raw.disconnect();
      }
    },
  );
}
