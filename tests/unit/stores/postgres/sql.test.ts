// PostgresStore's SQL text and table names, without a server.

import assert from "node:assert/strict";
import { test } from "node:test";
import { checkTableName, indexName, statements } from "../../../../stores/postgres/_sql.ts";

test("checkTableName() accepts py-key-value's identifiers and refuses the rest", () => {
  for (const name of ["kv_store", "_x", "A1_b", "t".repeat(63)]) {
    assert.equal(checkTableName(name), name);
  }
  for (const name of ["", "1abc", "a-b", "a b", "a;drop table x", "t".repeat(64), "tablé", 5]) {
    assert.throws(() => checkTableName(name), TypeError, String(name));
  }
});

test("indexName() is py-key-value's: idx_<table>_expires_at, hashed past 63 characters", () => {
  assert.equal(indexName("kv_store"), "idx_kv_store_expires_at");
  assert.equal(indexName("t".repeat(48)), `idx_${"t".repeat(48)}_expires_at`); // 63 characters
  // hashlib.sha256(("t" * 60).encode()).hexdigest()[:16] in py-key-value.
  assert.equal(indexName("t".repeat(60)), "idx_4409108038a8dd8e_exp");
});

test("statements() create py-key-value's DDL", () => {
  const sql = statements("kv_store");
  assert.equal(
    sql.createTable,
    "CREATE TABLE IF NOT EXISTS kv_store (collection TEXT NOT NULL, key TEXT NOT NULL, " +
      "value JSONB NOT NULL, ttl DOUBLE PRECISION, created_at TIMESTAMPTZ, " +
      "expires_at TIMESTAMPTZ, PRIMARY KEY (collection, key))",
  );
  assert.equal(
    sql.createIndex,
    "CREATE INDEX IF NOT EXISTS idx_kv_store_expires_at ON kv_store(expires_at) " +
      "WHERE expires_at IS NOT NULL",
  );
});

test("statements() upsert keeps created_at; putIfAbsent replaces only an expired row", () => {
  const sql = statements("kv_store");
  for (const upsert of [sql.put, sql.putMany]) {
    assert.match(upsert, /ON CONFLICT \(collection, key\) DO UPDATE SET/);
    assert.doesNotMatch(upsert.split("DO UPDATE")[1]!, /created_at/);
  }
  assert.match(sql.putIfAbsent, /created_at = EXCLUDED\.created_at/);
  assert.match(sql.putIfAbsent, /WHERE t\.expires_at IS NOT NULL AND t\.expires_at <= \$7/);
});

test("statements() judge deadlines by a parameter, never by SQL's clock", () => {
  for (const [name, text] of Object.entries(statements("kv_store"))) {
    assert.doesNotMatch(text, /now\(\)|current_timestamp|clock_timestamp/i, name);
  }
});

test("statements() batch with one statement: ANY for reads and deletes, unnest for writes", () => {
  const sql = statements("kv_store");
  assert.match(sql.getMany, /key = ANY\(\$2::text\[\]\)/);
  assert.match(sql.deleteMany, /key = ANY\(\$2::text\[\]\)/);
  assert.match(sql.putMany, /FROM unnest\(\$2::text\[\], \$3::text\[\]\)/);
  // deletes count only rows that were live at the parameter's time
  assert.match(sql.delete, /count\(\*\) FILTER \(WHERE \(expires_at IS NULL OR expires_at > \$3/);
  assert.equal(sql.cull, "DELETE FROM kv_store WHERE expires_at <= $1::timestamptz");
});
