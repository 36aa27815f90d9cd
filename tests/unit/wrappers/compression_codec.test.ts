// CompressionWrapper where CompressionStream is missing (Vercel's
// edge-runtime): a TypeError at construction that says how to pass a codec,
// and an injectable gzip codec that keeps the stored format.

import assert from "node:assert/strict";
import { test } from "node:test";
import { gunzipSync, gzipSync } from "fflate";
import { CompressionWrapper, type GzipCodec } from "../../../wrappers/compression.ts";
import { MemoryStore } from "../../../stores/memory.ts";

async function pipe(bytes: Uint8Array, t: CompressionStream | DecompressionStream) {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(t);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function countingCodec(): GzipCodec & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    compress: (bytes) => (calls.push("compress"), pipe(bytes, new CompressionStream("gzip"))),
    decompress: (bytes) => (calls.push("decompress"), pipe(bytes, new DecompressionStream("gzip"))),
  };
}

function withoutStreams(run: () => void): void {
  const g = globalThis as Record<string, unknown>;
  const saved = [g.CompressionStream, g.DecompressionStream];
  delete g.CompressionStream;
  delete g.DecompressionStream;
  try {
    run();
  } finally {
    [g.CompressionStream, g.DecompressionStream] = saved;
  }
}

test("CompressionWrapper() without CompressionStream throws a TypeError that names the codec option", () => {
  withoutStreams(() => {
    assert.throws(() => new CompressionWrapper(new MemoryStore()), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /CompressionStream/);
      assert.match(error.message, /codec/);
      return true;
    });
  });
});

test("CompressionWrapper() without CompressionStream accepts a codec", () => {
  withoutStreams(() => {
    new CompressionWrapper(new MemoryStore(), { codec: countingCodec() });
  });
});

test("CompressionWrapper.put() with a codec stores what the native streams read back", async () => {
  const inner = new MemoryStore();
  const codec = countingCodec();
  const value = { text: "x".repeat(2000) };
  await new CompressionWrapper(inner, { codec }).put("k", value);
  assert.deepEqual(codec.calls, ["compress"]);
  const stored = await inner.get("k");
  assert.equal(stored?.__compression_algorithm__, "gzip");
  assert.deepEqual(await new CompressionWrapper(inner).get("k"), value);
  await new CompressionWrapper(inner).put("n", value);
  assert.deepEqual(await new CompressionWrapper(inner, { codec }).get("n"), value);
  assert.deepEqual(codec.calls, ["compress", "decompress"]);
});

test("CompressionWrapper() refuses a codec without compress and decompress functions", () => {
  for (const codec of [{}, { compress: () => new Uint8Array() }, null, "gzip"]) {
    assert.throws(
      () => new CompressionWrapper(new MemoryStore(), { codec: codec as unknown as GzipCodec }),
      TypeError,
    );
  }
});

const fflate: GzipCodec = { compress: gzipSync, decompress: gunzipSync };

/** Values from a few bytes to several stream chunks (incompressible text included). */
function values() {
  let seed = 7;
  const noise = Array.from({ length: 200_000 }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return String.fromCharCode(0x20 + (seed % 0x5f));
  }).join("");
  return [{}, { n: 1 }, { text: "x".repeat(2000) }, { text: "é😀".repeat(50_000) }, { noise }];
}

test("CompressionWrapper with fflate's codec writes gzip that the native streams read", async () => {
  const inner = new MemoryStore();
  const written = new CompressionWrapper(inner, { threshold: 0, codec: fflate });
  const native = new CompressionWrapper(inner, { threshold: 0 });
  for (const [i, value] of values().entries()) {
    await written.put(`k${i}`, value);
    assert.equal((await inner.get(`k${i}`))?.__compression_algorithm__, "gzip");
    assert.deepEqual(await native.get(`k${i}`), value);
  }
});

test("CompressionWrapper with fflate's codec reads the gzip the native streams write", async () => {
  const inner = new MemoryStore();
  const native = new CompressionWrapper(inner, { threshold: 0 });
  const reader = new CompressionWrapper(inner, { threshold: 0, codec: fflate });
  for (const [i, value] of values().entries()) {
    await native.put(`k${i}`, value);
    assert.deepEqual(await reader.get(`k${i}`), value);
  }
});
