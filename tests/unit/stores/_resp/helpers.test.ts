// Pure helpers behind RedisStore and ValkeyStore: hash slots, URL parsing,
// client construction, glob escaping and error mapping.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { KeyValueStoreError, StoreConnectionError } from "../../../../core/errors.ts";
import {
  connect,
  resolveEndpoint,
  type RespClient,
  type RespClusterClient,
} from "../../../../stores/_resp/client.ts";
import { isWrongType, respErrorMapper } from "../../../../stores/_resp/errors.ts";
import { escapeGlob } from "../../../../stores/_resp/scan.ts";
import { crc16, groupBySlot, keySlot } from "../../../../stores/_resp/slots.ts";

const REDIS = { plain: ["redis"], tls: ["rediss"] } as const;

describe("hash slots", () => {
  test("crc16 matches the cluster specification's check value", () => {
    assert.equal(crc16(new TextEncoder().encode("123456789")), 0x31c3);
  });

  test("keySlot gives the slots Redis gives (CLUSTER KEYSLOT)", () => {
    assert.equal(keySlot("foo"), 12182);
    assert.equal(keySlot("bar"), 5061);
    assert.equal(keySlot("default_collection::k"), keySlot("default_collection::k"));
  });

  test("keySlot hashes only a non-empty {hash tag}", () => {
    assert.equal(keySlot("{user1000}.following"), keySlot("{user1000}.followers"));
    assert.equal(keySlot("{user1000}.following"), keySlot("user1000"));
    assert.equal(keySlot("foo{}{bar}"), crc16(new TextEncoder().encode("foo{}{bar}")) % 16384);
    assert.equal(keySlot("foo{{bar}}zap"), keySlot("{bar"));
  });

  test("keySlot hashes UTF-8 bytes", () => {
    assert.equal(keySlot("ключ"), crc16(new TextEncoder().encode("ключ")) % 16384);
  });

  test("groupBySlot keeps every position once, grouped by slot, in order", () => {
    const names = ["{a}1", "{b}1", "{a}2", "{b}2", "{a}3"];
    const groups = groupBySlot(names);
    assert.deepEqual(groups.map((g) => g.map((i) => names[i])), [
      ["{a}1", "{a}2", "{a}3"],
      ["{b}1", "{b}2"],
    ]);
  });
});

describe("resolveEndpoint", () => {
  test("reads host, port, db, user name and password from a redis:// URL", () => {
    assert.deepEqual(
      resolveEndpoint({ url: "redis://al%40ice:p%3Ass@cache.local:6390/4" }, REDIS, "S"),
      {
        host: "cache.local",
        port: 6390,
        db: 4,
        username: "al@ice",
        password: "p:ss",
        tls: false,
      },
    );
  });

  test("honours rediss:// as TLS and a password without a user name", () => {
    const endpoint = resolveEndpoint({ url: "rediss://:secret@[::1]" }, REDIS, "S");
    assert.deepEqual(endpoint, { host: "::1", port: 6379, db: 0, password: "secret", tls: true });
  });

  test("explicit options win over the URL; defaults apply without one", () => {
    assert.deepEqual(resolveEndpoint({ url: "redis://h:1/2", db: 5, port: 7 }, REDIS, "S"), {
      host: "h",
      port: 7,
      db: 5,
      tls: false,
    });
    assert.deepEqual(resolveEndpoint({}, REDIS, "S"), {
      host: "localhost",
      port: 6379,
      db: 0,
      tls: false,
    });
  });

  test("refuses unknown schemes, bad databases and ports with TypeError", () => {
    assert.throws(() => resolveEndpoint({ url: "http://h" }, REDIS, "S"), TypeError);
    assert.throws(() => resolveEndpoint({ url: "redis://h/x" }, REDIS, "S"), TypeError);
    assert.throws(() => resolveEndpoint({ url: "not a url" }, REDIS, "S"), TypeError);
    assert.throws(() => resolveEndpoint({ db: -1 }, REDIS, "S"), TypeError);
    assert.throws(() => resolveEndpoint({ port: 70000 }, REDIS, "S"), TypeError);
  });
});

describe("connect", () => {
  const never = new Promise<never>(() => {});
  // The last client the fake library made, and how its commands answer.
  let made: FakeClient | undefined;
  class FakeClient {
    readonly isCluster: boolean;
    reply: Promise<unknown> = Promise.resolve("OK");
    constructor(readonly args: unknown[], cluster = false) {
      this.isCluster = cluster;
      made = this;
    }
    call(): Promise<unknown> {
      return this.reply;
    }
    pipeline() {
      return { call: () => {}, exec: () => this.reply };
    }
    nodes() {
      return [this];
    }
  }
  const library = {
    Redis: class extends FakeClient {
      constructor(options: Record<string, unknown>) {
        super([options]);
      }
    },
    Cluster: class extends FakeClient {
      constructor(nodes: unknown, options: object) {
        super([nodes, options], true);
      }
    },
    schemes: REDIS,
  };

  test("creates a lazy client with bounded timeouts that keeps reconnecting", () => {
    const { owned } = connect(
      { url: "rediss://u:p@h:1/3", clientOptions: { commandTimeout: 9, connectTimeout: 7 } },
      library,
      "S",
    );
    assert.equal(owned, true);
    const options = made!.args[0] as Record<string, unknown>;
    assert.equal(options.host, "h");
    assert.equal(options.db, 3);
    assert.equal(options.username, "u");
    assert.equal(options.password, "p");
    assert.deepEqual(options.tls, {});
    assert.equal(options.lazyConnect, true);
    assert.equal(options.maxRetriesPerRequest, 0);
    assert.equal(options.connectTimeout, 7);
    assert.equal(options.commandTimeout, undefined, "the store bounds commands, not the client");
    const retry = options.retryStrategy as (n: number) => number;
    assert.equal(typeof retry(1000), "number", "the client never stops reconnecting");
    assert.ok(retry(1000) <= 1_000);
  });

  test("bounds every command of a created client by clientOptions.commandTimeout", async () => {
    const { client } = connect({ clientOptions: { commandTimeout: 40 } }, library, "S");
    made!.reply = Promise.resolve("fast");
    assert.equal(await client.call("GET", ["k"]), "fast");
    made!.reply = never;
    const started = performance.now();
    const error = await client.call("GET", ["k"]).then(() => undefined, (e: Error) => e);
    const ms = performance.now() - started;
    assert.match(String(error?.message), /^Command timed out: no reply to GET within 40 ms/);
    assert.ok(
      respErrorMapper("S", () => "get from S", () => undefined).map(error, "get") instanceof
        StoreConnectionError,
      "the store reports it as StoreConnectionError",
    );
    assert.ok(ms >= 38 && ms < 1_000, `took ${ms} ms`);
    await assert.rejects(client.pipeline().exec(), /Command timed out: no reply to a pipeline/);
    const { client: cluster } = connect(
      { clusterNodes: ["h:1"], clientOptions: { commandTimeout: 40 } },
      library,
      "S",
    );
    made!.reply = never;
    const [node] = (cluster as RespClusterClient).nodes("master");
    await assert.rejects(node!.call("SCAN", ["0"]), /Command timed out: no reply to SCAN/);
  });

  test("commandTimeout Infinity leaves a created client unbounded; nonsense is refused", () => {
    const { client } = connect({ clientOptions: { commandTimeout: Infinity } }, library, "S");
    assert.equal(client, made);
    for (const commandTimeout of [0, -1, Number.NaN, "5000", null]) {
      assert.throws(
        () => connect({ clientOptions: { commandTimeout } }, library, "S"),
        TypeError,
        String(commandTimeout),
      );
    }
  });

  test("creates a Cluster from clusterNodes", () => {
    connect({ clusterNodes: ["127.0.0.1:7001", "[::1]:7002"] }, library, "S");
    const [nodes, options] = made!.args as [unknown, { redisOptions: Record<string, unknown> }];
    assert.deepEqual(nodes, [{ host: "127.0.0.1", port: 7001 }, { host: "::1", port: 7002 }]);
    assert.equal(options.redisOptions.maxRetriesPerRequest, 0);
    assert.equal(options.redisOptions.host, undefined);
    assert.equal(options.redisOptions.commandTimeout, undefined);
  });

  test("uses a given client as is, and refuses a client with connection options", () => {
    // A stand-in for a user's client; the store only checks and keeps it.
    const mine = new FakeClient([]) as unknown as RespClient;
    assert.deepEqual(connect({ client: mine }, library, "S"), { client: mine, owned: false });
    assert.throws(() => connect({ client: mine, url: "redis://h" }, library, "S"), TypeError);
    assert.throws(() => connect({ client: {} as RespClient }, library, "S"), TypeError);
  });
});

describe("SCAN helpers", () => {
  test("escapeGlob escapes every glob character", () => {
    assert.equal(escapeGlob("a*b?c[d]e\\f"), "a\\*b\\?c\\[d\\]e\\\\f");
    assert.equal(escapeGlob("plain::name"), "plain::name");
  });
});

describe("error mapping", () => {
  const make = (name: string, message: string, code?: string) => {
    const error = new Error(message) as Error & { code?: string };
    error.name = name;
    if (code) error.code = code;
    return error;
  };
  const context = (op: string) => `${op === "get" ? "get from" : "put into"} RedisStore`;
  const mapper = (last?: Error) => respErrorMapper("RedisStore", context, () => last);

  test("connection failures of the client become StoreConnectionError with the cause", () => {
    for (
      const error of [
        make("Error", "connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED"),
        make("Error", "connect ETIMEDOUT", "ETIMEDOUT"),
        make("MaxRetriesPerRequestError", "Reached the max retries per request limit"),
        make("Error", "Connection is closed."),
        make("Error", "Command timed out"),
        make("Error", "Stream isn't writeable and enableOfflineQueue options is false"),
        make("ClusterAllFailedError", "Failed to refresh slots cache."),
        make("ReplyError", "LOADING Redis is loading the dataset in memory"),
        make("ReplyError", "WRONGPASS invalid username-password pair"),
      ]
    ) {
      const mapped = mapper().map(error, "get");
      assert.ok(mapped instanceof StoreConnectionError, error.message);
      assert.equal(mapped.cause, error);
      assert.match(mapped.message, /^Cannot get from RedisStore: /);
    }
  });

  test("other server replies and unknown errors become KeyValueStoreError with the cause", () => {
    for (
      const error of [
        make("ReplyError", "OOM command not allowed when used memory > 'maxmemory'"),
        make("TypeError", "something odd"),
      ]
    ) {
      const mapped = mapper(make("Error", "connect ECONNREFUSED", "ECONNREFUSED")).map(
        error,
        "put",
      );
      assert.ok(mapped instanceof KeyValueStoreError);
      assert.ok(!(mapped instanceof StoreConnectionError));
      assert.equal(mapped.cause, error);
      assert.match(mapped.message, /^Cannot put into RedisStore: /);
    }
  });

  test("the last socket error explains a generic connection failure", () => {
    const mapped = mapper(make("Error", "connect ECONNREFUSED 127.0.0.1:16479", "ECONNREFUSED"))
      .map(
        make("MaxRetriesPerRequestError", "Reached the max retries per request limit (which is 0)"),
        "get",
      );
    assert.ok(mapped instanceof StoreConnectionError);
    assert.match(mapped.message, /^Cannot get from RedisStore: .*ECONNREFUSED 127\.0\.0\.1:16479/);
  });

  test("WRONGTYPE is told apart from other replies", () => {
    assert.ok(isWrongType(make("ReplyError", "WRONGTYPE Operation against a key")));
    assert.ok(!isWrongType(make("ReplyError", "OOM command not allowed")));
  });
});
