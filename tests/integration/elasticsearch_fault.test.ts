// Fault test for ElasticsearchStore. A private Elasticsearch takes a JVM with
// 512 MB and 20-60 s to start, too heavy to stop and restart in a test, and
// the shared one must never be stopped. So the store talks to the shared
// server through a TCP proxy owned by this test: "stopping the server" closes
// the proxy (in-flight connections reset, new ones refused) and "restarting"
// listens again on the same port. The client sees exactly what a dead node
// gives it: every operation must reject with StoreConnectionError within the
// bound (none hangs), and the same store instance must work again after.

import assert from "node:assert/strict";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { test } from "node:test";
import { StoreConnectionError } from "../../core/errors.ts";
import { ElasticsearchStore } from "../../stores/elasticsearch/mod.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";
import { freePort, outage, type ServerProcess } from "./_fault.ts";

const url = serviceUrl("elasticsearch");
const skip = skipUnless(url, "elasticsearch");
// The store's client: 1 s request timeout, one retry; with headroom.
const BOUND_MS = 3_500;

/** A TCP proxy from a local port to the Elasticsearch node, that can go down and up. */
class Proxy {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  constructor(readonly port: number, readonly target: URL) {}

  start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection({
        host: this.target.hostname,
        port: Number(this.target.port),
      });
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on("close", () => this.#sockets.delete(socket));
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
  }

  kill(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

test(
  "ElasticsearchStore rejects with StoreConnectionError while the node is unreachable, then recovers",
  {
    ...skip,
    timeout: 60_000,
  },
  async () => {
    const proxy = new Proxy(await freePort(), new URL(url!));
    await proxy.start();
    const indexPrefix = `kv_fault_${uniqueSuffix()}`;
    const store = new ElasticsearchStore({
      url: `http://127.0.0.1:${proxy.port}`,
      indexPrefix,
      timeout: 1_000,
    });
    try {
      await store.put("before", { n: 1 });
      const report = await outage(store, proxy as unknown as ServerProcess, {
        workers: 4,
        beforeKillMs: 300,
        downMs: 2_500,
        boundMs: BOUND_MS,
      });
      console.log(
        `ElasticsearchStore: ${report.rejected} operations rejected while down, slowest ` +
          `${report.slowestMs.toFixed(0)} ms; working again ${report.recoveredMs.toFixed(0)} ms ` +
          "after the proxy came back",
      );
      assert.deepEqual(await store.get("before"), { n: 1 });
      assert.ok((await store.destroyCollection("default_collection")) === true);
    } finally {
      await store.close();
      await proxy.kill();
    }
  },
);

test("ElasticsearchStore rejects quickly with StoreConnectionError when no node ever listened", async () => {
  const port = await freePort();
  const store = new ElasticsearchStore({ url: `http://127.0.0.1:${port}`, timeout: 1_000 });
  for (const operation of [() => store.put("k", { n: 1 }), () => store.get("k")]) {
    const started = performance.now();
    await assert.rejects(operation(), StoreConnectionError);
    // One retry after the client's 1-2 s backoff.
    assert.ok(performance.now() - started < BOUND_MS, `${performance.now() - started} ms`);
  }
  await store.close();
});
