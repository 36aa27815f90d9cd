// Persistence: what one process writes to a DenoKvStore file, a second
// process started afterwards reads.

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { checkPersistence } from "./_local_store_child_check.ts";
import { DenoKvStore } from "../../stores/deno_kv.ts";

const base = await mkdtemp(join(tmpdir(), "kv-persist-"));
after(() => rm(base, { recursive: true, force: true }));

test("DenoKvStore: a second process reads what the first wrote to the file", async () => {
  const path = join(base, "data.sqlite");
  await checkPersistence("deno-kv", path);
  await using store = new DenoKvStore({ path });
  assert.deepEqual(await store.get("session"), { user: "ada" });
});
