// Fault-test helpers: start a private server process on a free loopback
// port, kill it mid-workload, restart it, and measure how operations fail.
// The shared servers of scripts/services.sh are never touched.

import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createConnection, createServer } from "node:net";
import process from "node:process";
import { StoreConnectionError } from "../../core/errors.ts";
import type { AsyncKeyValue } from "../../core/protocol.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function env(name: string): string | undefined {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return g.Deno?.env ? g.Deno.env.get(name) : g.process?.env?.[name];
}

/**
 * Whether `binary` can be run; `undefined` when it can, else the skip
 * reason. Under CI a missing binary is an error, not a skip.
 */
export function missingBinary(binary: string): string | undefined {
  const found = spawnSync(binary, ["--version"], { stdio: "ignore" });
  if (!found.error && found.status === 0) return undefined;
  if (env("CI")) throw new Error(`${binary} is not installed (scripts/services.sh installs it)`);
  return `${binary} is not installed`;
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A server process under the test's control. */
export class ServerProcess {
  #child: ChildProcess | undefined;
  constructor(readonly binary: string, readonly args: readonly string[], readonly port: number) {}

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    this.#child = spawn(this.binary, [...this.args], { stdio: "ignore" });
    const deadline = Date.now() + 60_000; // a JVM under a loaded CI machine can take long
    while (!(await accepts(this.port))) {
      if (Date.now() > deadline) throw new Error(`${this.binary} did not start on ${this.port}`);
      await sleep(20);
    }
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: it accepts but never answers. */
  freeze(frozen: boolean): void {
    // process.kill, not child.kill: Deno's child.kill sends one signal only.
    if (this.#child?.pid) process.kill(this.#child.pid, frozen ? "SIGSTOP" : "SIGCONT");
  }

  /** Kills the server (SIGKILL, as a crash) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (child.pid) process.kill(child.pid, "SIGKILL");
    await exited;
    this.#child = undefined;
  }
}

/** What happened to the operations run while the server was down. */
export interface OutageReport {
  /** Operations that rejected. */
  rejected: number;
  /** The slowest rejection, in milliseconds. */
  slowestMs: number;
}

/**
 * Runs a workload of puts and gets on `workers` concurrent loops, kills the
 * server after `beforeKillMs`, keeps the workload running for `downMs`, and
 * checks that every failing operation rejected with StoreConnectionError
 * within `boundMs` (none hangs), then restarts the server and waits for the
 * same store to work again.
 */
export async function outage(
  store: AsyncKeyValue,
  server: ServerProcess,
  options: { workers: number; beforeKillMs: number; downMs: number; boundMs: number },
): Promise<OutageReport & { recoveredMs: number }> {
  let stop = false;
  let down = false;
  let rejected = 0;
  let slowestMs = 0;
  const errors: unknown[] = [];
  const worker = async (id: number) => {
    for (let i = 0; !stop; i++) {
      const started = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const watchdog = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`an operation hung for ${options.boundMs * 3} ms`)),
          options.boundMs * 3,
        );
      });
      try {
        const op = i % 2 === 0
          ? store.put(`w${id}`, { i }, { ttl: 60 })
          : store.getMany([`w${id}`, "other"]);
        await Promise.race([op, watchdog]);
      } catch (error) {
        const ms = performance.now() - started;
        if (!(error instanceof StoreConnectionError)) errors.push(error);
        rejected++;
        slowestMs = Math.max(slowestMs, ms);
      } finally {
        clearTimeout(timer);
      }
      if (down) await sleep(5);
    }
  };
  const workers = Array.from({ length: options.workers }, (_, id) => worker(id));
  await sleep(options.beforeKillMs);
  await server.kill();
  down = true;
  await sleep(options.downMs);
  stop = true;
  await Promise.all(workers);
  assert.deepEqual(errors, [], "every failure must be a StoreConnectionError");
  assert.ok(rejected > 0, "operations must fail while the server is down");
  assert.ok(slowestMs <= options.boundMs, `a rejection took ${slowestMs} ms`);

  await server.start();
  const restarted = performance.now();
  for (;;) {
    try {
      await store.put("after", { ok: true });
      break;
    } catch (error) {
      assert.ok(error instanceof StoreConnectionError, String(error));
      assert.ok(performance.now() - restarted < 10_000, "the store did not recover in 10 s");
      await sleep(50);
    }
  }
  const recoveredMs = performance.now() - restarted;
  assert.deepEqual(await store.get("after"), { ok: true });
  return { rejected, slowestMs, recoveredMs };
}
