import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { closeStore, openStore } from "../../../open/mod.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { FileTreeStore } from "../../../stores/file_tree/mod.ts";
import { DenoKvStore } from "../../../stores/deno_kv/mod.ts";
import { canEnumerateKeys } from "../../../core/capabilities.ts";

const isDeno = "Deno" in globalThis;

test("openStore() opens a MemoryStore from memory: with its parameters", async () => {
  const store = await openStore("memory:?maxEntriesPerCollection=2&defaultCollection=app");
  assert.ok(store instanceof MemoryStore);
  await store.putMany(["a", "b", "c"], [{ n: 1 }, { n: 2 }, { n: 3 }]);
  assert.equal(
    (await store.getMany(["a", "b", "c"], { collection: "app" })).filter(Boolean).length,
    2,
  );
  assert.equal(await store.get("c", { collection: "default_collection" }), undefined);
  await closeStore(store);
});

test("openStore() passes its options to the store and refuses one the URL also gives", async () => {
  let now = 1_000_000;
  const store = await openStore("memory:", { clock: { now: () => now } });
  await store.put("k", { n: 1 }, { ttl: 10 });
  now += 10_001;
  assert.equal(await store.get("k"), undefined);
  await assert.rejects(
    openStore("memory:?defaultCollection=a", { defaultCollection: "b" }),
    (error: unknown) =>
      error instanceof TypeError && /defaultCollection is given by both/.test(error.message),
  );
  await assert.rejects(openStore("memory:", { nonsense: 1 }), TypeError);
});

test("openStore() refuses an unknown scheme, listing the valid ones", async () => {
  for (const url of ["postgrs://localhost", "", "nocolon", ":memory:", "http://x"]) {
    await assert.rejects(openStore(url), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /unknown scheme; valid: memory, file, denokv, redis, rediss/);
      return true;
    }, url);
  }
  // deno-lint-ignore no-explicit-any
  await assert.rejects(openStore(42 as any), TypeError);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(openStore("memory:", [] as any), TypeError);
});

test("openStore() refuses an unknown, repeated or malformed parameter", async () => {
  const cases: [string, RegExp][] = [
    [
      "memory:?maxEntries=5",
      /unknown parameter "maxEntries"; valid: defaultCollection, maxEntriesPerCollection/,
    ],
    ["memory:?defaultCollection=a&defaultCollection=b", /defaultCollection is given twice/],
    ["memory:?maxEntriesPerCollection=0", /positive integer/],
    ["memory:?maxEntriesPerCollection=1e3", /positive integer/],
    ["memory:?maxEntriesPerCollection=99999999999999999999", /positive integer/],
    ["memory:?defaultCollection=", /must not be empty/],
    ["memory:./path", /memory: takes no path/],
    ["file:./x?fsync=yes", /fsync must be true or false/],
    ["file:./x?naming=v1", /naming must be "py-key-value"/],
    ["file:", /give a directory/],
    ["file://host/srv", /names no host/],
    ["redis://h?prefix=a&cluster=h:1&naming=py-key-value", /unknown parameter "naming"/],
    ["dynamodb://?region=x", /dynamodb:\/\/<table>/],
    ["elasticsearch+http://h:9200?refresh=soon", /refresh must be true, false or wait_for/],
  ];
  for (const [url, message] of cases) {
    await assert.rejects(openStore(url), (error: unknown) => {
      assert.ok(error instanceof TypeError, url);
      assert.match(error.message, message, url);
      return true;
    });
  }
});

test("openStore() never puts the URL's credentials into an error message", async () => {
  const secret = "s3cr3t-Pa55";
  const urls = [
    `redis://user:${secret}@127.0.0.1:6379?nope=1`,
    `redis://user:${secret}@127.0.0.1:6379/0?cluster=bad-node`,
    `rediss://user:${secret}@127.0.0.1:notaport`,
    `valkey://:${secret}@127.0.0.1:6379/x`,
    `memcached://user:${secret}@127.0.0.1:11211?nope=${secret}`,
    `mongodb://user:${secret}@127.0.0.1:1/?autoCreate=maybe`,
    `elasticsearch+http://user:${secret}@127.0.0.1:9200?refresh=${secret}`,
    `dynamodb://t?endpoint=http://user:${secret}@127.0.0.1:1&nope=1`,
    `postgrs://user:${secret}@127.0.0.1`,
    `postgres://user:${secret}@127.0.0.1:1/kv?poolSize=0`,
  ];
  for (const url of urls) {
    await assert.rejects(openStore(url), (error: unknown) => {
      const text = `${(error as Error).message} ${String((error as Error).cause ?? "")}`;
      assert.ok(!text.includes(secret), `${url}: ${text}`);
      return true;
    });
  }
});

test("openStore() opens a FileTreeStore from file: paths and file URLs", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kv-open-"));
  try {
    for (const url of [`file:${dir}/a?fsync=false`, `file://${encodeURI(dir)}/b%20c?fsync=false`]) {
      const store = await openStore(url);
      assert.ok(store instanceof FileTreeStore);
      await store.put("k", { n: 1 }, { collection: "c" });
      assert.deepEqual(await store.get("k", { collection: "c" }), { n: 1 });
      assert.ok(canEnumerateKeys(store));
      assert.deepEqual(await store.keys({ collection: "c" }), ["k"]);
      await closeStore(store);
    }
    assert.deepEqual((await readdir(dir)).sort(), ["a", "b c"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("openStore() with naming=py-key-value gives FileTreeStore py-key-value's V1 file names", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kv-open-"));
  try {
    const store = await openStore(`file:${dir}?naming=py-key-value&fsync=false`);
    await store.put("user:1", { n: 1 }, { collection: "Users!" });
    const v1 = await import("../../../stores/file_tree/sanitization.ts");
    const collection = new v1.FileTreeV1CollectionSanitizationStrategy().sanitize("Users!");
    const key = new v1.FileTreeV1KeySanitizationStrategy().sanitize("user:1");
    const text = await readFile(join(dir, collection, `${key}.json`), "utf8");
    assert.equal(JSON.parse(text).value.n, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("openStore() opens a DenoKvStore from denokv:", { skip: !isDeno && "Deno only" }, async () => {
  const store = await openStore("denokv::memory:?prefix=app");
  assert.ok(store instanceof DenoKvStore);
  await store.put("k", { n: 1 });
  assert.deepEqual(await store.get("k"), { n: 1 });
  await closeStore(store);
});

test("openStore: open/ imports no store statically: a store's module loads only with its scheme", async () => {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js"; // sources, or the npm build
  for (const name of ["mod", "open_store", "_schemes", "_params"]) {
    const file = `open/${name}${ext}`;
    const source = await readFile(new URL(`../../../${file}`, import.meta.url), "utf8");
    const statics = [...source.matchAll(/^(?:import|export)\b[^;]*?from\s*"([^"]+)"/gm)]
      .map((match) => match[1]!);
    assert.ok(statics.length > 0 || name === "_params", file);
    assert.deepEqual(statics.filter((path) => path.includes("stores/")), [], file);
  }
});

test("openStore() refuses sentinel parameters that do not go together", async () => {
  const cases: [string, RegExp][] = [
    ["redis://h:26379?sentinel=m&cluster=h:2", /cluster or sentinel, not both/],
    ["redis://h:26379?sentinels=h:2", /sentinels needs sentinel=/],
    ["redis://h:26379/x?sentinel=m", /database must be a number/],
    ["redis://h:17001/1?cluster", /a cluster has no database number/],
  ];
  for (const [url, message] of cases) {
    await assert.rejects(openStore(url), (error: unknown) => {
      assert.ok(error instanceof TypeError, url);
      assert.match(error.message, message, url);
      return true;
    });
  }
});
