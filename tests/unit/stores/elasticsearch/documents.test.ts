// The pure helpers of ElasticsearchStore: index names, document ids and layout.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DeserializationError, InvalidKeyError } from "../../../../core/errors.ts";
import { PassthroughStrategy } from "../../../../core/sanitization.ts";
import { ElasticsearchV1CollectionSanitizationStrategy } from "../../../../stores/elasticsearch/sanitization.ts";
import {
  belongsTo,
  documentId,
  ElasticsearchLongKeyStrategy,
  ElasticsearchWhenNeededStrategy,
  fromDocument,
  indexName,
  indexNameProblem,
  toDocument,
} from "../../../../stores/elasticsearch/_documents.ts";

test("ElasticsearchStore knows Elasticsearch's index-name rules", () => {
  assert.equal(indexNameProblem("kv-users"), undefined);
  assert.match(indexNameProblem("kv-Users")!, /upper-case/);
  assert.match(indexNameProblem("kv-a:b")!, /contains/);
  assert.match(indexNameProblem("_kv")!, /starts with/);
  assert.match(indexNameProblem("k".repeat(256))!, /256 bytes/);
});

test("ElasticsearchStore's default collection strategy keeps plain names and sanitizes others", () => {
  const strategy = new ElasticsearchWhenNeededStrategy();
  assert.equal(indexName("kv", "users_1.a-b", strategy, "put"), "kv-users_1.a-b");
  const upper = indexName("kv", "Users", strategy, "put");
  const lower = indexName("kv", "users", strategy, "put");
  assert.notEqual(upper, lower); // the V1 hash keeps case apart after lowercasing
  const v1 = new ElasticsearchV1CollectionSanitizationStrategy();
  assert.equal(upper, `kv-${v1.sanitize("Users")}`.toLowerCase());
  assert.equal(
    indexNameProblem(indexName("kv", "test_collection".repeat(100), strategy, "put")),
    undefined,
  );
  assert.equal(indexNameProblem(indexName("kv", "c*[?]::", strategy, "put")), undefined);
});

test("ElasticsearchStore refuses an index name its strategy leaves invalid, naming the fix", () => {
  assert.throws(() => indexName("kv", "a b", new PassthroughStrategy(), "put"), (error: Error) => {
    assert.ok(error instanceof InvalidKeyError);
    assert.match(error.message, /ElasticsearchV1CollectionSanitizationStrategy/);
    return true;
  });
});

test("ElasticsearchStore hashes only keys over 512 bytes into document ids", () => {
  const strategy = new ElasticsearchLongKeyStrategy();
  assert.equal(documentId("a::b", strategy, "put"), "a::b");
  assert.equal(documentId("k".repeat(512), strategy, "put"), "k".repeat(512));
  assert.match(documentId("k".repeat(513), strategy, "put"), /^H_[0-9a-f]{64}$/);
  assert.throws(
    () => documentId("k".repeat(513), new PassthroughStrategy(), "put"),
    InvalidKeyError,
  );
});

test("ElasticsearchStore's document is py-key-value's, read back exactly", () => {
  const entry = { value: { a: [1, { b: null }] }, createdAt: 0, expiresAt: 10_123 };
  const doc = toDocument("c", "k", entry);
  assert.deepEqual(doc, {
    collection: "c",
    created_at: "1970-01-01T00:00:00.000000+00:00",
    expires_at: "1970-01-01T00:00:10.123000+00:00",
    key: "k",
    value: { flattened: { a: [1, { b: null }] } },
    version: 1,
  });
  assert.deepEqual(fromDocument(doc), entry);
  assert.throws(() => fromDocument({ value: { flat: {} } }), DeserializationError);
  assert.equal(belongsTo(doc, "c", "k"), true);
  assert.equal(belongsTo(doc, "c", "other"), false);
  assert.equal(belongsTo({ value: {} }, "c", "any"), true);
});
