// Persistence: what one process writes to a DenoKvStore file, a second
// process started afterwards reads; and a file Bun wrote through @deno/kv
// opens in Deno (the store writes byte values only, which bypass the V8
// serializer Bun lacks).

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkPersistence } from "../_local_store_child_check.ts";
import { DenoKvStore } from "../../../../stores/deno_kv/mod.ts";

const base = await mkdtemp(join(tmpdir(), "kv-persist-"));
after(() => rm(base, { recursive: true, force: true }));

test("DenoKvStore: a second process reads what the first wrote to the file", async () => {
  const path = join(base, "data.sqlite");
  await checkPersistence("deno-kv", path);
  await using store = new DenoKvStore({ path });
  assert.deepEqual(await store.get("session"), { user: "ada" });
});

// deno-lint-ignore no-explicit-any
const isDeno = (globalThis as any).Deno !== undefined;
const bun = fileURLToPath(new URL("../../../../node_modules/.bin/bun", import.meta.url));
const crossRuntime = isDeno && existsSync(bun)
  ? {}
  : { skip: "runs under Deno with node_modules/.bin/bun" };

test("DenoKvStore: Deno reads a file that Bun wrote through @deno/kv", crossRuntime, async () => {
  const path = join(base, "from-bun.sqlite");
  await checkPersistence("deno-kv", path, bun);
});
