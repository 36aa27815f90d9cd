// Fault test: a private redis-server (never the shared one) is killed in the
// middle of a workload. Every operation must reject with StoreConnectionError
// within the bound (none hangs), and the same store instance must work again
// once the server is back. Run for RedisStore (ioredis) and ValkeyStore
// (iovalkey, which speaks to redis-server too), and for a server that was
// never up.

import assert from "node:assert/strict";
import { test } from "node:test";
import { StoreConnectionError } from "../../core/errors.ts";
import type { RespStore } from "../../stores/_resp/store.ts";
import { RedisStore } from "../../stores/redis.ts";
import { ValkeyStore } from "../../stores/valkey.ts";
import { runScript } from "../_processes.ts";
import { freePort, missingBinary, outage, ServerProcess } from "./_fault.ts";

const skip = missingBinary("redis-server");
// Reconnection delay (up to 1 s) plus connectTimeout (2 s), with headroom.
const BOUND_MS = 3_500;

function redisServer(port: number): ServerProcess {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  return new ServerProcess("redis-server", args, port);
}

for (
  const [name, make] of [
    ["RedisStore", (url: string) => new RedisStore({ url })],
    ["ValkeyStore", (url: string) => new ValkeyStore({ url })],
  ] as const
) {
  test(`${name} rejects with StoreConnectionError while the server is down, then recovers`, {
    skip,
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const server = redisServer(port);
    await server.start();
    const store: RespStore = make(`redis://127.0.0.1:${port}`);
    try {
      await store.put("before", { n: 1 });
      const report = await outage(store, server, {
        workers: 8,
        beforeKillMs: 300,
        downMs: 2_500,
        boundMs: BOUND_MS,
      });
      console.log(
        `${name}: ${report.rejected} operations rejected while down, slowest ` +
          `${report.slowestMs.toFixed(0)} ms; working again ${report.recoveredMs.toFixed(0)} ms ` +
          "after restart",
      );
    } finally {
      await store.close();
      await server.kill();
    }
  });
}

test("RedisStore rejects quickly with StoreConnectionError when no server ever listened", {
  skip,
  timeout: 60_000,
}, async () => {
  const port = await freePort();
  const store = new RedisStore({ url: `redis://127.0.0.1:${port}` });
  try {
    const started = performance.now();
    const error = await store.get("k").catch((e) => e);
    const ms = performance.now() - started;
    assert.ok(error instanceof StoreConnectionError, String(error));
    assert.match(error.message, /^Cannot get from RedisStore: .*ECONNREFUSED/);
    assert.ok(ms < BOUND_MS, `took ${ms} ms`);
    const server = redisServer(port);
    await server.start();
    try {
      let ok = false;
      for (let i = 0; i < 100 && !ok; i++) {
        ok = await store.put("k", { n: 1 }).then(() => true, () => false);
        if (!ok) await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(await store.get("k"), { n: 1 });
    } finally {
      await store.close();
      await server.kill();
    }
  } finally {
    await store.close();
  }
});

test("RedisStore rejects with StoreConnectionError when the server stops answering", {
  skip,
  timeout: 60_000,
}, async () => {
  const port = await freePort();
  const server = redisServer(port);
  await server.start();
  const store = new RedisStore({ url: `redis://127.0.0.1:${port}`, clientOptions: {} });
  try {
    await store.put("k", { n: 1 });
    server.freeze(true);
    const started = performance.now();
    const error = await store.get("k").catch((e) => e);
    const ms = performance.now() - started;
    server.freeze(false);
    assert.ok(error instanceof StoreConnectionError, String(error));
    assert.match(error.message, /timed out/);
    assert.ok(ms >= 4_500 && ms < 6_500, `the command bound is 5 s, took ${ms} ms`);
    console.log(`RedisStore: a silent server's command rejected after ${ms.toFixed(0)} ms`);
    assert.deepEqual(await store.get("k"), { n: 1 });
  } finally {
    await store.close();
    await server.kill();
  }
});

for (
  const [name, make] of [
    [
      "RedisStore",
      (url: string) => new RedisStore({ url, clientOptions: { commandTimeout: 500 } }),
    ],
    [
      "ValkeyStore",
      (url: string) => new ValkeyStore({ url, clientOptions: { commandTimeout: 500 } }),
    ],
  ] as const
) {
  test(`${name}'s commandTimeout is measured by the clock while the event loop is busy`, {
    skip,
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const server = redisServer(port);
    await server.start();
    const store: RespStore = make(`redis://127.0.0.1:${port}`);
    try {
      await store.put("k", { n: 1 });
      server.freeze(true);
      const started = performance.now();
      let settled = false;
      const result = store.get("k").then(() => undefined, (error) => error).finally(() => {
        settled = true;
      });
      // Busy in ~100 ms chunks, with a turn of the event loop between them:
      // a timeout counted in timer ticks would take 16 chunks, about 1.7 s.
      while (!settled && performance.now() - started < 5_000) {
        const chunk = performance.now();
        while (performance.now() - chunk < 100) { /* busy */ }
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const error = await result;
      const ms = performance.now() - started;
      assert.ok(error instanceof StoreConnectionError, String(error));
      assert.match(error.message, /timed out/);
      assert.ok(ms >= 500 && ms < 800, `a 500 ms bound took ${ms.toFixed(0)} ms`);
    } finally {
      server.freeze(false);
      await store.close();
      await server.kill();
    }
  });

  test(`${name} lets the process exit at once after close(), with the server unreachable`, {
    skip,
    timeout: 60_000,
  }, async () => {
    const port = await freePort(); // nothing listens there
    const out = await runScript(import.meta.url, "_resp_close_child", [name, String(port)]);
    const exited = Date.now();
    const closed = Number(out.trim().split("\n").at(-1));
    assert.ok(Number.isFinite(closed), `the child printed ${JSON.stringify(out)}`);
    assert.ok(exited - closed < 100, `the process exited ${exited - closed} ms after close()`);
  });
}
