// A child process of the persistence tests: writes to, or reads from, a
// FileTreeStore or DenoKvStore and prints what it found as JSON.
// Usage: <runtime> _local_store_child.ts <file-tree|deno-kv> <location> <write|read>

import process from "node:process";
import type { AsyncKeyValue } from "../../../core/protocol.ts";
import { DenoKvStore } from "../../../stores/deno_kv/mod.ts";
import { FileTreeStore } from "../../../stores/file_tree/mod.ts";

const [kind, location, mode] = process.argv.slice(2);
const store = kind === "file-tree"
  ? new FileTreeStore({ directory: location! })
  : new DenoKvStore({ path: location! });

async function write(store: AsyncKeyValue): Promise<void> {
  await store.put("greeting", { text: "hello", pid: process.pid });
  await store.put("session", { user: "ada" }, { ttl: 3600 });
  await store.put("flash", { gone: true }, { ttl: 0.001 });
  await store.putMany(["a", "b/c", "Ключ"], [{ n: 1 }, { n: 2 }, { n: 3 }], {
    collection: "batch::1",
  });
}

async function read(store: FileTreeStore | DenoKvStore): Promise<unknown> {
  const [session, ttl] = await store.ttl("session");
  return {
    greeting: await store.get("greeting"),
    session,
    ttlLeft: typeof ttl === "number" && ttl > 3500 && ttl <= 3600,
    flash: await store.get("flash"),
    batch: (await store.keys({ collection: "batch::1" })).sort(),
    values: await store.getMany(["a", "b/c", "Ключ"], { collection: "batch::1" }),
    collections: (await store.collections()).sort(),
    pid: process.pid,
  };
}

if (mode === "write") await write(store);
else process.stdout.write(JSON.stringify(await read(store)));
if (store instanceof DenoKvStore) await store.close();
