// Several processes write one FileTreeStore at once: readers never see a
// partial file, and putIfAbsent lets exactly one process win each key.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { test } from "node:test";
import { FileTreeStore } from "../../stores/file_tree.ts";

const WRITERS = 3;
const ROUNDS = 150;
const LEASES = 40;

/** The command that runs a TypeScript (or, in the npm build, JavaScript) file in this runtime. */
function childCommand(script: string, args: string[]): [string, string[]] {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  if (g.Deno) return [process.execPath, ["run", "-A", script, ...args]];
  return [process.execPath, [script, ...args]];
}

function run(script: string, args: string[]): Promise<string> {
  const [command, argv] = childCommand(script, args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`writer exited with ${code}: ${err}`));
    });
  });
}

test("FileTreeStore: processes racing on one key never expose a partial file", async () => {
  const directory = await mkdtemp(join(tmpdir(), "kv-file-tree-race-"));
  try {
    const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
    const script = fileURLToPath(new URL(`./_file_tree_writer${ext}`, import.meta.url));
    const startAt = Date.now() + 3_000;
    const children = Array.from(
      { length: WRITERS },
      (_, id) =>
        run(script, [directory, String(id), String(startAt), String(ROUNDS), String(LEASES)]),
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
