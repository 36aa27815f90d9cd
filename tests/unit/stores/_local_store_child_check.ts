// Checks that a second process reads what a first one wrote (see _local_store_child.ts).

import assert from "node:assert/strict";
import { runScript } from "../../_processes.ts";

/**
 * Writes with one child process (run by `writer`, by default this runtime),
 * reads with another, and checks what it found.
 */
export async function checkPersistence(
  kind: "file-tree" | "deno-kv",
  location: string,
  writer?: string,
): Promise<void> {
  await runScript(import.meta.url, "_local_store_child", [kind, location, "write"], writer);
  const found = JSON.parse(
    await runScript(import.meta.url, "_local_store_child", [kind, location, "read"]),
  );
  assert.equal(found.greeting.text, "hello");
  assert.notEqual(found.greeting.pid, found.pid, "the reader is a different process");
  assert.deepEqual(found.session, { user: "ada" });
  assert.equal(found.ttlLeft, true);
  assert.equal(found.flash, undefined);
  assert.deepEqual(found.batch, ["a", "b/c", "Ключ"].sort());
  assert.deepEqual(found.values, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  assert.deepEqual(found.collections, ["batch::1", "default_collection"]);
}
