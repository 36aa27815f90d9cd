// DenoKvStore on Deno without `--unstable-kv`: a StoreSetupError naming the
// flag, never a fallback to the npm addon. The project's deno.json enables
// KV, so a subprocess runs with `--no-config` to get a Deno without it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
const mod = new URL("../../../../stores/deno_kv/mod.ts", import.meta.url).href;
const errors = new URL("../../../../core/errors.ts", import.meta.url).href;

test(
  "DenoKvStore.get() on Deno without --unstable-kv rejects with a StoreSetupError naming the flag",
  {
    skip: !isDeno,
  },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), "kv-unstable-"));
    try {
      const script = join(dir, "probe.ts");
      await writeFile(
        script,
        `import { DenoKvStore } from ${JSON.stringify(mod)};
import { StoreSetupError } from ${JSON.stringify(errors)};
const store = new DenoKvStore({ path: ${JSON.stringify(join(dir, "kv.db"))} });
try {
  await store.get("k");
  console.log(JSON.stringify({ ok: true }));
} catch (error) {
  const e = error as Error;
  console.log(JSON.stringify({ setup: error instanceof StoreSetupError, message: e.message }));
}
`,
      );
      // deno-lint-ignore no-explicit-any
      const deno = (globalThis as any).Deno.execPath() as string;
      const run = spawnSync(deno, ["run", "--no-config", "-A", script], { encoding: "utf8" });
      assert.equal(run.status, 0, run.stderr);
      const result = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
      assert.equal(result.setup, true, run.stdout);
      assert.match(result.message, /--unstable-kv/);
      assert.doesNotMatch(result.message, /@deno\/kv|napi/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
