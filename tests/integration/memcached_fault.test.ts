// Fault test: a private memcached (never the shared one) is killed in the
// middle of a workload. Every operation must reject with StoreConnectionError
// within the bound (none hangs), and the same store instance must work again
// once the server is back.

import { test } from "node:test";
import { MemcachedStore } from "../../stores/memcached/mod.ts";
import { freePort, missingBinary, outage, ServerProcess } from "./_fault.ts";

const skip = missingBinary("memcached");
// memjs: 2 attempts, 0.2 s apart, each bounded by its 2 s timeout; headroom.
const BOUND_MS = 5_000;

function root(): boolean {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  const uid = g.Deno?.uid?.() ?? g.process?.getuid?.();
  return uid === 0;
}

test("MemcachedStore rejects with StoreConnectionError while the server is down, then recovers", {
  skip,
  timeout: 60_000,
}, async () => {
  const port = await freePort();
  const args = ["-l", "127.0.0.1", "-p", String(port), "-U", "0", "-m", "16"];
  if (root()) args.push("-u", "root");
  const server = new ServerProcess("memcached", args, port);
  await server.start();
  const store = new MemcachedStore({ url: `127.0.0.1:${port}` });
  try {
    await store.put("before", { n: 1 });
    const report = await outage(store, server, {
      workers: 8,
      beforeKillMs: 300,
      downMs: 2_500,
      boundMs: BOUND_MS,
    });
    console.log(
      `MemcachedStore: ${report.rejected} operations rejected while down, slowest ` +
        `${report.slowestMs.toFixed(0)} ms; working again ${report.recoveredMs.toFixed(0)} ms ` +
        "after restart",
    );
  } finally {
    await store.close();
    await server.kill();
  }
});
