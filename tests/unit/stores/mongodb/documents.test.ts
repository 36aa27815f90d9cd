// The pure helpers of MongoDBStore: collection names and the document layout.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DeserializationError, InvalidKeyError } from "../../../../core/errors.ts";
import { PassthroughStrategy } from "../../../../core/sanitization.ts";
import {
  collectionNameProblem,
  fromDocument,
  mongoCollectionName,
  MongoDBWhenNeededStrategy,
  needsJsonText,
  toDocument,
} from "../../../../stores/mongodb/_documents.ts";

test("MongoDBStore knows which collection names MongoDB refuses", () => {
  assert.equal(collectionNameProblem("users"), undefined);
  assert.equal(collectionNameProblem("ünï::c a-b.c"), undefined);
  assert.match(collectionNameProblem("a$b")!, /\$/);
  assert.match(collectionNameProblem("a\0b")!, /NUL/);
  assert.match(collectionNameProblem(".a")!, /starts with '\.'/);
  assert.match(collectionNameProblem("system.users")!, /system\./);
  assert.match(collectionNameProblem("x".repeat(201))!, /201 bytes/);
  assert.equal(collectionNameProblem("é".repeat(100)), undefined); // 200 bytes
});

test("MongoDBStore's default strategy keeps valid names and sanitizes the others", () => {
  const strategy = new MongoDBWhenNeededStrategy();
  assert.equal(strategy.sanitize("plain-name.ok"), "plain-name.ok");
  assert.equal(strategy.sanitize("test_collection!@#$%^&*()"), "S_test_collection_-daf4a2ec");
  const a = strategy.sanitize("x".repeat(300) + "a");
  const b = strategy.sanitize("x".repeat(300) + "b");
  assert.notEqual(a, b);
  assert.ok(a.length <= 200);
});

test("MongoDBStore refuses a collection name its strategy leaves invalid, naming the fix", () => {
  assert.throws(
    () => mongoCollectionName("a$b", new PassthroughStrategy(), "put into MongoDBStore"),
    (error: Error) => {
      assert.ok(error instanceof InvalidKeyError);
      assert.match(error.message, /MongoDBV1CollectionSanitizationStrategy/);
      return true;
    },
  );
});

test("MongoDBStore stores values of shapes FerretDB refuses as JSON text", () => {
  assert.equal(needsJsonText({ a: { b: [1, { c: 2 }] } }), false);
  assert.equal(needsJsonText({ "a.b": 1 }), true);
  assert.equal(needsJsonText({ a: [{ $x: 1 }] }), true);
  assert.equal(needsJsonText({ a: [[1]] }), true);
  const doc = toDocument("c", "k", { value: { "1.0": 1 }, createdAt: 1.5, expiresAt: 2.5 });
  assert.equal(doc.value.object, '{"1.0":1}');
  assert.equal(doc.created_at!.getTime(), 1);
  assert.equal(doc.expires_at!.getTime(), 3); // rounded up: never expires early
  assert.deepEqual(fromDocument(doc as unknown as Record<string, unknown>), {
    value: { "1.0": 1 },
    createdAt: 1,
    expiresAt: 3,
  });
});

test("MongoDBStore's document is py-key-value's, and a bad one is a DeserializationError", () => {
  const doc = toDocument("c", "k", { value: { a: 1 }, createdAt: 0 });
  assert.deepEqual(Object.keys(doc), ["key", "collection", "version", "value", "created_at"]);
  assert.deepEqual(doc.value, { object: { a: 1 } });
  assert.throws(() => fromDocument({ key: "k", value: { other: 1 } }), DeserializationError);
  assert.throws(() => fromDocument({ key: "k", value: { object: [1] } }), DeserializationError);
  assert.throws(
    () => fromDocument({ value: { object: {} }, created_at: 5 }),
    DeserializationError,
  );
});
