// Fault tests: a private PostgreSQL (never the shared one: a fresh initdb
// cluster on a free port) is killed in the middle of a workload; every
// operation must reject with StoreConnectionError within the bound and the
// same store must work again once the server is back. Also: refused
// connections, a missing database (StoreSetupError) and a malformed URL
// (TypeError at construction).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type Socket } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { StoreConnectionError, StoreSetupError } from "../../core/errors.ts";
import { PostgresStore } from "../../stores/postgres/mod.ts";
import { serviceUrl } from "../_services.ts";
import { freePort, outage, ServerProcess } from "./_fault.ts";

// The store's pool: 1 s connection timeout; with headroom.
const BOUND_MS = 3_500;

function env(name: string): string | undefined {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return g.Deno?.env ? g.Deno.env.get(name) : g.process?.env?.[name];
}

function findPgBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(`${root}/${v}/bin/initdb`));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : `${root}/${versions[0]}/bin`;
}

const PG_BIN = findPgBin();
let skip: string | undefined;
if (!PG_BIN) {
  if (env("CI")) throw new Error("PostgreSQL is not installed (scripts/services.sh up postgres)");
  skip = "PostgreSQL is not installed (scripts/services.sh up postgres)";
}

// PostgreSQL refuses to run as root: as root, run it as the services' user.
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const USER = env("KV_PG_USER") ?? "kvtest";

function asUser(binary: string, args: string[]): [string, string[]] {
  if (!isRoot) return [binary, args];
  return ["setpriv", [`--reuid=${USER}`, `--regid=${USER}`, "--init-groups", binary, ...args]];
}

function initCluster(): string {
  const dir = mkdtempSync(join(tmpdir(), "kv-pg-fault-"));
  if (isRoot) {
    const id = (flag: string) =>
      Number(spawnSync("id", [flag, USER], { encoding: "utf8" }).stdout.trim());
    chownSync(dir, id("-u"), id("-g"));
  }
  const [bin, args] = asUser(`${PG_BIN}/initdb`, [
    "-D",
    `${dir}/data`,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
  ]);
  const done = spawnSync(bin, args, { stdio: "ignore" });
  if (done.status !== 0) throw new Error(`initdb failed (${done.status})`);
  return dir;
}

function server(dir: string, port: number): ServerProcess {
  const [bin, args] = asUser(`${PG_BIN}/postgres`, [
    "-D",
    `${dir}/data`,
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    "-c",
    "unix_socket_directories=",
    "-c",
    "fsync=off",
  ]);
  return new ServerProcess(bin, args, port);
}

test("PostgresStore rejects with StoreConnectionError while the server is down, then recovers", {
  skip,
  timeout: 90_000,
}, async () => {
  const port = await freePort();
  const dir = initCluster();
  const pg = server(dir, port);
  await pg.start();
  const store = new PostgresStore({
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    timeout: 1_000,
  });
  try {
    // The port accepts before the server takes queries ("the database system is
    // starting up", a StoreConnectionError): wait until it answers.
    for (const started = performance.now();;) {
      try {
        await store.put("before", { n: 1 });
        break;
      } catch (error) {
        assert.ok(error instanceof StoreConnectionError, String(error));
        assert.ok(performance.now() - started < 30_000, "the server did not start in 30 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const report = await outage(store, pg, {
      workers: 8,
      beforeKillMs: 300,
      downMs: 2_500,
      boundMs: BOUND_MS,
    });
    console.log(
      `PostgresStore: ${report.rejected} operations rejected while down, slowest ` +
        `${report.slowestMs.toFixed(0)} ms; working again ${report.recoveredMs.toFixed(0)} ms ` +
        "after restart",
    );
    assert.deepEqual(await store.get("before"), { n: 1 });
  } finally {
    await store.close();
    await pg.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("PostgresStore rejects quickly with StoreConnectionError when no server ever listened", async () => {
  const port = await freePort();
  const store = new PostgresStore({
    url: `postgres://postgres@127.0.0.1:${port}/kv`,
    timeout: 1_000,
  });
  const started = performance.now();
  await assert.rejects(store.put("k", { n: 1 }), StoreConnectionError);
  await assert.rejects(store.get("k"), StoreConnectionError);
  await assert.rejects(store.getMany(["k"]), StoreConnectionError);
  assert.ok(performance.now() - started < 2 * BOUND_MS);
  await store.close();
});

test("PostgresStore gives up connecting to a server that never answers after its timeout", async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => void sockets.push(socket)); // accepts, never replies
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const port = (silent.address() as { port: number }).port;
  const store = new PostgresStore({
    url: `postgres://postgres@127.0.0.1:${port}/kv`,
    timeout: 300,
  });
  const started = performance.now();
  try {
    await assert.rejects(store.get("k"), StoreConnectionError);
    assert.ok(performance.now() - started < BOUND_MS, "the connect timeout must bound the call");
  } finally {
    await store.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

const url = serviceUrl("postgres");

test("PostgresStore is a StoreSetupError for a database that does not exist", {
  skip: url ? undefined : "postgres is not running (scripts/services.sh up postgres)",
}, async () => {
  const missing = new URL(url!);
  missing.pathname = "/kv_no_such_database";
  const store = new PostgresStore({ url: missing.href, timeout: 1_000 });
  await assert.rejects(store.get("k"), StoreSetupError);
  await store.close();
});

test("PostgresStore refuses a URL that is not a postgres:// URL at construction", () => {
  for (const bad of ["not a url", "http://127.0.0.1/kv", "postgres://%zz@127.0.0.1/kv", ""]) {
    assert.throws(() => new PostgresStore({ url: bad }), TypeError, bad);
  }
});
