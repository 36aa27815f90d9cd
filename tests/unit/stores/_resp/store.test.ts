// RedisStore and ValkeyStore without a server: strict options, refused
// collections that send nothing, and client errors mapped by the one
// ErrorMapper (a fake client stands in for ioredis).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  InvalidKeyError,
  KeyValueStoreError,
  StoreConnectionError,
} from "../../../../core/errors.ts";
import type { RespArg, RespClient } from "../../../../stores/_resp/types.ts";
import { RedisStore } from "../../../../stores/redis.ts";
import { ValkeyStore } from "../../../../stores/valkey.ts";

/** A client that records every command and answers with `reply`. */
class FakeClient implements RespClient {
  readonly isCluster = false;
  readonly status = "ready";
  readonly options = {};
  readonly sent: string[] = [];
  reply: (command: string, args: RespArg[]) => Promise<unknown> = () => Promise.resolve(null);
  call(command: string, args: RespArg[]): Promise<unknown> {
    this.sent.push(command);
    return this.reply(command, args);
  }
  pipeline() {
    return {
      call: (command: string) => this.sent.push(command),
      exec: () => this.reply("EXEC", []) as Promise<[Error | null, unknown][]>,
    };
  }
  quit(): Promise<unknown> {
    return Promise.resolve("OK");
  }
  disconnect(): void {}
  on(): unknown {
    return this;
  }
}

const STORES = [
  ["RedisStore", (options: Record<string, unknown>) => new RedisStore(options)],
  ["ValkeyStore", (options: Record<string, unknown>) => new ValkeyStore(options)],
] as const;

for (const [name, make] of STORES) {
  describe(name, () => {
    test(`${name} refuses an unknown option with a TypeError naming it and the valid ones`, () => {
      assert.throws(() => make({ url: "redis://127.0.0.1:1", servers: "10.0.0.5" }), (e: Error) => {
        assert.ok(e instanceof TypeError);
        assert.match(e.message, new RegExp(`^Cannot create ${name}: unknown option "servers"`));
        for (
          const option of ["url", "client", "clusterNodes", "clientOptions", "prefix", "clock"]
        ) {
          assert.match(e.message, new RegExp(`valid options are: .*\\b${option}\\b`));
        }
        assert.doesNotMatch(e.message, /SanitizationStrategy/);
        return true;
      });
      assert.throws(
        () => make({ keySanitizationStrategy: {} }),
        /unknown option "keySanitizationStrategy"/,
      );
      assert.throws(() => make({ clientOptions: "fast" }), /clientOptions must be an object/);
      assert.throws(() => make({ clusterNodes: "h:1" }), /clusterNodes must be an array/);
    });

    test(`${name} refuses a collection with '::' or a trailing ':' before sending anything`, async () => {
      const client = new FakeClient();
      const store = make({ client });
      for (const collection of ["a::b", "a:"]) {
        const at = { collection };
        for (
          const call of [
            () => store.get("k", at),
            () => store.getMany(["k"], at),
            () => store.ttl("k", at),
            () => store.put("k", { n: 1 }, at),
            () => store.putMany(["k", "j"], [{ n: 1 }, { n: 2 }], at),
            () => store.putIfAbsent("k", { n: 1 }, at),
            () => store.delete("k", at),
            () => store.deleteMany(["k"], at),
            () => store.keys(at),
            () => store.destroyCollection(collection),
          ]
        ) {
          await assert.rejects(call(), InvalidKeyError);
        }
      }
      assert.deepEqual(client.sent, []);
      assert.throws(() => make({ client, defaultCollection: "x::y" }), InvalidKeyError);
      assert.throws(() => make({ client, seed: { "x:": { k: { n: 1 } } } }), InvalidKeyError);
    });

    test(`${name} maps client errors: connection failures to StoreConnectionError, others to KeyValueStoreError`, async () => {
      const client = new FakeClient();
      const store = make({ client });
      const failing = (error: Error) => () => Promise.reject(error);
      const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
      const odd = new Error("something odd");
      const cases: [Error, new (...args: never[]) => Error][] = [
        [reset, StoreConnectionError],
        [new Error("Command timed out: no reply to GET within 500 ms"), StoreConnectionError],
        [Object.assign(new Error("LOADING dataset"), { name: "ReplyError" }), StoreConnectionError],
        [odd, KeyValueStoreError],
        [Object.assign(new Error("OOM"), { name: "ReplyError" }), KeyValueStoreError],
      ];
      for (const [error, type] of cases) {
        client.reply = failing(error);
        for (
          const call of [
            () => store.get("k"),
            () => store.getMany(["k", "j"]),
            () => store.put("k", { n: 1 }),
            () => store.putMany(["k"], [{ n: 1 }], { ttl: 5 }),
            () => store.delete("k"),
            () => store.putIfAbsent("k", { n: 1 }),
            () => store.keys(),
          ]
        ) {
          await assert.rejects(call(), (e: Error) => {
            assert.ok(e instanceof type, `${error.message}: ${e}`);
            assert.equal(type === KeyValueStoreError, !(e instanceof StoreConnectionError));
            assert.equal(e.cause, error);
            assert.match(e.message, new RegExp(`^Cannot [a-z ]+ ${name}: `));
            return true;
          });
        }
      }
      await store.close();
    });
  });
}
