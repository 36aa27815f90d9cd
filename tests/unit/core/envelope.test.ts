import assert from "node:assert/strict";
import { test } from "node:test";
import {
  dumpEnvelope,
  formatTimestamp,
  fromEnvelope,
  loadEnvelope,
  parseTimestamp,
} from "../../../core/envelope.ts";
import { DeserializationError } from "../../../core/errors.ts";

const JAN1 = Date.UTC(2026, 0, 1);

test("formatTimestamp() writes microseconds and +00:00 as py-key-value does", () => {
  assert.equal(formatTimestamp(JAN1), "2026-01-01T00:00:00.000000+00:00");
  assert.equal(formatTimestamp(JAN1 + 10_123.456), "2026-01-01T00:00:10.123456+00:00");
  assert.equal(formatTimestamp(JAN1 + 999.9996), "2026-01-01T00:00:01.000000+00:00");
});

test("parseTimestamp() reads +00:00, Z, offsets, any fraction and no fraction", () => {
  assert.equal(parseTimestamp("2026-01-01T00:00:10.123456+00:00"), JAN1 + 10_123.456);
  assert.equal(parseTimestamp("2026-01-01T00:00:10.123Z"), JAN1 + 10_123);
  assert.equal(parseTimestamp("2026-01-01T00:00:10Z"), JAN1 + 10_000);
  assert.equal(parseTimestamp("2026-01-01T00:00:10.5+00:00"), JAN1 + 10_500);
  assert.equal(parseTimestamp("2026-01-01T00:00:10.123456789Z"), JAN1 + 10_123.456789);
  assert.equal(parseTimestamp("2026-01-01T02:00:00+02:00"), JAN1);
  assert.equal(parseTimestamp("2025-12-31T19:30:00-04:30"), JAN1);
  assert.equal(parseTimestamp("2026-01-01 00:00:00"), JAN1);
  assert.equal(parseTimestamp("0026-01-01T00:00:00Z"), new Date("0026-01-01T00:00:00Z").getTime());
  for (
    const bad of ["", "yesterday", "2026-01-01", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00+0"]
  ) {
    assert.throws(() => parseTimestamp(bad), DeserializationError, bad);
  }
});

test("timestamps round-trip to the microsecond", () => {
  for (const ms of [JAN1, JAN1 + 0.001, JAN1 + 1.999, JAN1 + 86_399_999.999, 0, 253402300799999]) {
    assert.equal(parseTimestamp(formatTimestamp(ms)), ms);
  }
});

test("loadEnvelope() reads an envelope written by py-key-value 0.5.0", () => {
  const python =
    '{"collection": "c", "created_at": "2026-01-01T00:00:00+00:00", "expires_at": "2026-01-01T00:00:10.123456+00:00", "key": "k", "value": {"a": 1, "nested": {"b": [1, 2.5, "x"]}}, "version": 1}';
  assert.deepStrictEqual(loadEnvelope(python), {
    value: { a: 1, nested: { b: [1, 2.5, "x"] } },
    createdAt: JAN1,
    expiresAt: JAN1 + 10_123.456,
  });
  const noExpiry =
    '{"collection": "c", "created_at": "2026-01-01T00:00:00+00:00", "key": "k", "value": {"a": 1}, "version": 1}';
  assert.deepStrictEqual(loadEnvelope(noExpiry), { value: { a: 1 }, createdAt: JAN1 });
});

test("dumpEnvelope() writes sorted top-level keys and omits expires_at without a ttl", () => {
  const text = dumpEnvelope({ value: { z: 1, a: 2 }, createdAt: JAN1 }, "k", "c");
  assert.equal(
    text,
    '{"collection":"c","created_at":"2026-01-01T00:00:00.000000+00:00","key":"k","value":{"z":1,"a":2},"version":1}',
  );
  assert.deepStrictEqual(loadEnvelope(text), { value: { z: 1, a: 2 }, createdAt: JAN1 });
});

test("fromEnvelope() accepts a JSON-string value and ignores legacy fields", () => {
  assert.deepStrictEqual(fromEnvelope({ value: '{"a":1}', ttl: 5, version: 1 }), {
    value: { a: 1 },
  });
});

test("loadEnvelope() refuses data that is not an envelope with DeserializationError", () => {
  for (
    const bad of [
      "not json",
      "[]",
      "null",
      '"text"',
      "{}",
      '{"value": null}',
      '{"value": [1]}',
      '{"value": 5}',
      '{"value": "[1]"}',
      '{"value": {}, "created_at": 5}',
      '{"value": {}, "expires_at": "soon"}',
    ]
  ) {
    assert.throws(() => loadEnvelope(bad), DeserializationError, bad);
  }
});
