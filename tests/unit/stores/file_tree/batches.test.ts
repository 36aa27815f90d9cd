// A FileTreeStore batch is checked whole (names, sanitization, path checks)
// before its first write or delete: a rejected batch changes nothing, and
// nothing is written after it rejected.

import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InvalidKeyError, KeyValueStoreError, PathSecurityError } from "../../../../core/errors.ts";
import { PassthroughStrategy, type SanitizationStrategy } from "../../../../core/sanitization.ts";
import { FileTreeStore } from "../../../../stores/file_tree/mod.ts";

const base = await mkdtemp(join(tmpdir(), "kv-file-tree-batch-"));
let n = 0;
after(() => rm(base, { recursive: true, force: true }));

function fresh(): string {
  return join(base, `t${n++}`);
}

/** Keeps names as they are but refuses the key "refused". */
class Picky implements SanitizationStrategy {
  sanitize(value: string): string {
    return value;
  }
  validate(value: string): void {
    if (value === "refused") throw new InvalidKeyError(`"refused" is refused`);
  }
}

/** Lets the file system finish whatever a rejected call left running. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function entryFiles(directory: string): Promise<string[]> {
  return (await readdir(join(directory, "default_collection")).catch(() => [])).sort();
}

const KEYS = Array.from({ length: 40 }, (_, i) => `k${i}`);

const CASES: [string, SanitizationStrategy, string, new (...args: never[]) => Error][] = [
  ["a key its sanitization strategy refuses", new Picky(), "refused", InvalidKeyError],
  ["a traversal name", new PassthroughStrategy(), "../escape", PathSecurityError],
  ["a name longer than NAME_MAX", new PassthroughStrategy(), "x".repeat(300), InvalidKeyError],
];

for (const [what, strategy, bad, error] of CASES) {
  for (const at of [0, 20, 39]) {
    test(`FileTreeStore.putMany() with ${what} at ${at} writes nothing`, async () => {
      const directory = fresh();
      const store = new FileTreeStore({
        directory,
        fsync: false,
        keySanitizationStrategy: strategy,
      });
      await store.put("before", { n: 0 });
      const keys = KEYS.slice();
      keys[at] = bad;
      await assert.rejects(store.putMany(keys, keys.map((_, i) => ({ i }))), error);
      assert.deepEqual(await entryFiles(directory), ["before.json"]);
      await settle();
      assert.deepEqual(await entryFiles(directory), ["before.json"]);
      assert.deepEqual((await readdir(directory)).sort(), [
        "default_collection",
        "default_collection-info.json",
      ]);
    });

    test(`FileTreeStore.deleteMany() with ${what} at ${at} deletes nothing`, async () => {
      const directory = fresh();
      const store = new FileTreeStore({
        directory,
        fsync: false,
        keySanitizationStrategy: strategy,
      });
      await store.putMany(KEYS, KEYS.map((_, i) => ({ i })));
      const keys = KEYS.slice();
      keys[at] = bad;
      await assert.rejects(store.deleteMany(keys), error);
      await settle();
      assert.equal((await entryFiles(directory)).length, KEYS.length);
      assert.deepEqual(await store.get("k1"), { i: 1 });
    });
  }
}

test("FileTreeStore.getMany() with a refused key reads nothing and rejects", async () => {
  const store = new FileTreeStore({ directory: fresh(), keySanitizationStrategy: new Picky() });
  await store.put("a", { n: 1 });
  await assert.rejects(store.getMany(["a", "refused"]), InvalidKeyError);
});

test("FileTreeStore.putMany() into a collection whose name is refused creates nothing", async () => {
  const directory = fresh();
  const store = new FileTreeStore({
    directory,
    collectionSanitizationStrategy: new PassthroughStrategy(),
  });
  await assert.rejects(store.putMany(["a"], [{ n: 1 }], { collection: ".." }), PathSecurityError);
  await assert.rejects(
    store.putMany(["a"], [{ n: 1 }], { collection: "c".repeat(300) }),
    InvalidKeyError,
  );
  assert.deepEqual(await readdir(directory), []);
});

test("FileTreeStore.putMany() starts no write after one failed, and rejects once the others settled", async () => {
  const directory = fresh();
  const store = new FileTreeStore({ directory, fsync: false });
  await store.put("before", { n: 0 });
  // A directory where k0's file goes: its rename fails with EISDIR.
  await mkdir(join(directory, "default_collection", "k0.json"));
  const keys = Array.from({ length: 400 }, (_, i) => `k${i}`);
  await assert.rejects(store.putMany(keys, keys.map((_, i) => ({ i }))), KeyValueStoreError);
  const atRejection = await entryFiles(directory);
  await settle();
  assert.deepEqual(await entryFiles(directory), atRejection);
  assert.ok(atRejection.length < keys.length, `${atRejection.length} files: the batch went on`);
  assert.ok(atRejection.every((name) => !name.endsWith(".tmp")), "no temp file is left");
});
