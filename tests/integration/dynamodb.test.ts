// DynamoDBStore against a real DynamoDB Local (scripts/services.sh up dynamodb):
// the conformance suite, the raw item layout, table creation, batching and
// DynamoDB's name and size limits. Every test uses tables of its own.

import {
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { HashExcessLengthStrategy } from "../../core/sanitization.ts";
import {
  InvalidKeyError,
  StoreConnectionError,
  StoreSetupError,
  ValueTooLargeError,
} from "../../core/errors.ts";
import { DynamoDBStore, type DynamoDBStoreOptions } from "../../stores/dynamodb/mod.ts";
import { testConformance } from "../../testing/_conformance.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";

const url = serviceUrl("dynamodb");
const skip = skipUnless(url, "dynamodb");
const run = uniqueSuffix();
let tables = 0;
const created = new Set<string>();
const admin = url
  ? new DynamoDBClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  })
  : undefined;

function newStore(options: Partial<DynamoDBStoreOptions> = {}): DynamoDBStore {
  const tableName = options.tableName ?? `kv_test_${run}_${tables++}`;
  created.add(tableName);
  return new DynamoDBStore({ url: url!, ...options, tableName });
}

async function dropTable(name: string): Promise<void> {
  try {
    await admin!.send(new DeleteTableCommand({ TableName: name }));
  } catch (error) {
    if ((error as Error).name !== "ResourceNotFoundException") throw error;
  }
  created.delete(name);
}

after(async () => {
  if (!admin) return;
  for (const name of [...created]) await dropTable(name);
  admin.destroy();
});

async function rawItem(table: string, collection: string, key: string) {
  const result = await admin!.send(
    new GetItemCommand({
      TableName: table,
      Key: { collection: { S: collection }, key: { S: key } },
      ConsistentRead: true,
    }),
  );
  return result.Item;
}

if (url) {
  testConformance("DynamoDBStore", {
    factory: ({ clock }) => newStore({ clock }),
    clock: true,
    construct: (extra) => newStore(extra as Partial<DynamoDBStoreOptions>),
    teardown: async (store) => {
      await store.close();
      await dropTable(store.tableName);
    },
    capabilities: ["keys", "destroyCollection", "putIfAbsent"],
    // DynamoDB's items are at most 400 KB, names and envelope included.
    maxValueBytes: 400_000,
    propertyRuns: 50,
  });
} else {
  test("DynamoDBStore conformance", skip, () => {});
}

describe("DynamoDBStore against DynamoDB Local", skip, () => {
  test("DynamoDBStore.put() writes py-key-value's item layout", async () => {
    const store = newStore();
    const before = Date.now();
    await store.put("k", { a: 1, nested: { b: [true, null] } }, { collection: "c", ttl: 100.5 });
    await store.put("forever", { a: 2 }, { collection: "c" });
    const item = await rawItem(store.tableName, "c", "k");
    assert.ok(item);
    assert.deepEqual(Object.keys(item).sort(), ["collection", "key", "ttl", "value"]);
    assert.equal(item.collection!.S, "c");
    assert.equal(item.key!.S, "k");
    const envelope = JSON.parse(item.value!.S!);
    assert.deepEqual(Object.keys(envelope), [
      "collection",
      "created_at",
      "expires_at",
      "key",
      "value",
      "version",
    ]);
    assert.equal(envelope.collection, "c");
    assert.equal(envelope.key, "k");
    assert.equal(envelope.version, 1);
    assert.deepEqual(envelope.value, { a: 1, nested: { b: [true, null] } });
    assert.match(envelope.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    const expiresAt = Date.parse(envelope.expires_at);
    assert.ok(expiresAt >= before + 100_500 && expiresAt <= Date.now() + 100_500);
    // ttl: epoch seconds rounded down, as py-key-value writes (and reads) it.
    assert.equal(Number(item.ttl!.N), Math.floor(Date.parse(envelope.expires_at) / 1000));
    const forever = await rawItem(store.tableName, "c", "forever");
    assert.equal(forever!.ttl, undefined);
    assert.equal(JSON.parse(forever!.value!.S!).expires_at, undefined);
    await store.close();
  });

  test("DynamoDBStore creates its table with TTL enabled on `ttl` and merges tableConfig", async () => {
    const store = newStore({
      tableConfig: {
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
        // Cannot override what the store needs:
        BillingMode: "PROVISIONED",
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      },
    });
    await store.put("k", { a: 1 });
    const { Table } = await admin!.send(new DescribeTableCommand({ TableName: store.tableName }));
    assert.deepEqual(Table!.KeySchema, [
      { AttributeName: "collection", KeyType: "HASH" },
      { AttributeName: "key", KeyType: "RANGE" },
    ]);
    assert.equal(Table!.BillingModeSummary?.BillingMode, "PAY_PER_REQUEST");
    assert.equal(Table!.StreamSpecification?.StreamEnabled, true);
    const ttl = await admin!.send(new DescribeTimeToLiveCommand({ TableName: store.tableName }));
    assert.equal(ttl.TimeToLiveDescription?.TimeToLiveStatus, "ENABLED");
    assert.equal(ttl.TimeToLiveDescription?.AttributeName, "ttl");
    await store.close();
  });

  test("DynamoDBStore with autoCreate: false refuses a missing table with StoreSetupError", async () => {
    const store = newStore({ autoCreate: false });
    await assert.rejects(store.get("k"), (error: Error) => {
      assert.ok(error instanceof StoreSetupError);
      assert.match(error.message, /does not exist/);
      return true;
    });
    await assert.rejects(
      admin!.send(new DescribeTableCommand({ TableName: store.tableName })),
      { name: "ResourceNotFoundException" },
    );
    // Once the table exists, the same store works.
    const creator = newStore({ tableName: store.tableName });
    await creator.put("k", { a: 1 });
    assert.deepEqual(await store.get("k"), { a: 1 });
    await store.close();
    await creator.close();
  });

  test("DynamoDBStore.get() returns undefined for an expired item DynamoDB has not deleted", async () => {
    // Written with a minute to live; read by a store whose clock is two
    // minutes ahead, so the item is expired for it while the ttl attribute
    // is still in the future (DynamoDB cannot have deleted it). A real
    // sub-second ttl raced DynamoDB Local's own expiry, since the attribute
    // is rounded down to the second.
    const writer = newStore();
    await writer.put("k", { a: 1 }, { ttl: 60 });
    const store = newStore({
      tableName: writer.tableName,
      clock: { now: () => Date.now() + 120_000 },
    });
    assert.ok(await rawItem(store.tableName, "default_collection", "k"), "still stored");
    assert.equal(await store.get("k"), undefined);
    assert.deepEqual(await store.getMany(["k"]), [undefined]);
    assert.deepEqual(await store.keys(), []);
    assert.equal(await store.delete("k"), false);
    await store.close();
    await writer.close();
  });

  test("DynamoDBStore batches more than 100 reads and 25 writes, with repeated keys", async () => {
    const store = newStore();
    const keys = Array.from({ length: 260 }, (_, i) => `k${i}`);
    await store.putMany([...keys, "k0"], [...keys.map((_, i) => ({ i })), { i: "last" }]);
    const values = await store.getMany([...keys, "missing", "k5"]);
    assert.equal(values.length, 262);
    assert.deepEqual(values[0], { i: "last" });
    assert.deepEqual(values[259], { i: 259 });
    assert.equal(values[260], undefined);
    assert.deepEqual(values[261], { i: 5 });
    assert.notEqual(values[5], values[261]);
    assert.equal((await store.keys()).length, 260);
    assert.equal((await store.keys({ limit: 7 })).length, 7);
    assert.equal(await store.deleteMany([...keys.slice(0, 30), "k0", "missing"]), 30);
    assert.equal(await store.destroyCollection("default_collection"), true);
    assert.deepEqual(await store.keys(), []);
    await store.close();
  });

  test("DynamoDBStore refuses an item over 400 KB with ValueTooLargeError, writing nothing", async () => {
    const store = newStore();
    const big = { s: "x".repeat(410 * 1024) };
    await assert.rejects(store.put("k", big), ValueTooLargeError);
    await assert.rejects(store.putMany(["a", "b"], [{ n: 1 }, big]), ValueTooLargeError);
    assert.deepEqual(await store.getMany(["k", "a", "b"]), [undefined, undefined, undefined]);
    await store.close();
  });

  test("DynamoDBStore refuses names over DynamoDB's key limits, naming a strategy", async () => {
    const store = newStore();
    const longKey = "é".repeat(600); // 1,200 bytes of UTF-8
    await assert.rejects(store.put(longKey, { a: 1 }), (error: Error) => {
      assert.ok(error instanceof InvalidKeyError);
      assert.match(error.message, /1024 bytes/);
      assert.match(error.message, /HashExcessLengthStrategy/);
      return true;
    });
    await assert.rejects(
      store.put("k", { a: 1 }, { collection: "c".repeat(2049) }),
      InvalidKeyError,
    );
    await assert.rejects(store.putMany(["ok", longKey], [{ a: 1 }, { a: 2 }]), InvalidKeyError);
    assert.equal(await store.get("ok"), undefined);
    await store.close();

    const hashing = newStore({ keySanitizationStrategy: new HashExcessLengthStrategy() });
    await hashing.put(longKey, { a: 1 });
    assert.deepEqual(await hashing.get(longKey), { a: 1 });
    assert.deepEqual(await hashing.keys(), [longKey]);
    await hashing.close();
  });

  test("DynamoDBStore reads an item whose envelope lacks expires_at by its ttl attribute", async () => {
    const store = newStore();
    await store.put("setup", { a: 0 });
    const envelope = JSON.stringify({ value: { a: 1 }, version: 1 });
    await admin!.send(
      new PutItemCommand({
        TableName: store.tableName,
        Item: {
          collection: { S: "default_collection" },
          key: { S: "old" },
          value: { S: envelope },
          ttl: { N: String(Math.floor(Date.now() / 1000) - 5) },
        },
      }),
    );
    assert.equal(await store.get("old"), undefined);
    await store.close();
  });

  test("DynamoDBStore never destroys a client it was given", async () => {
    const client = new DynamoDBClient({
      endpoint: url!,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const tableName = `kv_test_${run}_${tables++}`;
    created.add(tableName);
    const store = new DynamoDBStore({ client, tableName });
    await store.put("k", { a: 1 });
    await store.close();
    const again = new DynamoDBStore({ client, tableName });
    assert.deepEqual(await again.get("k"), { a: 1 });
    client.destroy();
  });

  test("DynamoDBStore.get() on a dead endpoint is StoreConnectionError within a bounded time", async () => {
    const store = new DynamoDBStore({ url: "http://127.0.0.1:9", tableName: "t", timeout: 1000 });
    const started = Date.now();
    await assert.rejects(store.get("k"), StoreConnectionError);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    await store.close();
  });
});

describe("DynamoDBStore: deadlines by the clock, items naming another entry", skip, () => {
  test("DynamoDBStore at an entry's deadline: delete() is false while the item is still stored", async () => {
    const clock = { at: Date.now(), now: () => clock.at };
    const store = newStore({ clock });
    await store.put("a", { n: 1 }, { ttl: 10 });
    await store.putMany(["b", "c", "d"], [{ n: 2 }, { n: 3 }, { n: 4 }], { ttl: 10 });
    await store.put("forever", { n: 5 });
    clock.at += 9_999;
    assert.deepEqual((await store.keys()).sort(), ["a", "b", "c", "d", "forever"]);
    clock.at += 1; // exactly at the deadline
    assert.ok(await rawItem(store.tableName, "default_collection", "a"), "still stored");
    assert.equal(await store.get("a"), undefined);
    assert.deepEqual(await store.getMany(["a", "b"]), [undefined, undefined]);
    assert.deepEqual(await store.keys(), ["forever"]);
    assert.equal(await store.delete("a"), false);
    assert.equal(await store.deleteMany(["b", "c", "forever", "missing"]), 1);
    assert.equal(await store.putIfAbsent("d", { n: 6 }), true);
    assert.deepEqual(await store.get("d"), { n: 6 });
    await store.close();
  });

  test("DynamoDBStore reads an item whose envelope names another collection or key as a miss", async () => {
    const store = newStore();
    await store.put("mine", { n: 1 });
    const foreign = JSON.stringify({ collection: "other", key: "k", value: { n: 9 }, version: 1 });
    for (const key of ["k", "j"]) {
      await admin!.send(
        new PutItemCommand({
          TableName: store.tableName,
          Item: {
            collection: { S: "default_collection" },
            key: { S: key },
            value: {
              S: key === "k" ? foreign : foreign.replace('"other"', '"default_collection"'),
            },
          },
        }),
      );
    }
    assert.equal(await store.get("k"), undefined);
    assert.equal(await store.get("j"), undefined);
    assert.deepEqual(await store.getMany(["k", "j", "mine"]), [undefined, undefined, { n: 1 }]);
    assert.equal(await store.putIfAbsent("k", { n: 2 }), true);
    assert.deepEqual(await store.get("k"), { n: 2 });
    assert.equal(await store.delete("j"), false);
    await store.close();
  });
});
