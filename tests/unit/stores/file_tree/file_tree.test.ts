import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  FileTreeV1CollectionSanitizationStrategy,
  FileTreeV1KeySanitizationStrategy,
} from "../../../../stores/file_tree/sanitization.ts";
import { DeserializationError, StoreSetupError } from "../../../../core/errors.ts";
import { FileTreeStore } from "../../../../stores/file_tree/mod.ts";
import { testConformance } from "../../../../testing/conformance.ts";

const ALL = ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"] as const;
const base = await mkdtemp(join(tmpdir(), "kv-file-tree-"));
let n = 0;
after(() => rm(base, { recursive: true, force: true }));

function fresh(): string {
  return join(base, `t${n++}`);
}

const v1 = () => ({
  keySanitizationStrategy: new FileTreeV1KeySanitizationStrategy(),
  collectionSanitizationStrategy: new FileTreeV1CollectionSanitizationStrategy(),
});

testConformance("FileTreeStore", {
  factory: ({ clock }) => new FileTreeStore({ directory: fresh(), fsync: false, clock }),
  clock: true,
  capabilities: ALL,
  propertyRuns: 50,
  construct: (extra) => new FileTreeStore({ directory: fresh(), fsync: false, ...extra }),
});

testConformance("FileTreeStore (py-key-value V1 names)", {
  factory: ({ clock }) => new FileTreeStore({ directory: fresh(), fsync: false, clock, ...v1() }),
  clock: true,
  capabilities: ALL,
  propertyRuns: 20,
  namesRuns: 20,
  // The V1 strategies refuse names with their reserved prefixes.
  refusedKeys: ["S_x", "H_x"],
  refusedCollections: ["S_c", "H_c"],
});

test("FileTreeStore writes root/<collection>/<key>.json and <collection>-info.json", async () => {
  const directory = fresh();
  const store = new FileTreeStore({ directory });
  await store.put("user:1", { name: "Ada" }, { collection: "users", ttl: 60 });
  assert.deepEqual((await readdir(directory)).sort(), ["users", "users-info.json"]);
  assert.deepEqual(await readdir(join(directory, "users")), ["user%3A1.json"]);
  const envelope = JSON.parse(await readFile(join(directory, "users", "user%3A1.json"), "utf8"));
  assert.deepEqual(Object.keys(envelope), [
    "collection",
    "created_at",
    "expires_at",
    "key",
    "value",
    "version",
  ]);
  assert.equal(envelope.key, "user:1");
  assert.equal(envelope.collection, "users");
  assert.deepEqual(envelope.value, { name: "Ada" });
  assert.match(envelope.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
  const info = JSON.parse(await readFile(join(directory, "users-info.json"), "utf8"));
  assert.equal(info.collection, "users");
  assert.equal(info.version, 1);
  assert.equal(info.directory, join(store.location!, "users"));
  assert.match(info.created_at, /\+00:00$/);
});

test("FileTreeStore data survives a new store instance on the same directory", async () => {
  const directory = fresh();
  const first = new FileTreeStore({ directory });
  await first.putMany(["a", "B"], [{ n: 1 }, { n: 2 }], { collection: "Things" });
  const second = new FileTreeStore({ directory });
  assert.deepEqual(await second.getMany(["a", "B"], { collection: "Things" }), [
    { n: 1 },
    { n: 2 },
  ]);
  assert.deepEqual((await second.keys({ collection: "Things" })).sort(), ["B", "a"]);
  assert.deepEqual(await second.collections(), ["Things"]);
});

test("FileTreeStore handles 1,000-character keys and collections of any characters", async () => {
  const store = new FileTreeStore({ directory: fresh(), fsync: false });
  const key = "k/é:".repeat(250);
  const collection = "c.🔑".repeat(250);
  await store.put(key, { long: true }, { collection });
  await store.put("short", { long: false }, { collection });
  assert.deepEqual(await store.get(key, { collection }), { long: true });
  assert.deepEqual((await store.keys({ collection })).sort(), [key, "short"].sort());
  assert.deepEqual(await store.collections(), [collection]);
  assert.equal(await store.delete(key, { collection }), true);
  assert.equal(await store.destroyCollection(collection), true);
  assert.deepEqual(await store.collections(), []);
});

test("FileTreeStore reads entries and metadata that py-key-value wrote", async () => {
  const directory = fresh();
  await mkdir(join(directory, "S_test_coll-a98d03b2"), { recursive: true });
  await writeFile(
    join(directory, "S_test_coll-a98d03b2-info.json"),
    JSON.stringify(
      {
        collection: "test::coll",
        created_at: "2026-01-01T00:00:00.123456+00:00",
        directory: join(directory, "S_test_coll-a98d03b2"),
        version: 1,
      },
      null,
      1,
    ),
  );
  // py-key-value's FileTreeStore omits key and collection and uses ", " / ": ".
  await writeFile(
    join(directory, "S_test_coll-a98d03b2", "S_user_1-abc3a47b.json"),
    '{"created_at": "2026-01-01T00:00:00+00:00", "value": {"name": "Ada"}, "version": 1}',
  );
  await writeFile(
    join(directory, "S_test_coll-a98d03b2", "gone.json"),
    '{"created_at": "2026-01-01T00:00:00+00:00", "expires_at": "2026-01-01T00:00:01+00:00", ' +
      '"value": {"x": 1}, "version": 1}',
  );
  const store = new FileTreeStore({ directory, ...v1() });
  assert.equal(
    new FileTreeV1KeySanitizationStrategy().sanitize("user:1"),
    "S_user_1-abc3a47b",
  );
  assert.equal(
    new FileTreeV1CollectionSanitizationStrategy().sanitize("test::coll"),
    "S_test_coll-a98d03b2",
  );
  assert.deepEqual(await store.get("user:1", { collection: "test::coll" }), { name: "Ada" });
  assert.deepEqual(await store.collections(), ["test::coll"]);
  assert.deepEqual(await store.keys({ collection: "test::coll" }), ["S_user_1-abc3a47b"]);
  assert.equal(await store.get("gone", { collection: "test::coll" }), undefined);
  assert.equal(await store.cull(), 1);
});

test("FileTreeStore lists only names its naming maps back, skipping foreign files", async () => {
  const directory = fresh();
  const store = new FileTreeStore({ directory, fsync: false });
  await store.put("mine", { n: 1 }, { collection: "c" });
  await writeFile(join(directory, "c", "Foreign.json"), '{"value": {}, "version": 1}');
  await writeFile(join(directory, "c", "notes.txt"), "hello");
  await writeFile(join(directory, "README.md"), "hello");
  await mkdir(join(directory, "unrelated"));
  await writeFile(join(directory, "unrelated", "data.json"), "{}");
  assert.deepEqual(await store.keys({ collection: "c" }), ["mine"]);
  assert.deepEqual(await store.collections(), ["c"]);
  assert.equal(await store.destroy(), true);
  assert.deepEqual((await readdir(directory)).sort(), ["README.md", "c", "unrelated"]);
  assert.deepEqual(await readdir(join(directory, "c")), ["notes.txt"]);
  assert.deepEqual(await readdir(join(directory, "unrelated")), ["data.json"]);
});

test("FileTreeStore.get() throws DeserializationError for a corrupt file", async () => {
  const directory = fresh();
  const store = new FileTreeStore({ directory });
  await store.put("k", { n: 1 });
  await writeFile(join(directory, "default_collection", "k.json"), '{"value": {"n": 1');
  await assert.rejects(store.get("k"), DeserializationError);
  assert.deepEqual(await store.keys(), []);
  assert.equal(await store.cull(), 0);
  assert.equal(await store.delete("k"), true);
});

test("FileTreeStore leaves no temp files behind and overwrites atomically", async () => {
  const directory = fresh();
  const store = new FileTreeStore({ directory });
  const big = { text: "x".repeat(200_000) };
  await Promise.all(Array.from({ length: 20 }, (_, i) => store.put("hot", { ...big, i })));
  await Promise.all(Array.from({ length: 10 }, () => store.putIfAbsent("once", { n: 1 })));
  assert.deepEqual((await readdir(join(directory, "default_collection"))).sort(), [
    "hot.json",
    "once.json",
  ]);
  const value = await store.get("hot");
  assert.equal((value?.text as string).length, 200_000);
});

test("FileTreeStore with autoCreate: false refuses a missing root", async () => {
  const store = new FileTreeStore({ directory: join(fresh(), "missing"), autoCreate: false });
  await assert.rejects(store.get("k"), StoreSetupError);
});

test("FileTreeStore refuses a directory option that is not a path or handle", () => {
  // @ts-expect-error: checking the runtime guard
  assert.throws(() => new FileTreeStore({}), TypeError);
  assert.throws(() => new FileTreeStore({ directory: "" }), TypeError);
});
