// Fault test: a private FerretDB (never the shared one) is killed in the middle
// of a workload. Every operation must reject with StoreConnectionError within
// the bound (none hangs), and the same store instance must work again once the
// server is back (on the same data directory).

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { StoreConnectionError } from "../../core/errors.ts";
import { MongoDBStore } from "../../stores/mongodb/mod.ts";
import { freePort, outage, ServerProcess } from "./_fault.ts";
import { REPO_ROOT } from "./_py_docstores.ts";

const ROOT = REPO_ROOT;
const FERRETDB = `${ROOT}.cache/bin/ferretdb`;
// The store's client: 1 s server selection; with headroom.
const BOUND_MS = 3_500;

function env(name: string): string | undefined {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return g.Deno?.env ? g.Deno.env.get(name) : g.process?.env?.[name];
}

let skip: string | undefined;
if (!existsSync(FERRETDB)) {
  if (env("CI")) throw new Error("FerretDB is not built (scripts/services.sh up mongodb)");
  skip = "FerretDB is not built (scripts/services.sh up mongodb)";
}

test("MongoDBStore rejects with StoreConnectionError while the server is down, then recovers", {
  skip,
  timeout: 60_000,
}, async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "kv-ferretdb-fault-"));
  const server = new ServerProcess(
    FERRETDB,
    ["-listen-addr", `127.0.0.1:${port}`, "-data-dir", dataDir, "-log-level", "error"],
    port,
  );
  await server.start();
  const store = new MongoDBStore({ url: `mongodb://127.0.0.1:${port}`, timeout: 1_000 });
  try {
    await store.put("before", { n: 1 });
    const report = await outage(store, server, {
      workers: 8,
      beforeKillMs: 300,
      downMs: 2_500,
      boundMs: BOUND_MS,
    });
    console.log(
      `MongoDBStore: ${report.rejected} operations rejected while down, slowest ` +
        `${report.slowestMs.toFixed(0)} ms; working again ${report.recoveredMs.toFixed(0)} ms ` +
        "after restart",
    );
    assert.deepEqual(await store.get("before"), { n: 1 });
  } finally {
    await store.close();
    await server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("MongoDBStore rejects quickly with StoreConnectionError when no server ever listened", async () => {
  const port = await freePort();
  const store = new MongoDBStore({ url: `mongodb://127.0.0.1:${port}`, timeout: 1_000 });
  const started = performance.now();
  await assert.rejects(store.put("k", { n: 1 }), StoreConnectionError);
  await assert.rejects(store.get("k"), StoreConnectionError);
  assert.ok(performance.now() - started < 2 * BOUND_MS);
  await store.close();
});
