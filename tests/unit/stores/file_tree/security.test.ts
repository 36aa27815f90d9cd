import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { InvalidKeyError, PathSecurityError } from "../../../../core/errors.ts";
import { PassthroughStrategy } from "../../../../core/sanitization.ts";
import { FileTreeStore } from "../../../../stores/file_tree/mod.ts";

const base = await mkdtemp(join(tmpdir(), "kv-file-tree-sec-"));
let n = 0;
after(() => rm(base, { recursive: true, force: true }));

/** A root inside `base` and a sibling directory outside it holding a secret. */
async function setup(): Promise<{ root: string; outside: string }> {
  const dir = join(base, `t${n++}`);
  const root = join(dir, "root");
  const outside = join(dir, "outside");
  await mkdir(root, { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(outside, "secret.json"), '{"value": {"secret": true}, "version": 1}');
  return { root, outside };
}

const passthrough = () => ({
  keySanitizationStrategy: new PassthroughStrategy(),
  collectionSanitizationStrategy: new PassthroughStrategy(),
});

async function outsideUntouched(outside: string): Promise<void> {
  assert.deepEqual(await readdir(outside), ["secret.json"]);
  assert.equal(
    await readFile(join(outside, "secret.json"), "utf8"),
    '{"value": {"secret": true}, "version": 1}',
  );
}

test("FileTreeStore refuses keys that would leave the root with PathSecurityError", async () => {
  const { root, outside } = await setup();
  const store = new FileTreeStore({ directory: root, ...passthrough() });
  for (const key of ["../../outside/secret", "../x", "..", ".", "a/b", "/etc/passwd", "a\\b"]) {
    await assert.rejects(store.get(key), PathSecurityError, key);
    await assert.rejects(store.put(key, { evil: true }), PathSecurityError, key);
    await assert.rejects(store.delete(key), PathSecurityError, key);
    await assert.rejects(store.putIfAbsent(key, { evil: true }), PathSecurityError, key);
  }
  await outsideUntouched(outside);
  assert.deepEqual(await readdir(root), []);
});

test("FileTreeStore refuses collections that would leave the root with PathSecurityError", async () => {
  const { root, outside } = await setup();
  const store = new FileTreeStore({ directory: root, ...passthrough() });
  for (const collection of ["../outside", "..", "/tmp", "a/../../outside"]) {
    await assert.rejects(store.get("secret", { collection }), PathSecurityError, collection);
    await assert.rejects(store.put("k", { evil: true }, { collection }), PathSecurityError);
    await assert.rejects(store.keys({ collection }), PathSecurityError);
    await assert.rejects(store.destroyCollection(collection), PathSecurityError);
  }
  await outsideUntouched(outside);
});

test("FileTreeStore's default naming keeps hostile names inside the root", async () => {
  const { root, outside } = await setup();
  const store = new FileTreeStore({ directory: root, fsync: false });
  const names = ["../../outside/secret", "..", "/etc/passwd", "C:\\Windows", "\0"];
  for (const name of names) await store.put(name, { ok: true }, { collection: "../outside" });
  assert.deepEqual((await store.keys({ collection: "../outside" })).sort(), [...names].sort());
  assert.equal(await store.get("secret", { collection: "../outside" }), undefined);
  assert.equal(await store.destroy(), true);
  await outsideUntouched(outside);
  assert.deepEqual(await readdir(root), []);
});

test("FileTreeStore refuses a collection directory that is a symlink leading outside", async () => {
  const { root, outside } = await setup();
  await symlink(outside, join(root, "escape"), "dir");
  await writeFile(join(root, "escape-info.json"), '{"collection": "escape", "version": 1}');
  const store = new FileTreeStore({ directory: root });
  await assert.rejects(store.get("secret", { collection: "escape" }), PathSecurityError);
  await assert.rejects(store.put("k", { evil: true }, { collection: "escape" }), PathSecurityError);
  await assert.rejects(store.delete("secret", { collection: "escape" }), PathSecurityError);
  await assert.rejects(store.keys({ collection: "escape" }), PathSecurityError);
  await assert.rejects(store.destroyCollection("escape"), PathSecurityError);
  // Walks of the whole root skip it rather than follow it.
  assert.deepEqual(await store.collections(), []);
  assert.equal(await store.cull(), 0);
  assert.equal(await store.destroy(), true);
  await outsideUntouched(outside);
});

test("FileTreeStore refuses an entry file that is a symlink leading outside", async () => {
  const { root, outside } = await setup();
  const store = new FileTreeStore({ directory: root });
  await store.put("mine", { n: 1 });
  await symlink(join(outside, "secret.json"), join(root, "default_collection", "stolen.json"));
  await assert.rejects(store.get("stolen"), PathSecurityError);
  assert.deepEqual(await store.keys(), ["mine"]);
  // Overwriting or deleting replaces or removes the link, never its target.
  await store.put("stolen", { n: 2 });
  assert.deepEqual(await store.get("stolen"), { n: 2 });
  assert.equal(await store.delete("stolen"), true);
  await symlink(join(outside, "secret.json"), join(root, "default_collection", "stolen.json"));
  assert.equal(await store.destroy(), true);
  await outsideUntouched(outside);
});

test("FileTreeStore follows symlinks that stay inside the root", async () => {
  const { root } = await setup();
  const store = new FileTreeStore({ directory: root });
  await store.put("real", { n: 1 }, { collection: "data" });
  await symlink(join(root, "data"), join(root, "alias"), "dir");
  await symlink(join(root, "data", "real.json"), join(root, "data", "same.json"));
  assert.deepEqual(await store.get("real", { collection: "alias" }), { n: 1 });
  assert.deepEqual(await store.get("same", { collection: "data" }), { n: 1 });
});

test("FileTreeStore works when the root itself is reached through a symlink", async () => {
  const { root } = await setup();
  const link = `${root}-link`;
  await symlink(root, link, "dir");
  const store = new FileTreeStore({ directory: link });
  await store.put("k", { n: 1 });
  assert.deepEqual(await new FileTreeStore({ directory: root }).get("k"), { n: 1 });
});

test("FileTreeStore refuses a collection directory swapped for an outside symlink after first use", async () => {
  const { root, outside } = await setup();
  const store = new FileTreeStore({ directory: root, fsync: false });
  const c = { collection: "c" };
  await store.putMany(["a", "secret"], [{ n: 1 }, { n: 2 }], c);
  assert.deepEqual((await store.keys(c)).sort(), ["a", "secret"]);
  // Swap the directory the store already used for a link to the outside.
  await rm(join(root, "c"), { recursive: true });
  await symlink(outside, join(root, "c"), "dir");
  const refused = [
    () => store.put("k", { evil: true }, c),
    () => store.putMany(["k", "j"], [{ evil: true }, { evil: true }], c),
    () => store.putIfAbsent("k", { evil: true }, c),
    () => store.get("secret", c),
    () => store.getMany(["secret"], c),
    () => store.ttl("secret", c),
    () => store.delete("secret", c),
    () => store.deleteMany(["secret", "a"], c),
    () => store.keys(c),
    () => store.destroyCollection("c"),
  ];
  for (const call of refused) await assert.rejects(call(), PathSecurityError, String(call));
  // Walks of the whole root skip it.
  assert.equal(await store.cull(), 0);
  assert.deepEqual(await store.collections(), []);
  assert.equal(await store.destroy(), true);
  await outsideUntouched(outside);
  // The store keeps working elsewhere.
  await store.put("k", { n: 3 }, { collection: "d" });
  assert.deepEqual(await store.get("k", { collection: "d" }), { n: 3 });
});

test("FileTreeStore refuses an entry file swapped for an outside symlink after first use", async () => {
  const { root, outside } = await setup();
  const store = new FileTreeStore({ directory: root, fsync: false, clock: { now: () => 0 } });
  await store.put("stolen", { n: 1 });
  const file = join(root, "default_collection", "stolen.json");
  await rm(file);
  await symlink(join(outside, "secret.json"), file);
  await assert.rejects(store.get("stolen"), PathSecurityError);
  await assert.rejects(store.delete("stolen"), PathSecurityError);
  await assert.rejects(store.deleteMany(["stolen"]), PathSecurityError);
  await assert.rejects(store.putIfAbsent("stolen", { n: 2 }), PathSecurityError);
  assert.equal(await store.cull(), 0);
  assert.deepEqual(await store.keys(), []);
  await outsideUntouched(outside);
});

test("FileTreeStore skips a -info.json that is a symlink leading outside", async () => {
  const { root, outside } = await setup();
  const store = new FileTreeStore({ directory: root, fsync: false });
  await store.put("k", { n: 1 }, { collection: "mine" });
  await mkdir(join(root, "evil"));
  await writeFile(join(root, "evil", "x.json"), '{"value": {}, "version": 1}');
  await symlink(join(outside, "secret.json"), join(root, "evil-info.json"));
  assert.deepEqual(await store.collections(), ["mine"]);
  assert.equal(await store.cull(), 0);
  assert.equal(await store.destroy(), true);
  await outsideUntouched(outside);
});

for (const order of [["x", "x-info.json"], ["x-info.json", "x"]]) {
  test(`FileTreeStore keeps collections ${order.join(" then ")} apart from metadata files`, async () => {
    const { root } = await setup();
    const store = new FileTreeStore({ directory: root, fsync: false });
    for (const collection of order) await store.put("k", { collection }, { collection });
    for (const collection of order) {
      assert.deepEqual(await store.get("k", { collection }), { collection });
      assert.deepEqual(await store.keys({ collection }), ["k"]);
    }
    assert.deepEqual((await store.collections()).sort(), ["x", "x-info.json"]);
    assert.equal(await store.destroyCollection(order[0]!), true);
    assert.deepEqual(await store.get("k", { collection: order[1]! }), { collection: order[1] });
    assert.deepEqual(await new FileTreeStore({ directory: root }).collections(), [order[1]]);
  });

  test(`FileTreeStore with a strategy refuses a collection named like a metadata file (${order.join(" then ")})`, async () => {
    const { root } = await setup();
    const store = new FileTreeStore({ directory: root, fsync: false, ...passthrough() });
    for (const collection of order) {
      if (collection === "x") await store.put("k", { collection }, { collection });
      else {
        await assert.rejects(store.put("k", { collection }, { collection }), InvalidKeyError);
        await assert.rejects(store.get("k", { collection }), InvalidKeyError);
        await assert.rejects(store.put("k", {}, { collection: "X-INFO.JSON" }), InvalidKeyError);
      }
    }
    assert.deepEqual(await store.get("k", { collection: "x" }), { collection: "x" });
    assert.deepEqual((await readdir(root)).sort(), ["x", "x-info.json"]);
  });
}
