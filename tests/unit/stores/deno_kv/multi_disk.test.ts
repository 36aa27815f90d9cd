import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InvalidKeyError } from "../../../../core/errors.ts";
import { DenoKvStore } from "../../../../stores/deno_kv/mod.ts";
import { MAX_VALUE_BYTES } from "../../../../stores/deno_kv/_keys.ts";
import {
  MultiDiskStore,
  type MultiDiskStoreOptions,
} from "../../../../stores/deno_kv/multi_disk.ts";
import type { Clock } from "../../../../core/clock.ts";
import { testConformance } from "../../../../testing/_conformance.ts";

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

test("MultiDiskStore refuses a collection holding a lone surrogate before making any file", async () => {
  const directory = join(base, `t${n++}`);
  await using store = new MultiDiskStore({ directory });
  await assert.rejects(store.put("k", { n: 1 }, { collection: "c\uD800" }), InvalidKeyError);
  await assert.rejects(store.keys({ collection: "\uDFFF" }), InvalidKeyError);
  await assert.rejects(store.put("k\uD800", { n: 1 }), InvalidKeyError);
  const files = await readdir(directory).catch(() => []);
  assert.deepEqual(files.filter((name) => !name.startsWith("default_collection.")), []);
  assert.throws(
    () => new MultiDiskStore({ directory, defaultCollection: "\uD800" }),
    InvalidKeyError,
  );
});

test("MultiDiskStore gives its clock to every collection's store", async () => {
  const clock = { at: Date.parse("2001-01-01T00:00:00Z"), now: () => clock.at };
  const directory = join(base, `t${n++}`);
  await using store = new MultiDiskStore({ directory, clock });
  await store.put("a", { n: 1 }, { ttl: 10, collection: "x" });
  await store.put("b", { n: 2 }, { ttl: 20, collection: "y" });
  clock.at += 9_999;
  assert.deepEqual(await store.collections(), ["x", "y"]);
  clock.at += 1;
  assert.equal(await store.get("a", { collection: "x" }), undefined);
  assert.deepEqual(await store.collections(), ["y"]);
  assert.equal(await store.delete("a", { collection: "x" }), false);
  assert.throws(() => new MultiDiskStore({ directory, clock: {} as never }), TypeError);
});
