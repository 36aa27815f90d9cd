import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DenoKvStore } from "../../../../stores/deno_kv/mod.ts";
import { MAX_VALUE_BYTES } from "../../../../stores/deno_kv/_keys.ts";
import {
  MultiDiskStore,
  type MultiDiskStoreOptions,
} from "../../../../stores/deno_kv/multi_disk.ts";
import type { Clock } from "../../../../core/clock.ts";
import { testConformance } from "../../../../testing/conformance.ts";

const ALL = ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"] as const;
const base = await mkdtemp(join(tmpdir(), "kv-multi-disk-"));
after(() => rm(base, { recursive: true, force: true }));
let n = 0;

// MultiDiskStoreOptions does not name `clock` yet: the suite passes it, as to every store.
const withClock = (clock: Clock): MultiDiskStoreOptions =>
  ({ directory: join(base, `t${n++}`), clock }) as MultiDiskStoreOptions;

testConformance("MultiDiskStore", {
  factory: ({ clock }) => new MultiDiskStore(withClock(clock)),
  clock: true,
  construct: (extra) => new MultiDiskStore({ directory: join(base, `t${n++}`), ...extra }),
  capabilities: ALL,
  maxValueBytes: MAX_VALUE_BYTES - 512,
  propertyRuns: 20,
});

test("MultiDiskStore keeps one Deno KV file per collection that DenoKvStore opens", async () => {
  const directory = join(base, `t${n++}`);
  const store = new MultiDiskStore({ directory });
  const long = "c".repeat(300);
  await store.put("ada", { admin: true }, { collection: "Users" });
  await store.put("k", { n: 1 });
  await store.put("k", { n: 2 }, { collection: long });
  const files = (await readdir(directory)).filter((name) => name.endsWith(".sqlite")).sort();
  assert.equal(files.length, 3);
  assert.ok(files.includes("%55sers.sqlite") && files.includes("default_collection.sqlite"));
  assert.deepEqual((await store.collections()).sort(), ["Users", long, "default_collection"]);
  await store.close();
  await using single = new DenoKvStore({ path: join(directory, "%55sers.sqlite") });
  assert.deepEqual(await single.get("ada", { collection: "Users" }), { admin: true });
  const reopened = new MultiDiskStore({ directory });
  assert.deepEqual(await reopened.get("k", { collection: long }), { n: 2 });
  await reopened.close();
});
