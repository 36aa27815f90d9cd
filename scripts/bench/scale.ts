/**
 * Scale scenario: MemoryStore against lru-cache and keyv 6 (its default
 * in-memory Map) holding 10k, 100k and 1M entries, read at random keys, each
 * size in a table of its own; and the bytes each holds per entry.
 *
 * Reads are random over the whole key space (a fixed pseudo-random
 * sequence), so at 1M entries every store pays for cache misses the way an
 * application's cache does. The peers keep their defaults (lru-cache and
 * keyv hand back the object they hold; MemoryStore hands back a copy).
 *
 * Bytes per entry: the heap grown by filling a store with 100k entries,
 * after a full collection, divided by 100k. Keys and values are made inside
 * the measured fill and not kept by the benchmark, so a store that keeps the
 * caller's object (lru-cache) is charged for it just as MemoryStore is for
 * its copy.
 *
 * @module
 */

import process from "node:process";
import { LRUCache } from "lru-cache";
import Keyv from "keyv6";
import { type Case, compileLoop, type Scenario } from "./_harness.ts";
import { MemoryStore } from "./_lib.ts";

/** The sizes of the scale tables. */
export const SIZES: readonly number[] = [10_000, 100_000, 1_000_000];
/** Random reads per timed call. */
const READS = 20_000;

/** The key of entry `i` (a fresh string each call). */
export function keyAt(i: number): string {
  return `user:${String(i).padStart(7, "0")}`;
}

/** The value of entry `i`: the shape of `_data.ts`'s, about 100 bytes of JSON. */
export function valueAt(i: number): Record<string, unknown> {
  return {
    id: i,
    name: `User ${i}`,
    email: `user${i}@example.com`,
    active: i % 3 !== 0,
    score: Math.round((i * 7919) % 1000) / 10,
    tags: [i % 2 ? "beta" : "stable"],
  };
}

/** A fixed pseudo-random sequence of `count` indices below `size` (xorshift32). */
export function randomIndices(count: number, size: number, seed = 0x9e3779b9): number[] {
  const out = new Array<number>(count);
  let x = seed | 0;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % size;
  }
  return out;
}

interface Subject {
  name: string;
  get(key: string): unknown;
  put(key: string, value: Record<string, unknown>): unknown;
}

function subjects(size: number): Subject[] {
  const ours = new MemoryStore();
  const lru = new LRUCache<string, object>({ max: size });
  const keyv = new Keyv();
  return [
    { name: "MemoryStore", get: (k) => ours.get(k), put: (k, v) => ours.put(k, v) },
    { name: "lru-cache", get: (k) => lru.get(k), put: (k, v) => lru.set(k, v) },
    { name: "keyv 6", get: (k) => keyv.get(k), put: (k, v) => keyv.set(k, v) },
  ];
}

/** One table per size: random reads over a full store. */
export async function scaleScenarios(): Promise<Scenario[]> {
  const scenarios: Scenario[] = [];
  for (const size of SIZES) {
    const all = subjects(size);
    for (const s of all) for (let i = 0; i < size; i++) await s.put(keyAt(i), valueAt(i));
    const reads = randomIndices(READS, size).map(keyAt);
    const cases = all.map((s): Case => ({
      name: s.name,
      ops: READS,
      run: compileLoop(READS, "get(reads[i])", { get: s.get, reads }),
    }));
    scenarios.push({
      title: `Scale: random get over ${size.toLocaleString("en-US")} entries`,
      subject: "MemoryStore",
      cases,
      targets: [{ peer: "lru-cache", min: 0.8 }, { peer: "keyv 6", min: 3 }],
    });
  }
  return scenarios;
}

const collect = (globalThis as { gc?: () => void }).gc;

/** Heap bytes held per entry by a store filled with `count` fresh entries. */
async function bytesPerEntry(
  make: () => { put(key: string, value: Record<string, unknown>): unknown },
  count: number,
): Promise<number> {
  collect?.();
  collect?.();
  const before = process.memoryUsage().heapUsed;
  const store = make();
  for (let i = 0; i < count; i++) await store.put(keyAt(i), valueAt(i));
  collect?.();
  collect?.();
  const after = process.memoryUsage().heapUsed;
  // Keep the store alive until after the measurement.
  if ((store as { never?: boolean }).never) console.log(store);
  return (after - before) / count;
}

/** A markdown table of the heap bytes each store holds per entry. */
export async function memoryFootprintReport(
  count = 100_000,
): Promise<{ text: string; met: boolean }> {
  if (collect === undefined) {
    return { text: "bytes per entry: skipped (run with --expose-gc)\n", met: true };
  }
  const rows: [string, number][] = [
    ["MemoryStore", await bytesPerEntry(() => new MemoryStore(), count)],
    [
      "lru-cache",
      await bytesPerEntry(() => {
        const lru = new LRUCache<string, object>({ max: count });
        return { put: (k: string, v: object) => lru.set(k, v) };
      }, count),
    ],
    [
      "keyv 6",
      await bytesPerEntry(() => {
        const keyv = new Keyv();
        return { put: (k: string, v: object) => keyv.set(k, v) };
      }, count),
    ],
    [
      "Map of the same objects",
      await bytesPerEntry(() => {
        const map = new Map<string, object>();
        return { put: (k: string, v: object) => map.set(k, v) };
      }, count),
    ],
  ];
  const ours = rows[0]![1];
  const lru = rows[1]![1];
  const ratio = ours / lru;
  const met = ratio <= 1.5;
  let text = `### Bytes held per entry (${
    count.toLocaleString("en-US")
  } entries of ~100-byte values)\n\n`;
  text += "| store | bytes per entry | MemoryStore ÷ store |\n|---|--:|--:|\n";
  for (const [name, bytes] of rows) {
    text += `| ${name} | ${Math.round(bytes)} | ${(ours / bytes).toFixed(2)}x |\n`;
  }
  text += `\n- ${
    met ? "met" : "NOT MET"
  }: MemoryStore ≤ 1.5x lru-cache's bytes per entry (measured ${ratio.toFixed(2)}x)\n`;
  return { text, met };
}
