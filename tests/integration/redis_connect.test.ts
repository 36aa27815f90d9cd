// How RedisStore connects, against private redis-server processes (never the
// shared one): ACL user name and password from the URL with a db, rediss://
// honoured as TLS, and a Sentinel-configured client passed in.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Redis } from "ioredis";
import { StoreConnectionError } from "../../core/errors.ts";
import { RedisStore } from "../../stores/redis.ts";
import { freePort, missingBinary, ServerProcess } from "./_fault.ts";

const skip = missingBinary("redis-server");
const options = { skip, timeout: 60_000 };
const BASE = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];

async function withServer<T>(args: string[], port: number, fn: () => Promise<T>): Promise<T> {
  const server = new ServerProcess("redis-server", args, port);
  await server.start();
  try {
    return await fn();
  } finally {
    await server.kill();
  }
}

test("RedisStore logs in as an ACL user from the URL and uses its db", options, async () => {
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    ...BASE,
    "--user",
    "alice",
    "on",
    ">s3cret",
    "~*",
    "&*",
    "+@all",
  ];
  await withServer(args, port, async () => {
    await using store = new RedisStore({ url: `redis://alice:s3cret@127.0.0.1:${port}/2` });
    await store.put("k", { n: 1 });
    const raw = new Redis({
      port,
      host: "127.0.0.1",
      username: "alice",
      password: "s3cret",
      db: 2,
    });
    try {
      assert.equal(JSON.parse((await raw.get("default_collection::k"))!).value.n, 1);
    } finally {
      raw.disconnect();
    }
    await using wrong = new RedisStore({ url: `redis://alice:nope@127.0.0.1:${port}/2` });
    const started = performance.now();
    await assert.rejects(wrong.get("k"), StoreConnectionError);
    assert.ok(performance.now() - started < 3_500);
  });
});

test("RedisStore honours rediss:// as TLS", options, async () => {
  const dir = mkdtempSync(join(tmpdir(), "kv-tls-"));
  try {
    const made = spawnSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    assert.equal(made.status, 0, "openssl could not make a certificate");
    const ca = readFileSync(join(dir, "cert.pem"), "utf8");
    const port = await freePort();
    const args = [
      "--port",
      "0",
      "--tls-port",
      String(port),
      "--tls-cert-file",
      join(dir, "cert.pem"),
      "--tls-key-file",
      join(dir, "key.pem"),
      "--tls-ca-cert-file",
      join(dir, "cert.pem"),
      "--tls-auth-clients",
      "no",
      ...BASE,
    ];
    await withServer(args, port, async () => {
      await using secure = new RedisStore({
        url: `rediss://127.0.0.1:${port}`,
        clientOptions: { tls: { ca } },
      });
      await secure.put("k", { n: 1 });
      assert.deepEqual(await secure.get("k"), { n: 1 });
      await using plain = new RedisStore({ url: `redis://127.0.0.1:${port}` });
      await assert.rejects(plain.get("k"), StoreConnectionError);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("RedisStore works through a Sentinel-configured client it was given", options, async () => {
  const dir = mkdtempSync(join(tmpdir(), "kv-sentinel-"));
  const master = await freePort();
  const sentinelPort = await freePort();
  const config = join(dir, "sentinel.conf");
  writeFileSync(
    config,
    `port ${sentinelPort}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor kvmaster 127.0.0.1 ${master} 1\n`,
  );
  try {
    await withServer(["--port", String(master), ...BASE], master, async () => {
      await withServer([config, "--sentinel"], sentinelPort, async () => {
        const client = new Redis({
          sentinels: [{ host: "127.0.0.1", port: sentinelPort }],
          name: "kvmaster",
        });
        try {
          const store = new RedisStore({ client });
          await store.put("k", { n: 1 }, { collection: "s" });
          assert.deepEqual(await store.get("k", { collection: "s" }), { n: 1 });
          await store.close();
          const direct = new Redis({ port: master, host: "127.0.0.1" });
          try {
            assert.ok(await direct.get("s::k"), "the entry must be on the master");
          } finally {
            direct.disconnect();
          }
          assert.equal(await client.call("PING"), "PONG", "the store left the client open");
        } finally {
          client.disconnect();
        }
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
