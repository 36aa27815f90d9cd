import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  FileTreeV1CollectionSanitizationStrategy,
  FileTreeV1KeySanitizationStrategy,
} from "../../../../stores/file_tree/sanitization.ts";
import {
  DeserializationError,
  InvalidKeyError,
  KeyValueStoreError,
  StoreSetupError,
} from "../../../../core/errors.ts";
import { FileTreeStore } from "../../../../stores/file_tree/mod.ts";
import { testConformance } from "../../../../testing/_conformance.ts";

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
  // V1 cuts over-long names of allowed characters without a hash: refused, so no two share a file.
  refusedKeys: ["k".repeat(300)],
  refusedCollections: ["c".repeat(300)],
  skip: {
    "a long key (800 characters) works":
      "V1 cuts over-long names without a hash, so it refuses them (FileTreeKeySanitizationStrategy hashes them)",
    "a long collection name (1,500 characters) works":
      "V1 cuts over-long names without a hash, so it refuses them (FileTreeCollectionSanitizationStrategy hashes them)",
  },
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
  // py-key-value records no key in its files and the name's hash cannot be
  // reversed: keys() omits such an entry rather than list a name get() refuses.
  assert.deepEqual(await store.keys({ collection: "test::coll" }), []);
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

test("FileTreeStore with V1 names reads and lists py-key-value's S_ and H_ keys", async () => {
  const directory = fresh();
  await mkdir(join(directory, "users"), { recursive: true });
  await writeFile(
    join(directory, "users-info.json"),
    '{"collection": "users", "created_at": "2026-01-01T00:00:00+00:00", "version": 1}',
  );
  const envelope = (n: number) =>
    `{"created_at": "2026-01-01T00:00:00+00:00", "value": {"n": ${n}}, "version": 1}`;
  // py-key-value sanitizes keys without validating them: these keep their names.
  await writeFile(join(directory, "users", "S_raw_key.json"), envelope(1));
  await writeFile(join(directory, "users", "H_raw.json"), envelope(2));
  await writeFile(join(directory, "users", "plain.json"), envelope(3));
  // "with space", sanitized: the file records no key.
  await writeFile(join(directory, "users", "S_with_space-b8b8f25a.json"), envelope(4));
  const store = new FileTreeStore({ directory, ...v1() });
  assert.deepEqual(await store.get("S_raw_key", { collection: "users" }), { n: 1 });
  assert.deepEqual(await store.get("H_raw", { collection: "users" }), { n: 2 });
  assert.deepEqual(await store.get("with space", { collection: "users" }), { n: 4 });
  assert.deepEqual((await store.keys({ collection: "users" })).sort(), [
    "H_raw",
    "S_raw_key",
    "plain",
  ]);
  for (const key of await store.keys({ collection: "users" })) {
    assert.notEqual(await store.get(key, { collection: "users" }), undefined, key);
  }
  // Written by this store, the file records the key, so keys() gives it back.
  await store.put("with space", { n: 5 }, { collection: "users" });
  await store.put("S_mine", { n: 6 }, { collection: "users" });
  assert.deepEqual((await store.keys({ collection: "users" })).sort(), [
    "H_raw",
    "S_mine",
    "S_raw_key",
    "plain",
    "with space",
  ]);
  assert.deepEqual(
    await readFile(join(directory, "users", "S_mine.json"), "utf8").then(JSON.parse).then((e) =>
      e.key
    ),
    "S_mine",
  );
});

test("FileTreeStore with V1 names refuses the one S_ key that names another key's file", async () => {
  const store = new FileTreeStore({ directory: fresh(), ...v1() });
  const long = "a".repeat(300); // truncated to S_ + 248 characters
  const clash = `S_${"a".repeat(248)}`;
  assert.equal(new FileTreeV1KeySanitizationStrategy().sanitize(long), clash);
  await assert.rejects(store.put(clash, { n: 1 }), InvalidKeyError);
  await store.put(`S_${"a".repeat(247)}`, { n: 2 });
  // The long key itself is refused too: V1 would cut it without a hash.
  await assert.rejects(store.put(long, { n: 3 }), InvalidKeyError);
  assert.deepEqual(await store.get(`S_${"a".repeat(247)}`), { n: 2 });
});

test("FileTreeStore.delete() of an expired entry resolves false and deleteMany() does not count it", async () => {
  const directory = fresh();
  let now = Date.UTC(2026, 0, 1);
  const store = new FileTreeStore({ directory, fsync: false, clock: { now: () => now } });
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { ttl: 10 });
  await store.put("c", { n: 3 });
  now += 9_999;
  assert.deepEqual(await store.get("a"), { n: 1 });
  now += 1; // exactly at the deadline
  assert.equal(await store.get("a"), undefined);
  assert.equal(await store.delete("a"), false);
  assert.equal(await store.deleteMany(["b", "c"]), 1);
  assert.deepEqual(await readdir(join(directory, "default_collection")), []);
  // An expired entry's file is gone, so putIfAbsent and a later delete agree.
  await store.put("d", { n: 4 }, { ttl: 1 });
  now += 1_000;
  assert.equal(await store.deleteMany(["d", "d"]), 0);
  assert.equal(await store.putIfAbsent("d", { n: 5 }), true);
  assert.equal(await store.delete("d"), true);
});

test("FileTreeStore reads its clock for every TTL check: keys(), cull() and putIfAbsent()", async () => {
  let now = Date.UTC(2026, 0, 1);
  const store = new FileTreeStore({ directory: fresh(), fsync: false, clock: { now: () => now } });
  await store.put("k", { n: 1 }, { ttl: 1 });
  now += 999;
  assert.deepEqual(await store.keys(), ["k"]);
  assert.equal(await store.putIfAbsent("k", { n: 2 }), false);
  assert.equal(await store.cull(), 0);
  now += 1;
  assert.deepEqual(await store.keys(), []);
  assert.equal(await store.cull(), 1);
  assert.equal(await store.putIfAbsent("k", { n: 3 }), true);
  assert.deepEqual(await store.ttl("k"), [{ n: 3 }, undefined]);
});

test("FileTreeStore refuses an unknown constructor option with a TypeError naming it", () => {
  assert.throws(
    // @ts-expect-error: checking the runtime guard
    () => new FileTreeStore({ directory: fresh(), fsynk: false }),
    (error: unknown) =>
      error instanceof TypeError && /fsynk/.test(error.message) && /fsync/.test(error.message),
  );
  new FileTreeStore({ directory: fresh(), autoCreate: true, fsync: false, defaultCollection: "d" });
});

test("FileTreeStore maps a file-system error to KeyValueStoreError naming the store, with the cause", async () => {
  const directory = fresh();
  const store = new FileTreeStore({ directory, fsync: false });
  await store.put("ok", { n: 1 });
  await mkdir(join(directory, "default_collection", "k.json")); // a directory where a file goes
  for (const call of [() => store.put("k", { n: 1 }), () => store.get("k")]) {
    await assert.rejects(call(), (error: unknown) => {
      if (!(error instanceof KeyValueStoreError)) throw error;
      assert.match(error.message, /^Cannot (put into|get from) FileTreeStore: /);
      assert.equal(error.extraInfo?.store, "FileTreeStore");
      assert.ok((error.cause as { code?: string }).code, "keeps the file-system error");
      return true;
    });
  }
});

test("FileTreeStore.cull() removes stale temp files of killed writers, and keys() never lists them", async () => {
  const directory = fresh();
  let now = Date.now();
  const store = new FileTreeStore({ directory, fsync: false, clock: { now: () => now } });
  await store.put("k", { n: 1 });
  const dir = join(directory, "default_collection");
  const temps = [".0123456789abcdef.tmp", "tmpab_c1234.tmp", "k.json.tmp"];
  for (const name of temps) await writeFile(join(dir, name), '{"value": {"half": ');
  await writeFile(join(directory, ".fedcba9876543210.tmp"), "{");
  await writeFile(join(directory, "notes.tmp"), "not ours");
  assert.deepEqual(await store.keys(), ["k"]);
  assert.equal(await store.cull(), 0);
  assert.deepEqual((await readdir(dir)).sort(), [...temps, "k.json"].sort());
  now += 3_600_000 + 60_000; // past the one-hour bound
  assert.equal(await store.cull(), 0); // counts expired entries; temp files go too
  assert.deepEqual(await readdir(dir), ["k.json"]);
  assert.deepEqual((await readdir(directory)).sort(), [
    "default_collection",
    "default_collection-info.json",
    "notes.tmp",
  ]);
  assert.deepEqual(await store.get("k"), { n: 1 });
});
