// What FileTreeStore writes is the value as validated at the call: toJSON is
// never consulted and a Proxy is read once, on every write path (put,
// putMany, putIfAbsent, seed).

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import type { Value } from "../../../../core/protocol.ts";
import { FileTreeStore } from "../../../../stores/file_tree/mod.ts";

const base = await mkdtemp(join(tmpdir(), "kv-file-tree-values-"));
let n = 0;
after(() => rm(base, { recursive: true, force: true }));

function fresh(): string {
  return join(base, `t${n++}`);
}

/** Three values that JSON.stringify of the caller's object would store differently. */
function hostile(): Record<string, () => Value> {
  return {
    "a non-enumerable toJSON": () => {
      const value: Value = { a: 1 };
      Object.defineProperty(value, "toJSON", { value: () => ({ evil: true }), enumerable: false });
      return value;
    },
    "an array with a toJSON property": () => ({
      list: Object.assign([1, 2], { toJSON: () => "evil" }),
    }),
    "a Proxy whose answers change": () => {
      // The first read of `a` says 1, every later one "changed".
      let reads = 0;
      return new Proxy({ a: 1 }, {
        get: (target, property, receiver) =>
          property === "a" && reads++ > 0 ? "changed" : Reflect.get(target, property, receiver),
      });
    },
  };
}

const EXPECTED: Record<string, Value> = {
  "a non-enumerable toJSON": { a: 1 },
  "an array with a toJSON property": { list: [1, 2] },
  "a Proxy whose answers change": { a: 1 },
};

async function stored(directory: string, key: string): Promise<unknown> {
  const file = join(directory, "default_collection", `${key}.json`);
  return JSON.parse(await readFile(file, "utf8")).value;
}

for (const [name, make] of Object.entries(hostile())) {
  test(`FileTreeStore.put() stores ${name} as validated, never its toJSON`, async () => {
    const directory = fresh();
    const store = new FileTreeStore({ directory, fsync: false });
    await store.put("k", make());
    assert.deepEqual(await stored(directory, "k"), EXPECTED[name]);
    assert.deepEqual(await store.get("k"), EXPECTED[name]);
  });

  test(`FileTreeStore.putMany() stores ${name} as validated, never its toJSON`, async () => {
    const directory = fresh();
    const store = new FileTreeStore({ directory, fsync: false });
    await store.putMany(["k", "other"], [make(), { b: 2 }]);
    assert.deepEqual(await stored(directory, "k"), EXPECTED[name]);
  });

  test(`FileTreeStore.putIfAbsent() stores ${name} as validated, never its toJSON`, async () => {
    const directory = fresh();
    const store = new FileTreeStore({ directory, fsync: false });
    assert.equal(await store.putIfAbsent("k", make()), true);
    assert.deepEqual(await stored(directory, "k"), EXPECTED[name]);
  });

  test(`FileTreeStore's seed stores ${name} as validated, never its toJSON`, async () => {
    const directory = fresh();
    const store = new FileTreeStore({
      directory,
      fsync: false,
      seed: { default_collection: { k: make() } },
    });
    assert.deepEqual(await store.get("k"), EXPECTED[name]);
    assert.deepEqual(await stored(directory, "k"), EXPECTED[name]);
  });
}
