// The two FileTreeStore entries: stores/file_tree/web.ts (directory handles
// only, never reaching node:*) and stores/file_tree/mod.ts (its subclass that
// adds path roots). The store itself on a handle runs in Chromium
// (tests/browser/).

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { FileTreeStore } from "../../../../stores/file_tree/mod.ts";
import { FileTreeStore as WebFileTreeStore } from "../../../../stores/file_tree/web.ts";

const base = await mkdtemp(join(tmpdir(), "kv-file-tree-web-"));
after(() => rm(base, { recursive: true, force: true }));

/** Enough of a FileSystemDirectoryHandle for the constructor (it opens nothing). */
const handle = { kind: "directory", name: "kv" } as unknown as FileSystemDirectoryHandle;

test("FileTreeStore (web entry) refuses a path root with a TypeError naming the entry for paths", () => {
  assert.throws(
    () => new WebFileTreeStore({ directory: "./data" } as never),
    (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /"\.\/data"/);
      assert.match(error.message, /@kv\/core\/stores\/file-tree\b(?!\/)/);
      assert.match(error.message, /FileSystemDirectoryHandle/);
      return true;
    },
  );
});

test("FileTreeStore (web entry) refuses what is no directory handle with a TypeError", () => {
  for (const directory of ["", 1, null, undefined, { kind: "file" }, {}]) {
    assert.throws(
      () => new WebFileTreeStore({ directory } as never),
      (error: unknown) =>
        error instanceof TypeError && /FileSystemDirectoryHandle/.test(error.message),
      String(directory),
    );
  }
});

test("FileTreeStore (web entry) takes a directory handle and refuses unknown options", () => {
  const store = new WebFileTreeStore({ directory: handle });
  assert.equal(store.constructor.name, "FileTreeStore");
  assert.equal(store.location, undefined);
  assert.throws(
    () => new WebFileTreeStore({ directory: handle, bogus: 1 } as never),
    (error: unknown) => error instanceof TypeError && /bogus/.test(error.message),
  );
});

test("FileTreeStore (path entry) is the web entry's class plus path roots", async () => {
  const store = new FileTreeStore({ directory: join(base, "a"), fsync: false });
  assert.ok(store instanceof WebFileTreeStore);
  assert.equal(store.constructor.name, "FileTreeStore");
  await store.put("k", { n: 1 });
  assert.deepEqual(await store.get("k"), { n: 1 });
  assert.equal(store.location, join(base, "a"));
  assert.ok(new FileTreeStore({ directory: handle }) instanceof WebFileTreeStore);
});

test("FileTreeStore: a subclass of the path entry's class opens paths, one of the web entry's does not", async () => {
  class Mine extends FileTreeStore {}
  const mine = new Mine({ directory: join(base, "b"), fsync: false });
  await mine.put("k", { n: 2 });
  assert.deepEqual(await mine.get("k"), { n: 2 });
  class MineWeb extends WebFileTreeStore {}
  assert.throws(() => new MineWeb({ directory: join(base, "c") } as never), TypeError);
});

test("FileTreeStore (web entry) bundles for a browser without code splitting and without node:", async () => {
  const { build } = await import("esbuild");
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const entry = new URL(`../../../../stores/file_tree/web${ext}`, import.meta.url);
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    splitting: false,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  const text = result.outputFiles[0]!.text;
  assert.doesNotMatch(text, /["']node:/);
  assert.doesNotMatch(text, /\brequire\(/);
  assert.doesNotMatch(text, /\bimport\(/);
  assert.match(text, /createWritable/);
});
