// This module is browser compatible.
// The page of the OPFS browser test: runs the conformance suite against a
// FileTreeStore on the Origin Private File System, each case in a fresh
// directory, plus OPFS-specific checks, and publishes the results on
// `globalThis.__results`.

import { FileTreeStore } from "../../stores/file_tree/web.ts";
import { testConformance } from "../../testing/_conformance.ts";
import { registered, test } from "./_test_shim.ts";
import { runAndPublish } from "./_page_runner.ts";

const ALL = ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"] as const;

const root = await navigator.storage.getDirectory();
for await (const [name] of root.entries()) await root.removeEntry(name, { recursive: true });
let n = 0;
const handle = () => root.getDirectoryHandle(`t${n++}`, { create: true });

testConformance("FileTreeStore (OPFS)", {
  factory: async ({ clock }) => new FileTreeStore({ directory: await handle(), clock }),
  clock: true,
  capabilities: ALL,
  propertyRuns: 30,
  namesRuns: 20,
  construct: async (extra) => new FileTreeStore({ directory: await handle(), ...extra }),
  test,
});

test(
  "FileTreeStore (OPFS): lays out <collection>/<key>.json and <collection>-info.json",
  {},
  async () => {
    const handle = await root.getDirectoryHandle(`t${n++}`, { create: true });
    const store = new FileTreeStore({ directory: handle });
    await store.put("user:1", { name: "Ada" }, { collection: "users" });
    const names: string[] = [];
    for await (const [name] of handle.entries()) names.push(name);
    if (names.sort().join() !== "users,users-info.json") throw new Error(names.join());
    const users = await handle.getDirectoryHandle("users");
    const file = await (await users.getFileHandle("user%3A1.json")).getFile();
    const envelope = JSON.parse(await file.text());
    if (envelope.key !== "user:1" || envelope.value.name !== "Ada") {
      throw new Error(
        await file.text(),
      );
    }
  },
);

test("FileTreeStore (OPFS): a second store on the same handle reads the data", {}, async () => {
  const handle = await root.getDirectoryHandle(`t${n++}`, { create: true });
  await new FileTreeStore({ directory: handle }).put("k", { n: 1 }, { ttl: 60 });
  const [value, ttl] = await new FileTreeStore({ directory: handle }).ttl("k");
  if (value?.n !== 1 || !(ttl! > 59)) throw new Error(JSON.stringify([value, ttl]));
});

test(
  "FileTreeStore (OPFS): expiry, stale temp files and metadata names, by the clock",
  {},
  async () => {
    const handle = await root.getDirectoryHandle(`t${n++}`, { create: true });
    let now = Date.now();
    const store = new FileTreeStore({ directory: handle, clock: { now: () => now } });
    await store.put("k", { n: 1 }, { ttl: 1 });
    await store.put("k", { n: 2 }, { collection: "default_collection-info.json" });
    const dir = await handle.getDirectoryHandle("default_collection");
    const temp = await (await dir.getFileHandle("tmpabcd1234.tmp", { create: true }))
      .createWritable();
    await temp.write("{");
    await temp.close();
    now += 1_000;
    const checks = [
      await store.delete("k") === false,
      (await store.keys()).length === 0,
      await store.cull() === 0,
      (await store.get("k", { collection: "default_collection-info.json" }))?.n === 2,
    ];
    now += 3_600_000 + 60_000;
    await store.cull();
    const left: string[] = [];
    for await (const [name] of dir.entries()) left.push(name);
    if (checks.includes(false) || left.length !== 0) throw new Error(`${checks} ${left}`);
  },
);

await runAndPublish(registered);
