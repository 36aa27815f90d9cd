// DynamoDBStore's share of the contract's rules, without a server: the
// `ttl` attribute never later than the deadline, items that name another
// entry, strict options, and the shared error mapping (through a fake
// client).

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  InvalidKeyError,
  KeyValueStoreError,
  StoreConnectionError,
} from "../../../../core/errors.ts";
import { HashExcessLengthStrategy } from "../../../../core/sanitization.ts";
import { DynamoDBStore } from "../../../../stores/dynamodb/mod.ts";
import { itemEntry, toItem, ttlSeconds } from "../../../../stores/dynamodb/_items.ts";

test("DynamoDBStore's ttl attribute is the deadline's second: never after it, less than 1 s before", () => {
  fc.assert(
    fc.property(fc.double({ min: 0, max: 8.64e15, noNaN: true }), (deadline) => {
      const seconds = ttlSeconds(deadline);
      assert.ok(Number.isInteger(seconds)); // py-key-value parses it with int()
      assert.ok(seconds * 1000 <= deadline, `${seconds} s is after ${deadline} ms`);
      assert.ok(seconds * 1000 > deadline - 1000);
    }),
    { numRuns: 5000 },
  );
});

test("DynamoDBStore reads an item whose envelope names another collection or key as a miss", () => {
  const entry = { value: { a: 1 }, createdAt: 0 };
  const item = toItem({ collection: "C", key: "K" }, { collection: "c", key: "k" }, entry, "put");
  assert.deepEqual(itemEntry(item, { collection: "c", key: "k" }), entry);
  assert.equal(itemEntry(item, { collection: "c", key: "other" }), undefined);
  assert.equal(itemEntry(item, { collection: "other", key: "k" }), undefined);
  const anonymous = { value: { S: '{"value":{"a":1}}' } };
  assert.deepEqual(itemEntry(anonymous, { collection: "c", key: "k" }), { value: { a: 1 } });
});

/** A fake DynamoDB client: table and TTL exist; every other command fails with `fail()`. */
function fakeClient(fail: () => unknown) {
  return {
    send(command: { constructor: { name: string } }) {
      switch (command.constructor.name) {
        case "DescribeTableCommand":
          return Promise.resolve({ Table: { TableStatus: "ACTIVE" } });
        case "DescribeTimeToLiveCommand":
          return Promise.resolve({ TimeToLiveDescription: { TimeToLiveStatus: "ENABLED" } });
        default:
          return Promise.reject(fail());
      }
    },
    destroy() {},
  };
}

test("DynamoDBStore maps an unknown SDK error to KeyValueStoreError with the cause kept", async () => {
  const boom = Object.assign(new Error("Item size has exceeded the maximum allowed size"), {
    name: "ValidationException",
    $metadata: { httpStatusCode: 400 },
  });
  const store = new DynamoDBStore({ client: fakeClient(() => boom), tableName: "t" });
  for (
    const call of [
      () => store.get("k"),
      () => store.getMany(["a", "b"]),
      () => store.put("k", { n: 1 }),
      () => store.putMany(["a"], [{ n: 1 }]),
      () => store.delete("k"),
      () => store.deleteMany(["a", "b"]),
      () => store.keys(),
      () => store.destroyCollection("c"),
      () => store.putIfAbsent("k", { n: 1 }),
    ]
  ) {
    await assert.rejects(call(), (error: Error) => {
      assert.equal(error.constructor, KeyValueStoreError);
      assert.equal(error.cause, boom);
      assert.match(error.message, /^Cannot .* DynamoDBStore: Item size has exceeded/);
      return true;
    });
  }
});

test("DynamoDBStore maps socket codes and the SDK's network errors to StoreConnectionError", async () => {
  const failures = [
    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    Object.assign(new Error("x"), {
      cause: Object.assign(new Error("y"), { code: "EHOSTUNREACH" }),
    }),
    Object.assign(new Error("socket hang up"), { code: "ECONNRESET", $metadata: {} }),
    Object.assign(new Error("timed out"), { name: "TimeoutError" }),
  ];
  for (const failure of failures) {
    const store = new DynamoDBStore({ client: fakeClient(() => failure), tableName: "t" });
    await assert.rejects(store.get("k"), (error: Error) => {
      assert.ok(error instanceof StoreConnectionError, failure.message);
      assert.equal(error.cause, failure);
      return true;
    });
  }
});

test("DynamoDBStore refuses unknown options, naming the valid ones", () => {
  const client = fakeClient(() => new Error("unused"));
  assert.throws(
    () => new DynamoDBStore({ client, tableName: "t", table_name: "x" } as never),
    { name: "TypeError", message: /unknown option "table_name".*tableName/ },
  );
  assert.throws(
    () => new DynamoDBStore({ client, tableName: "t", endpoint: "http://x" } as never),
    { name: "TypeError", message: /unknown option "endpoint".*url/ },
  );
  new DynamoDBStore({
    client,
    tableName: "t",
    autoCreate: false,
    consistentRead: false,
    tableConfig: {},
    clock: { now: Date.now },
  });
});

test("DynamoDBStore's names are injective: raw by default, and with the hashing strategy it names", () => {
  const strategy = new HashExcessLengthStrategy({ maxLength: 250 });
  const names = fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.string({ unit: fc.constantFrom("k", "é"), minLength: 240, maxLength: 600 }),
  ).filter((name) => name.isWellFormed());
  fc.assert(
    fc.property(names, names, (a, b) => {
      fc.pre(a !== b);
      assert.notEqual(strategy.sanitize(a), strategy.sanitize(b));
    }),
    { numRuns: 2000 },
  );
  // A name shaped like a hashed one is refused, so it cannot land on a hashed name.
  const hashed = strategy.sanitize("k".repeat(300));
  assert.match(hashed, /^H_/);
  assert.throws(() => strategy.validate(hashed), InvalidKeyError);
});
