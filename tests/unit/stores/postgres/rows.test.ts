// What PostgresStore refuses before a statement, and how rows become entries.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DeserializationError,
  InvalidKeyError,
  SerializationError,
} from "../../../../core/errors.ts";
import { checkUrl } from "../../../../stores/postgres/_client.ts";
import {
  checkJsonb,
  checkNames,
  isConnectionFailure,
  MAX_NAME_BYTES,
  rowEntry,
  timestamp,
  ttlColumn,
} from "../../../../stores/postgres/_rows.ts";

test("checkJsonb() refuses NUL and lone surrogates, in strings and property names", () => {
  for (
    const value of [
      { s: "a\0" },
      { ["\0"]: 1 },
      { s: "\ud800" },
      { a: [{ ["x\udc00"]: 1 }] },
      { a: [1, [2, ["\0"]]] },
    ]
  ) {
    assert.throws(() => checkJsonb(value, "put into PostgresStore"), SerializationError);
  }
});

test("checkJsonb() keeps text that only looks like an escape, and paired surrogates", () => {
  for (const value of [{ s: "\\u0000" }, { s: "\\ud800" }, { s: "😀" }, { n: 0, b: null }]) {
    checkJsonb(value, "put");
  }
});

test("checkNames() refuses NUL and pairs too long for the primary key, naming a strategy", () => {
  assert.throws(() => checkNames("c", "a\0b", "put"), /keySanitizationStrategy/);
  assert.throws(() => checkNames("c\0", "k", "put"), /collectionSanitizationStrategy/);
  assert.throws(() => checkNames("c", "x".repeat(MAX_NAME_BYTES), "put"), InvalidKeyError);
  // counted in UTF-8 bytes: 3 bytes per "€"
  assert.throws(() => checkNames("", "€".repeat(MAX_NAME_BYTES / 3 + 1), "put"), InvalidKeyError);
  checkNames("c", "x".repeat(MAX_NAME_BYTES - 1), "put");
  checkNames("", "€".repeat(MAX_NAME_BYTES / 3 - 1), "put");
});

test("rowEntry() reads the value text and epoch-millisecond timestamps", () => {
  assert.deepEqual(rowEntry({ v: '{"a": [1, 2]}', c: "1767225610123.456000", e: null }, "get"), {
    value: { a: [1, 2] },
    createdAt: 1767225610123.456,
    expiresAt: undefined,
  });
  assert.throws(() => rowEntry({ v: "[1]", c: null, e: null }, "get"), DeserializationError);
});

test("timestamp() and ttlColumn() write what py-key-value writes", () => {
  assert.equal(
    timestamp(Date.UTC(2026, 0, 1, 0, 0, 10, 123) + 0.456),
    "2026-01-01T00:00:10.123456+00:00",
  );
  assert.equal(timestamp(undefined), null);
  assert.equal(ttlColumn({ value: {}, createdAt: 1000, expiresAt: 2500 }), 1.5);
  assert.equal(ttlColumn({ value: {}, createdAt: 1000 }), null);
});

test("isConnectionFailure() knows node-postgres's connection errors and SQLSTATEs", () => {
  const coded = (code: string) => Object.assign(new Error("x"), { code });
  assert.ok(isConnectionFailure(new Error("Connection terminated unexpectedly")));
  assert.ok(isConnectionFailure(new Error("timeout exceeded when trying to connect")));
  assert.ok(isConnectionFailure(new Error("timeout expired"))); // a connect that got no answer
  for (const code of ["08006", "08001", "57P01", "57P03", "53300"]) {
    assert.ok(isConnectionFailure(coded(code)));
  }
  for (const code of ["23505", "42P01", "3D000"]) assert.ok(!isConnectionFailure(coded(code)));
  assert.ok(!isConnectionFailure("Connection terminated"));
});

test("checkUrl() accepts postgres:// and postgresql:// URLs only", () => {
  assert.equal(checkUrl("postgres://u:p@127.0.0.1:5432/db"), "postgres://u:p@127.0.0.1:5432/db");
  assert.equal(
    checkUrl("postgresql://127.0.0.1/db?sslmode=disable"),
    "postgresql://127.0.0.1/db?sslmode=disable",
  );
  for (const url of ["", "127.0.0.1:5432", "mysql://h/db", "postgres://%zz@h/db"]) {
    assert.throws(() => checkUrl(url), TypeError, url);
  }
  assert.throws(
    () => checkUrl("postgres://u:secret@h/%zz"),
    (e: Error) => !e.message.includes("secret"),
  );
});
