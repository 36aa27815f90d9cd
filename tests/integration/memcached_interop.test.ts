// Interoperability with py-key-value on a shared memcached, both sides using
// py-key-value's MemcachedV1KeySanitizationStrategy: entries py-key-value
// writes (with and without TTL, a long key hashed) read back equal through
// MemcachedStore, and the other way round, with TTLs agreeing within 3 s (the two reads happen a process start apart).

import assert from "node:assert/strict";
import { test } from "node:test";
import { MemcachedV1KeySanitizationStrategy } from "../../stores/memcached/sanitization.ts";
import { MemcachedStore } from "../../stores/memcached/mod.ts";
import { serviceUrl, uniqueSuffix } from "../_services.ts";
import { findPython, INTEROP_VALUES, type PyItem, runPython } from "./_py_interop.ts";

const url = serviceUrl("memcached");
const python = findPython();
const skip = !python
  ? "py-key-value's Python is missing (scripts/py_env.sh or KV_PYTHON)"
  : !url
  ? "memcached is not running"
  : undefined;
const LONG_KEY = "long-key-".repeat(30); // 270 characters: both sides hash it

function store(): MemcachedStore {
  return new MemcachedStore({
    url: url!,
    keySanitizationStrategy: new MemcachedV1KeySanitizationStrategy(),
  });
}

function nearTtl(ours: number | undefined, theirs: number | null, label: string): void {
  assert.ok(ours !== undefined && theirs !== null, `${label}: both sides must see a ttl`);
  assert.ok(Math.abs(ours - theirs) <= 3, `${label}: ttl ${ours} vs py-key-value's ${theirs}`);
}

test("MemcachedStore reads what py-key-value wrote, with and without TTL", {
  skip,
  timeout: 60_000,
}, async () => {
  const collection = `py_${uniqueSuffix()}`;
  const keys = [LONG_KEY, "k1", "k2"];
  const items: PyItem[] = INTEROP_VALUES.map((value, i) => ({
    collection,
    key: keys[i]!,
    value,
    ...(i === 0 ? { ttl: 600 } : {}),
  }));
  const written = await runPython(python!, "memcached", url!, "write", items);
  await using s = store();
  const read = await s.ttlMany(keys, { collection });
  assert.deepEqual(read.map(([value]) => value), INTEROP_VALUES);
  nearTtl(read[0]![1], written[0]!.ttl, "long key");
  assert.equal(read[1]![1], undefined);
  assert.equal(await s.deleteMany(keys, { collection }), 3);
});

test("py-key-value reads what MemcachedStore wrote, with and without TTL", {
  skip,
  timeout: 60_000,
}, async () => {
  const collection = `ts_${uniqueSuffix()}`;
  const keys = [LONG_KEY, "k1", "k2"];
  await using s = store();
  await s.put(keys[0]!, INTEROP_VALUES[0]!, { collection, ttl: 600.5 });
  await s.putMany(keys.slice(1), INTEROP_VALUES.slice(1), { collection });
  const read = await runPython(
    python!,
    "memcached",
    url!,
    "read",
    keys.map((key) => ({ collection, key })),
  );
  const [, ours] = await s.ttl(keys[0]!, { collection });
  assert.deepEqual(read.map((e) => e.value), INTEROP_VALUES);
  nearTtl(ours, read[0]!.ttl, "long key");
  assert.equal(read[1]!.ttl, null);
  await s.deleteMany(keys, { collection });
});

test(
  "MemcachedStore reads what py-key-value wrote for a collection with '::' as another pair's: a miss",
  {
    skip,
    timeout: 60_000,
  },
  async () => {
    const base = `pyx_${uniqueSuffix()}`;
    // py-key-value's compound names "<base>::a::k" and "<base>:::k", which this
    // store would read as collection <base> with keys "a::k" and ":k".
    const items: PyItem[] = [
      { collection: `${base}::a`, key: "k", value: { py: 1 } },
      { collection: `${base}:`, key: "k", value: { py: 2 } },
    ];
    await runPython(python!, "memcached", url!, "write", items);
    await using s = store();
    const at = { collection: base };
    assert.deepEqual(await s.getMany(["a::k", ":k"], at), [undefined, undefined]);
    assert.equal(await s.deleteMany(["a::k", ":k"], at), 0);
    const read = await runPython(python!, "memcached", url!, "read", items);
    assert.deepEqual(
      read.map((e) => e.value),
      [{ py: 1 }, { py: 2 }],
      "py-key-value's entries survive",
    );
    await s.put(":k", { ts: 1 }, at); // put() replaces what is under the name
    assert.deepEqual(await s.get(":k", at), { ts: 1 });
    assert.equal(await s.deleteMany(["a::k", ":k"], at), 1);
    const after = await runPython(python!, "memcached", url!, "read", items);
    assert.deepEqual(after.map((e) => e.value), [{ py: 1 }, null]);
  },
);
