// Several processes write one FileTreeStore at once: readers never see a
// partial file, and putIfAbsent lets exactly one process win each key; and
// what one process writes, a second one started afterwards reads.

import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runScript } from "../../../_processes.ts";
import { FileTreeStore } from "../../../../stores/file_tree/mod.ts";
import { checkPersistence } from "../_local_store_child_check.ts";

const WRITERS = 3;
const ROUNDS = 150;
const LEASES = 40;

test("FileTreeStore: processes racing on one key never expose a partial file", async () => {
  const directory = await mkdtemp(join(tmpdir(), "kv-file-tree-race-"));
  try {
    const startAt = Date.now() + 3_000;
    const children = Array.from(
      { length: WRITERS },
      (_, id) =>
        runScript(import.meta.url, "_writer", [
          directory,
          String(id),
          String(startAt),
          String(ROUNDS),
          String(LEASES),
        ]),
    );
    let done = false;
    const all = Promise.all(children).finally(() => (done = true));
    const reader = new FileTreeStore({ directory });
    let reads = 0;
    let values = 0;
    while (!done) {
      const value = await reader.get("hot"); // throws DeserializationError on a partial file
      reads++;
      if (value === undefined) continue;
      values++;
      const writer = value.writer as number;
      assert.equal((value.pad as string).length, 50_000 + writer * 1_000);
    }
    const results = (await all).map((out) => JSON.parse(out) as { writer: number; won: number[] });
    assert.ok(values > 0, `the reader saw no value in ${reads} reads`);
    const winners = new Map<number, number>();
    for (const { won } of results) {
      for (const lease of won) winners.set(lease, (winners.get(lease) ?? 0) + 1);
    }
    for (let lease = 0; lease < LEASES; lease++) {
      assert.equal(winners.get(lease), 1, `lease${lease} had ${winners.get(lease) ?? 0} winners`);
      const owner = await reader.get(`lease${lease}`);
      assert.ok(results[owner!.writer as number]!.won.includes(lease));
    }
    const leftovers = (await readdir(join(directory, "default_collection")))
      .filter((name) => !name.endsWith(".json"));
    assert.deepEqual(leftovers, []);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test("FileTreeStore: a second process reads what the first wrote to the directory", async () => {
  const directory = await mkdtemp(join(tmpdir(), "kv-file-tree-persist-"));
  try {
    await checkPersistence("file-tree", directory);
    assert.deepEqual(await new FileTreeStore({ directory }).get("session"), { user: "ada" });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
