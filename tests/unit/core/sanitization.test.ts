import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { sha256Hex } from "../../../core/_sha256.ts";
import { InvalidKeyError } from "../../../core/errors.ts";
import {
  AlwaysHashStrategy,
  hashExcessLength,
  HashExcessLengthStrategy,
  HybridSanitizationStrategy,
  PassthroughStrategy,
  type SanitizationStrategy,
} from "../../../core/sanitization.ts";
import { MemcachedV1KeySanitizationStrategy } from "../../../stores/memcached/sanitization.ts";
import {
  MongoDBCollectionSanitizationStrategy,
  MongoDBV1CollectionSanitizationStrategy,
} from "../../../stores/mongodb/sanitization.ts";
import {
  ElasticsearchV1CollectionSanitizationStrategy,
  ElasticsearchV1KeySanitizationStrategy,
} from "../../../stores/elasticsearch/sanitization.ts";
import {
  FileTreeCollectionSanitizationStrategy,
  FileTreeV1CollectionSanitizationStrategy,
} from "../../../stores/file_tree/sanitization.ts";

// Made by scripts/interop/sanitization_vectors.py with py-key-value 0.5.0.
const vectors = JSON.parse(
  readFileSync(new URL("../../testdata/sanitization_vectors.json", import.meta.url), "utf8"),
) as {
  strategies: Record<string, [string, string][]>;
  hash_excess_length: [string, number, boolean, string][];
};

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const strategies: Record<string, SanitizationStrategy> = {
  "always_hash_64": new AlwaysHashStrategy(),
  "always_hash_12": new AlwaysHashStrategy({ hashLength: 12 }),
  "hash_excess_240": new HashExcessLengthStrategy(),
  "hash_excess_20": new HashExcessLengthStrategy({ maxLength: 20 }),
  "hybrid_default": new HybridSanitizationStrategy(),
  "hybrid_alnum_40": new HybridSanitizationStrategy({ maxLength: 40, allowedCharacters: ALNUM }),
  "hybrid_always_30": new HybridSanitizationStrategy({
    maxLength: 30,
    allowedCharacters: "abcdefghijklmnopqrstuvwxyz",
    hashFragmentMode: "always",
  }),
  "hybrid_never_30": new HybridSanitizationStrategy({
    maxLength: 30,
    allowedCharacters: "abcdefghijklmnopqrstuvwxyz",
    hashFragmentMode: "never",
  }),
  "mongodb_v1_collection": new MongoDBV1CollectionSanitizationStrategy(),
  "elasticsearch_v1_key": new ElasticsearchV1KeySanitizationStrategy(),
  "elasticsearch_v1_collection": new ElasticsearchV1CollectionSanitizationStrategy(),
  "memcached_v1_key": new MemcachedV1KeySanitizationStrategy(),
};

for (const [name, cases] of Object.entries(vectors.strategies)) {
  test(`sanitization strategy ${name} gives py-key-value's names`, () => {
    const strategy = strategies[name];
    assert.ok(strategy, `no strategy for ${name}`);
    for (const [input, expected] of cases) {
      assert.equal(strategy.sanitize(input), expected, `input ${JSON.stringify(input)}`);
    }
  });
}

test("hashExcessLength() gives py-key-value's hash_excess_length, by code points and bytes", () => {
  for (const [input, max, bytes, expected] of vectors.hash_excess_length) {
    assert.equal(hashExcessLength(input, max, bytes), expected, `${input} ${max} ${bytes}`);
  }
  assert.throws(() => hashExcessLength("x", 15), RangeError);
});

test("MongoDBV1CollectionSanitizationStrategy matches py-key-value's snapshot", () => {
  const strategy = new MongoDBV1CollectionSanitizationStrategy();
  assert.equal(strategy.sanitize("test_collection!@#$%^&*()"), "S_test_collection_-daf4a2ec");
  assert.equal(strategy.sanitize("plain_name"), "plain_name");
});

test("the V1 hybrid strategies collide on long names; the collision-free variants do not", () => {
  const a = "x".repeat(250) + "a";
  const b = "x".repeat(250) + "b";
  const v1 = new MongoDBV1CollectionSanitizationStrategy();
  assert.equal(v1.sanitize(a), v1.sanitize(b)); // py-key-value's behaviour, kept for interop
  const fixed = new MongoDBCollectionSanitizationStrategy();
  assert.notEqual(fixed.sanitize(a), fixed.sanitize(b));
  assert.ok(fixed.sanitize(a).length <= 200);
  assert.equal(fixed.sanitize("short_name"), v1.sanitize("short_name"));
  assert.equal(fixed.sanitize("a!b"), v1.sanitize("a!b"));
  const tree = new FileTreeCollectionSanitizationStrategy();
  assert.notEqual(tree.sanitize(a), tree.sanitize(b));
  assert.ok(tree.sanitize(a).length <= 245);
  assert.equal(new FileTreeV1CollectionSanitizationStrategy().sanitize("ok"), "ok");
});

test("hashing strategies refuse the reserved H_ and S_ prefixes", () => {
  for (const strategy of [new HashExcessLengthStrategy(), new HybridSanitizationStrategy()]) {
    assert.throws(() => strategy.validate("H_abc"), InvalidKeyError);
    assert.throws(() => strategy.validate("S_abc"), InvalidKeyError);
    strategy.validate("plain");
  }
  new PassthroughStrategy().validate("S_fine");
  new AlwaysHashStrategy().validate("S_fine");
});

test("AlwaysHashStrategy refuses a hash length outside (8, 64]", () => {
  assert.throws(() => new AlwaysHashStrategy({ hashLength: 8 }), RangeError);
  assert.throws(() => new AlwaysHashStrategy({ hashLength: 65 }), RangeError);
});

test("sha256Hex() equals node:crypto's SHA-256 on every length around block edges", () => {
  const samples = ["", "abc", "é🌍", "\u0000"];
  for (let n = 0; n < 200; n++) samples.push("a".repeat(n));
  samples.push("x".repeat(100_000));
  for (const text of samples) {
    assert.equal(sha256Hex(text), createHash("sha256").update(text, "utf8").digest("hex"));
  }
});
