import assert from "node:assert/strict";
import { test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { DeserializationError } from "../../../core/errors.ts";
import type { Value } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { CompressionWrapper } from "../../../wrappers/compression.ts";
import { ALL, RUNS, testWrapper } from "./_helpers.ts";
import { pythonWith, runPython, testdata } from "./_python.ts";

testWrapper("CompressionWrapper (threshold 0: every value compressed)", {
  wrap: (inner) => new CompressionWrapper(inner(), { threshold: 0 }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) => new CompressionWrapper(inner(), { threshold: 0, ...extra }),
});
testWrapper("CompressionWrapper (default threshold)", {
  wrap: (inner) => new CompressionWrapper(inner()),
  capabilities: ALL,
  propertyRuns: 0,
  namesRuns: 10,
});
// The codec path (edge runtimes without CompressionStream), with another
// gzip implementation than the streams, is held to the same suite.
testWrapper("CompressionWrapper (a gzip codec from node:zlib, threshold 0)", {
  wrap: (inner) =>
    new CompressionWrapper(inner(), {
      threshold: 0,
      codec: { compress: (bytes) => gzipSync(bytes), decompress: (bytes) => gunzipSync(bytes) },
    }),
  capabilities: ALL,
  propertyRuns: 0,
  namesRuns: 10,
});

const LARGE = { text: "compress me ".repeat(500), n: [1, 2, 3] };

test("CompressionWrapper does not compress a small value", async () => {
  const inner = new MemoryStore();
  const store = new CompressionWrapper(inner);
  await store.put("k", { n: 1 });
  assert.deepEqual(await inner.get("k"), { n: 1 });
});

test("CompressionWrapper compresses a large value into py-key-value's marker format", async () => {
  const inner = new MemoryStore();
  const store = new CompressionWrapper(inner);
  await store.put("k", LARGE);
  const stored = (await inner.get("k"))!;
  assert.deepEqual(Object.keys(stored).sort(), [
    "__compressed_data__",
    "__compression_algorithm__",
    "__compression_version__",
  ]);
  assert.equal(stored.__compression_version__, 1);
  assert.equal(stored.__compression_algorithm__, "gzip");
  assert.match(stored.__compressed_data__ as string, /^H4sI/); // base64 of the gzip magic
  assert.ok(JSON.stringify(stored).length < JSON.stringify(LARGE).length / 10, "it shrank");
  assert.deepEqual(await store.get("k"), LARGE);
});

test("CompressionWrapper measures the threshold in UTF-8 bytes", async () => {
  const inner = new MemoryStore();
  const store = new CompressionWrapper(inner, { threshold: 20 });
  await store.put("ascii", { s: "abcdefghijk" }); // 18 bytes
  await store.put("utf8", { s: "ééééééééééé" }); // 29 bytes, 18 characters
  assert.deepEqual(await inner.get("ascii"), { s: "abcdefghijk" });
  assert.ok("__compressed_data__" in (await inner.get("utf8"))!);
  assert.deepEqual(await store.get("utf8"), { s: "ééééééééééé" });
});

test("CompressionWrapper round-trips many values through the batch operations", async () => {
  const store = new CompressionWrapper(new MemoryStore(), { threshold: 100 });
  const values = [LARGE, { small: true }, { other: "y".repeat(300) }];
  await store.putMany(["a", "b", "c"], values, { ttl: 60 });
  assert.deepEqual(await store.getMany(["a", "b", "c", "d"]), [...values, undefined]);
  const entries = await store.ttlMany(["a", "b"]);
  assert.deepEqual(entries.map((e) => e[0]), [LARGE, { small: true }]);
  assert.ok(entries.every(([, ttl]) => ttl! > 59));
  assert.deepEqual((await store.ttl("c"))[0], values[2]);
  assert.equal(await store.putIfAbsent("e", LARGE), true);
  assert.deepEqual(await store.get("e"), LARGE);
});

test("CompressionWrapper compresses a small value that looks like compressed data, so it reads back", async () => {
  const store = new CompressionWrapper(new MemoryStore());
  const tricky = { "__compressed_data__": "not really", other: 1 };
  await store.put("k", tricky);
  assert.deepEqual(await store.get("k"), tricky);
});

test("CompressionWrapper passes an uncompressed stored value through", async () => {
  const inner = new MemoryStore();
  await inner.put("plain", { hello: "world" });
  assert.deepEqual(await new CompressionWrapper(inner).get("plain"), { hello: "world" });
});

test("CompressionWrapper reads corrupted compressed data as DeserializationError", async () => {
  const inner = new MemoryStore();
  const store = new CompressionWrapper(inner);
  const good = {
    "__compressed_data__": "",
    "__compression_version__": 1,
    "__compression_algorithm__": "gzip",
  };
  const corrupt: [string, Value][] = [
    ["not a string", { ...good, __compressed_data__: 42 }],
    ["bad base64", { ...good, __compressed_data__: "!!!not base64" }],
    ["not gzip", { ...good, __compressed_data__: btoa("plain text, not gzip") }],
    ["unknown version", { ...good, __compression_version__: 2 }],
    ["unknown algorithm", { ...good, __compression_algorithm__: "zstd" }],
  ];
  await store.put("ok", LARGE);
  const valid = (await inner.get("ok"))!;
  const data = valid.__compressed_data__ as string;
  corrupt.push(["truncated gzip", { ...valid, __compressed_data__: data.slice(0, 40) }]);
  for (const [label, stored] of corrupt) {
    await inner.put("bad", stored);
    await assert.rejects(store.get("bad"), DeserializationError, label);
    await assert.rejects(store.getMany(["ok", "bad"]), DeserializationError, label);
    await assert.rejects(store.ttl("bad"), DeserializationError, label);
  }
});

test("CompressionWrapper reads what py-key-value 0.5.0 wrote (recorded fixture)", async () => {
  const fixture = await testdata("compression_interop.json") as {
    values: Value[];
    stored: Value[];
  };
  const inner = new MemoryStore();
  const store = new CompressionWrapper(inner);
  await inner.putMany(fixture.stored.map((_, i) => `k${i}`), fixture.stored);
  assert.ok("__compressed_data__" in fixture.stored[0]!);
  assert.deepEqual(await store.getMany(fixture.values.map((_, i) => `k${i}`)), fixture.values);
});

const py = pythonWith("key_value.aio");

test(
  "CompressionWrapper and py-key-value read each other's data (live Python)",
  { skip: py.skip },
  async () => {
    const values: Value[] = [LARGE, { unicode: "世界 🌍 é".repeat(300) }, { small: 1 }];
    // Python writes, we read.
    const { stored } = runPython(py.python!, "compression_interop.py", { write: values }) as {
      stored: Value[];
    };
    const inner = new MemoryStore();
    const store = new CompressionWrapper(inner);
    await inner.putMany(["a", "b", "c"], stored);
    assert.deepEqual(await store.getMany(["a", "b", "c"]), values);
    // We write, Python reads.
    await store.putMany(["a", "b", "c"], values);
    const ours = await inner.getMany(["a", "b", "c"]);
    assert.ok("__compressed_data__" in ours[0]!);
    const read = runPython(py.python!, "compression_interop.py", { read: ours }) as {
      values: Value[];
    };
    assert.deepEqual(read.values, values);
  },
);

test("CompressionWrapper refuses a bad threshold", () => {
  assert.throws(() => new CompressionWrapper(new MemoryStore(), { threshold: -1 }), RangeError);
});
