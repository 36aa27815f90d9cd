// This module is browser compatible.
// The page of file_tree_package.test.ts, as a user's app would write it: it
// imports FileTreeStore from the npm package BY NAME (both
// `@kv/core/stores/file-tree`, which a browser bundle resolves to the web
// entry through the `browser` export condition, and `.../web`), runs real
// operations on the Origin Private File System, and publishes the results on
// `globalThis.__results`. Self-contained (no relative imports, no node:*),
// since the test copies it into a throwaway app directory.

import { FileTreeStore } from "@kv/core/stores/file-tree";
import { FileTreeStore as WebFileTreeStore } from "@kv/core/stores/file-tree/web";

interface Result {
  name: string;
  status: "pass" | "fail";
  error?: string;
  ms: number;
}

const cases: [string, () => Promise<void>][] = [];
const check = (name: string, fn: () => Promise<void>) => cases.push([name, fn]);

function same(actual: unknown, expected: unknown, what: string): void {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: got ${a}, expected ${e}`);
}

const root = await navigator.storage.getDirectory();
for await (const [name] of root.entries()) await root.removeEntry(name, { recursive: true });
let n = 0;
const fresh = () => root.getDirectoryHandle(`p${n++}`, { create: true });

async function names(dir: FileSystemDirectoryHandle): Promise<string[]> {
  const out: string[] = [];
  for await (const [name] of dir.entries()) out.push(name);
  return out.sort();
}

check("the package's file-tree entry is the web entry in a browser bundle", async () => {
  if (FileTreeStore !== WebFileTreeStore) throw new Error("two different classes");
  await Promise.resolve();
});

check("a path root is a TypeError naming the entry that opens paths", async () => {
  try {
    new FileTreeStore({ directory: "./data" } as never);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    if (!/@kv\/core\/stores\/file-tree\b/.test(error.message)) throw error;
    return;
  }
  await Promise.resolve();
  throw new Error("no error");
});

check("put, get, keys, ttl and delete on OPFS, expiry by the clock", async () => {
  let now = Date.UTC(2026, 0, 1);
  const directory = await fresh();
  const store = new FileTreeStore({ directory, clock: { now: () => now } });
  const users = { collection: "users" };
  await store.put("user:1", { name: "Ada" }, { ...users, ttl: 60 });
  await store.put("user:2", { name: "Grace" }, users);
  same(await store.get("user:1", users), { name: "Ada" }, "get");
  same((await store.keys(users)).sort(), ["user:1", "user:2"], "keys");
  same(await store.ttl("user:1", users), [{ name: "Ada" }, 60], "ttl");
  same(await store.ttl("user:2", users), [{ name: "Grace" }, null], "ttl without expiry");
  same(await store.collections(), ["users"], "collections");
  same(await names(directory), ["users", "users-info.json"], "root");
  const file = await (await directory.getDirectoryHandle("users")).getFileHandle("user%3A1.json");
  const envelope = JSON.parse(await (await file.getFile()).text());
  same(
    [envelope.key, envelope.collection, envelope.value],
    ["user:1", "users", { name: "Ada" }],
    "file",
  );
  now += 60_000;
  same(await store.get("user:1", users), undefined, "get at the deadline");
  same(await store.ttl("user:1", users), [null, null], "ttl at the deadline");
  same(await store.delete("user:1", users), false, "delete of an expired entry");
  same(await store.keys(users), ["user:2"], "keys after expiry");
  same(await store.delete("user:2", users), true, "delete");
  same(await store.get("user:2", users), undefined, "get after delete");
});

check("batches, putIfAbsent, cull and destroy on OPFS", async () => {
  let now = Date.UTC(2026, 0, 1);
  const store = new WebFileTreeStore({ directory: await fresh(), clock: { now: () => now } });
  await store.putMany(["a", "b", "c"], [{ n: 1 }, { n: 2 }, { n: 3 }], { ttl: 10 });
  same(await store.getMany(["c", "x", "a"]), [{ n: 3 }, undefined, { n: 1 }], "getMany");
  same(await store.putIfAbsent("a", { n: 9 }), false, "putIfAbsent on a live entry");
  same(await store.putIfAbsent("d", { n: 4 }), true, "putIfAbsent on a miss");
  same(await store.deleteMany(["a", "x"]), 1, "deleteMany");
  now += 10_000;
  same(await store.cull(), 2, "cull");
  same(await store.keys(), ["d"], "keys after cull");
  await store.destroy();
  same(await store.collections(), [], "collections after destroy");
});

check("a second store on the same handle reads what the first wrote", async () => {
  const directory = await fresh();
  await new FileTreeStore({ directory }).put("k", { text: "hello" }, { collection: "notes" });
  same(await new WebFileTreeStore({ directory }).get("k", { collection: "notes" }), {
    text: "hello",
  }, "get");
});

const results: Result[] = [];
for (const [name, fn] of cases) {
  const started = performance.now();
  try {
    await fn();
    results.push({ name: `FileTreeStore (npm package, OPFS): ${name}`, status: "pass", ms: 0 });
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    results.push({
      name: `FileTreeStore (npm package, OPFS): ${name}`,
      status: "fail",
      error: text,
      ms: performance.now() - started,
    });
  }
}
(globalThis as { __results?: Result[] }).__results = results;
