// The pure helpers of DynamoDBStore: item layout, limits and error detection.

import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidKeyError, ValueTooLargeError } from "../../../../core/errors.ts";
import {
  checkKeyNames,
  chunk,
  fromItem,
  isConnectionFailure,
  liveness,
  toItem,
  ttlSeconds,
} from "../../../../stores/dynamodb/_items.ts";

test("DynamoDBStore's ttl attribute rounds expiry down to whole seconds, as py-key-value does", () => {
  assert.equal(ttlSeconds(1_000), 1);
  assert.equal(ttlSeconds(1_001), 1);
  assert.equal(ttlSeconds(1_999.5), 1);
  assert.equal(ttlSeconds(2_000), 2);
});

test("DynamoDBStore's item holds the envelope with original names and a ttl", () => {
  const entry = { value: { a: 1 }, createdAt: 0, expiresAt: 10_500 };
  const item = toItem({ collection: "C", key: "K" }, { collection: "c", key: "k" }, entry, "put");
  assert.deepEqual(item.collection, { S: "C" });
  assert.deepEqual(item.key, { S: "K" });
  assert.deepEqual(item.ttl, { N: "10" });
  const envelope = JSON.parse((item.value as { S: string }).S);
  assert.equal(envelope.key, "k");
  assert.equal(envelope.collection, "c");
  assert.deepEqual(fromItem(item), entry);
});

test("DynamoDBStore reads the ttl attribute when the envelope has no expires_at", () => {
  const item = { value: { S: '{"value":{"a":1}}' }, ttl: { N: "5" } };
  assert.deepEqual(fromItem(item), { value: { a: 1 }, expiresAt: 5_000 });
  assert.throws(() => fromItem({ value: { N: "1" } }), /no string attribute 'value'/);
});

test("DynamoDBStore judges liveness from the ttl attribute only outside the rounding second", () => {
  const now = 100_000;
  assert.equal(liveness({}, now), "live");
  assert.equal(liveness({ ttl: { N: "102" } }, now), "live");
  assert.equal(liveness({ ttl: { N: "99" } }, now), "expired");
  assert.equal(liveness({ ttl: { N: "100" } }, now), "unsure");
  assert.equal(liveness({ ttl: { N: "101" } }, now), "live");
  assert.equal(liveness({ ttl: { N: "100.5" } }, now), "unsure");
});

test("DynamoDBStore refuses keys over 1,024 bytes and collections over 2,048 bytes", () => {
  checkKeyNames("c".repeat(2048), "k".repeat(1024), "put");
  assert.throws(() => checkKeyNames("c", "é".repeat(513), "put"), InvalidKeyError);
  assert.throws(() => checkKeyNames("c".repeat(2049), "k", "put"), /HashExcessLengthStrategy/);
});

test("DynamoDBStore refuses an item over 400 KB before sending it", () => {
  const value = { s: "x".repeat(400 * 1024) };
  assert.throws(
    () => toItem({ collection: "c", key: "k" }, { collection: "c", key: "k" }, { value }, "put"),
    ValueTooLargeError,
  );
});

test("DynamoDBStore tells the SDK's connection failures from answered errors", () => {
  assert.equal(isConnectionFailure({ name: "TimeoutError" }), true);
  assert.equal(isConnectionFailure(new Error("x", { cause: { name: "NetworkingError" } })), true);
  assert.equal(
    isConnectionFailure({ name: "TimeoutError", $metadata: { httpStatusCode: 400 } }),
    false,
  );
  assert.equal(isConnectionFailure({ name: "ValidationException" }), false);
  assert.equal(isConnectionFailure(undefined), false);
});

test("DynamoDBStore chunks batches", () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunk([], 25), []);
});
