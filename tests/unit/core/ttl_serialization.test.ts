import assert from "node:assert/strict";
import { test } from "node:test";
import { DeserializationError, InvalidTTLError, SerializationError } from "../../../core/errors.ts";
import {
  copyValue,
  jsonByteLength,
  parseValue,
  serializeValue,
  validateValue,
} from "../../../core/serialization.ts";
import {
  expiresAtFor,
  isExpired,
  MAX_EXPIRES_AT,
  remainingSeconds,
  validateTtl,
} from "../../../core/ttl.ts";

test("validateTtl() accepts positive finite seconds, fractions included", () => {
  assert.equal(validateTtl(1), 1);
  assert.equal(validateTtl(0.001), 0.001);
  assert.equal(validateTtl(86_400 * 365), 86_400 * 365);
  assert.equal(validateTtl(undefined), undefined);
  assert.equal(validateTtl(null), undefined);
});

test("validateTtl() refuses zero, negatives, NaN, infinities and non-numbers", () => {
  for (const bad of [0, -0, -1, NaN, Infinity, -Infinity, "1", true, false, {}, [], 1n]) {
    assert.throws(() => validateTtl(bad), InvalidTTLError, String(bad));
  }
});

test("expiresAtFor() refuses a deadline past 9999-12-31 and keeps fractions", () => {
  assert.equal(expiresAtFor(0.0015, 1_000), 1_001.5);
  assert.equal(expiresAtFor(undefined, 1_000), undefined);
  assert.throws(() => expiresAtFor(1e12, Date.now()), InvalidTTLError);
  assert.equal(expiresAtFor((MAX_EXPIRES_AT - 1_000) / 1000, 0), MAX_EXPIRES_AT - 1_000);
});

test("isExpired() counts the exact deadline as expired", () => {
  assert.equal(isExpired(100, 100), true);
  assert.equal(isExpired(100, 99.999), false);
  assert.equal(isExpired(undefined, 1e15), false);
  assert.equal(remainingSeconds(2_500, 1_000), 1.5);
  assert.equal(remainingSeconds(undefined, 1_000), undefined);
});

test("serializeValue() names the path of a value JSON cannot carry", () => {
  assert.throws(
    () => serializeValue({ a: { list: [1, { when: new Date(0) }] } }),
    (error: unknown) =>
      error instanceof SerializationError &&
      error.message.includes("value.a.list[1].when") &&
      error.message.includes("Date"),
  );
  assert.throws(() => serializeValue({ n: NaN }), /value\.n is NaN/);
  assert.throws(() => serializeValue({ n: -0 }), /-0/);
});

test("validateValue() accepts shared (non-cyclic) references and null-prototype objects", () => {
  const shared = { x: 1 };
  validateValue({ a: shared, b: shared, c: [shared, shared] });
  const bare = Object.create(null);
  bare.k = 1;
  assert.equal(serializeValue({ bare }), '{"bare":{"k":1}}');
});

test("validateValue() refuses non-objects with TypeError, naming what it got", () => {
  assert.throws(() => validateValue([1]), /an array/);
  assert.throws(() => validateValue(new Map()), /a Map/);
  assert.throws(() => validateValue("x"), TypeError);
});

test("parseValue() refuses non-objects and bad JSON with DeserializationError", () => {
  assert.deepEqual(parseValue('{"a":1}'), { a: 1 });
  for (const bad of ["[1]", "1", "null", "{", ""]) {
    assert.throws(() => parseValue(bad), DeserializationError, bad);
  }
});

test("copyValue() returns an equal value sharing nothing", () => {
  const value = { a: [1, { b: 2 }] };
  const copy = copyValue(value);
  assert.deepStrictEqual(copy, value);
  assert.notEqual(copy.a, value.a);
  assert.equal(jsonByteLength({ s: "é" }), 10);
});
