/**
 * Memory scenario: MemoryStore `get` and `put` (with a TTL) against keyv 6
 * (the newest major; its default in-memory Map), unstorage's memory driver, cache-manager
 * (default, keyv-backed), lru-cache with a TTL, and a plain `Map` holding
 * JSON strings, the floor for copy-on-read semantics (what any store that
 * never shares objects with its caller must at least do: stringify on put,
 * parse on get).
 *
 * Every case is driven by the same loop, `await op(key)`, over the same
 * 10,000 keys (compiled once per case, see `compileLoop`), so the
 * synchronous peers (lru-cache, the Map) also pay the await that an async
 * API costs its callers.
 *
 * Peers keep their defaults: keyv, unstorage, cache-manager and lru-cache
 * hand back the very object they were given (no copy), MemoryStore copies.
 *
 * @module
 */

import { LRUCache } from "lru-cache";
import { createCache } from "cache-manager";
import Keyv from "keyv6";
import { createStorage } from "unstorage";
import { type Case, compileLoop, type Scenario } from "./_harness.ts";
import { keys, TTL_SECONDS, values } from "./_data.ts";
import { MemoryStore } from "./_lib.ts";

const N = keys.length;
const TTL_MS = TTL_SECONDS * 1000;

/** A key-value pair of operations to benchmark under one name. */
interface Subject {
  name: string;
  get(key: string): unknown;
  put(key: string, value: Record<string, unknown>): unknown;
}

function subjects(): Subject[] {
  const ours = new MemoryStore();
  const bounded = new MemoryStore({ maxEntriesPerCollection: 2 * N });
  const keyv = new Keyv();
  const unstorage = createStorage();
  const cache = createCache();
  const lru = new LRUCache<string, object>({ max: 2 * N, ttl: TTL_MS });
  const floor = new Map<string, string>();
  const put = { ttl: TTL_SECONDS };
  return [
    { name: "MemoryStore", get: (k) => ours.get(k), put: (k, v) => ours.put(k, v, put) },
    {
      name: "MemoryStore (LRU bound)",
      get: (k) => bounded.get(k),
      put: (k, v) => bounded.put(k, v, put),
    },
    { name: "keyv 6", get: (k) => keyv.get(k), put: (k, v) => keyv.set(k, v, TTL_MS) },
    {
      name: "unstorage",
      get: (k) => unstorage.getItem(k),
      put: (k, v) => unstorage.setItem(k, v, { ttl: TTL_SECONDS }),
    },
    { name: "cache-manager", get: (k) => cache.get(k), put: (k, v) => cache.set(k, v, TTL_MS) },
    { name: "lru-cache", get: (k) => lru.get(k), put: (k, v) => lru.set(k, v, { ttl: TTL_MS }) },
    {
      name: "Map of JSON",
      get: (k) => JSON.parse(floor.get(k)!),
      put: (k, v) => floor.set(k, JSON.stringify(v)),
    },
  ];
}

/** Fills every subject with the data set. */
async function fill(all: Subject[]): Promise<void> {
  for (const s of all) for (let i = 0; i < N; i++) await s.put(keys[i]!, values[i]!);
}

/** The memory scenarios: get, then put with a TTL. */
export async function memoryScenarios(): Promise<Scenario[]> {
  const all = subjects();
  await fill(all);
  const gets = all.map((s): Case => ({
    name: s.name,
    ops: N,
    run: compileLoop(N, "get(keys[i])", { get: s.get, keys }),
  }));
  const puts = all.map((s): Case => ({
    name: s.name,
    ops: N,
    run: compileLoop(N, "put(keys[i], values[i])", { put: s.put, keys, values }),
  }));
  const targets = [
    { peer: "keyv 6", min: 5 },
    { peer: "unstorage", min: 1.5 },
    { peer: "Map of JSON", min: 0.8 },
  ];
  return [
    { title: "Memory: get (hit)", subject: "MemoryStore", cases: gets, targets },
    {
      title: `Memory: put with a ${TTL_SECONDS} s TTL`,
      subject: "MemoryStore",
      cases: puts,
      targets,
    },
  ];
}
