// FileTreeStore and py-key-value's FileTreeStore share one directory tree:
// each reads what the other wrote, and with the V1 sanitization strategies
// both name the files the same way. Needs a Python with py-key-value-aio and
// its `filetree` extra: env KV_PYTHON, else .cache/pyenv/bin/python (made by
// scripts/py_env.sh). Skipped without it, except under CI, where it fails.

import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  FileTreeV1CollectionSanitizationStrategy,
  FileTreeV1KeySanitizationStrategy,
} from "../../../../stores/file_tree/sanitization.ts";
import type { Value } from "../../../../core/protocol.ts";
import { FileTreeStore } from "../../../../stores/file_tree/mod.ts";

// The repository root: four levels up from tests/unit/stores/file_tree, five from npm/tests/....
const ROOT = [new URL("../../../../", import.meta.url), new URL("../../../../../", import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(join(dir, "scripts", "interop", "py_file_tree.py")));
const SCRIPT = ROOT && join(ROOT, "scripts", "interop", "py_file_tree.py");

function env(name: string): string | undefined {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return g.Deno?.env ? g.Deno.env.get(name) : process.env[name];
}

function findPython(): string | undefined {
  const python = env("KV_PYTHON") ?? (ROOT && join(ROOT, ".cache", "pyenv", "bin", "python"));
  if (!python || !SCRIPT) return undefined;
  try {
    execFileSync(python, ["-c", "import key_value.aio.stores.filetree"], { stdio: "ignore" });
    return python;
  } catch {
    return undefined;
  }
}

const PYTHON = findPython();
const MISSING =
  "no Python with py-key-value-aio[filetree] (set KV_PYTHON or run scripts/py_env.sh)";
if (!PYTHON && env("CI")) throw new Error(`file_tree_interop: ${MISSING}`);
const options = PYTHON ? {} : { skip: MISSING };

function py(...args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON!, ["-W", "ignore", SCRIPT!, ...args], (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

// The entries scripts/interop/py_file_tree.py writes: key, value, collection, ttl.
const ENTRIES: [string, Value, string, number | undefined][] = [
  ["user:1", { name: "Ada", tags: ["a", "b"] }, "test::coll", undefined],
  ["plain", { n: 1, nested: { x: null } }, "users", 3600],
  ["ключ", { u: "é 🌍" }, "users", undefined],
  ["flash", { gone: true }, "users", 0.001],
  ["S_raw_key", { prefix: "S_" }, "users", undefined],
  ["H_raw", { prefix: "H_" }, "users", undefined],
  ["with space", { sanitized: true }, "users", undefined],
];

const base = await mkdtemp(join(tmpdir(), "kv-file-tree-interop-"));
after(() => rm(base, { recursive: true, force: true }));

function v1Store(directory: string): FileTreeStore {
  return new FileTreeStore({
    directory,
    keySanitizationStrategy: new FileTreeV1KeySanitizationStrategy(),
    collectionSanitizationStrategy: new FileTreeV1CollectionSanitizationStrategy(),
  });
}

async function files(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name))).sort();
}

test(
  "FileTreeStore reads a tree py-key-value wrote, and names files as it does",
  options,
  async () => {
    const fromPython = join(base, "py");
    await py("write", fromPython);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const store = v1Store(fromPython);
    for (const [key, value, collection, ttl] of ENTRIES) {
      const [found, left] = await store.ttl(key, { collection });
      if (ttl === 0.001) assert.equal(found, undefined);
      else assert.deepEqual(found, value, key);
      if (ttl === 3600) assert.ok(left! > 3500 && left! <= 3600, `${left}`);
    }
    assert.deepEqual((await store.collections()).sort(), ["test::coll", "users"]);
    assert.ok((await store.keys({ collection: "users" })).includes("plain"));

    const fromTypeScript = join(base, "ts");
    const mine = v1Store(fromTypeScript);
    for (const [key, value, collection, ttl] of ENTRIES) {
      await mine.put(key, value, ttl === undefined ? { collection } : { collection, ttl });
    }
    assert.deepEqual(await files(fromTypeScript), await files(fromPython));
  },
);

test("py-key-value reads a tree FileTreeStore wrote", options, async () => {
  const directory = join(base, "ts-to-py");
  const store = v1Store(directory);
  for (const [key, value, collection, ttl] of ENTRIES) {
    if (ttl !== 0.001) {
      await store.put(key, value, ttl === undefined ? { collection } : { collection, ttl });
    }
  }
  const read = await py(
    "read",
    directory,
    JSON.stringify(ENTRIES.map(([key, , collection]) => [key, collection])),
  ) as [Value | null, number | null][];
  for (const [i, [key, value, , ttl]] of ENTRIES.entries()) {
    const [found, left] = read[i]!;
    if (ttl === 0.001) assert.equal(found, null, key);
    else assert.deepEqual(found, value, key);
    if (ttl === 3600) assert.ok(left! > 3500 && left! <= 3600, `${left}`);
    if (ttl === undefined) assert.equal(left, null);
  }
});

test("py-key-value and FileTreeStore write into one shared tree", options, async () => {
  const directory = join(base, "shared");
  await py("write", directory);
  const store = v1Store(directory);
  await store.put("from-ts", { by: "typescript" }, { collection: "users" });
  await store.put("user:1", { name: "Grace" }, { collection: "test::coll" });
  const read = await py(
    "read",
    directory,
    JSON.stringify([["from-ts", "users"], ["user:1", "test::coll"], ["plain", "users"]]),
  ) as [Value | null, number | null][];
  assert.deepEqual(read.map(([value]) => value), [
    { by: "typescript" },
    { name: "Grace" },
    { n: 1, nested: { x: null } },
  ]);
});

test(
  "FileTreeStore lists the keys of a py-key-value tree that name their files, and all of its own",
  options,
  async () => {
    const directory = join(base, "py-keys");
    await py("write", directory);
    const store = v1Store(directory);
    // py-key-value records no key: a sanitized name (ключ, "with space") cannot be reversed.
    assert.deepEqual((await store.keys({ collection: "users" })).sort(), [
      "H_raw",
      "S_raw_key",
      "plain",
    ]);
    assert.deepEqual(await store.keys({ collection: "test::coll" }), []);
    for (const key of await store.keys({ collection: "users" })) {
      assert.notEqual(await store.get(key, { collection: "users" }), undefined, key);
    }
    // Rewritten by this store, each file records its key and is listed.
    for (const [key, value, collection, ttl] of ENTRIES) {
      if (ttl !== 0.001) await store.put(key, value, { collection });
    }
    assert.deepEqual((await store.keys({ collection: "users" })).sort(), [
      "H_raw",
      "S_raw_key",
      "plain",
      "with space",
      "ключ",
    ]);
    assert.deepEqual(await store.keys({ collection: "test::coll" }), ["user:1"]);
    // And py-key-value still reads them all.
    const read = await py(
      "read",
      directory,
      JSON.stringify(ENTRIES.map(([key, , collection]) => [key, collection])),
    ) as [Value | null, number | null][];
    for (const [i, [key, value, , ttl]] of ENTRIES.entries()) {
      if (ttl !== 0.001) assert.deepEqual(read[i]![0], value, key);
    }
  },
);
