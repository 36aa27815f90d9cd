// PostgresStore against a real PostgreSQL (scripts/services.sh up postgres):
// the conformance suite (over a URL, and over the caller's own pool), the raw
// row layout py-key-value's PostgreSQLStore reads, values JSONB must keep or
// refuse, and setup. Every test uses a table of its own, dropped afterwards.

import pg from "pg";
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  InvalidKeyError,
  KeyValueStoreError,
  SerializationError,
  StoreSetupError,
} from "../../core/errors.ts";
import { HashExcessLengthStrategy } from "../../core/sanitization.ts";
import { PostgresStore, type PostgresStoreOptions } from "../../stores/postgres/mod.ts";
import { testConformance } from "../../testing/_conformance.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";

const url = serviceUrl("postgres");
const skip = skipUnless(url, "postgres");
const run = uniqueSuffix();
let tables = 0;
const created = new Set<string>();
const admin = url ? new pg.Pool({ connectionString: url, max: 4 }) : undefined;
admin?.on("error", () => {});

function newTable(): string {
  const name = `kv_test_${run}_${tables++}`;
  created.add(name);
  return name;
}

function newStore(options: Partial<PostgresStoreOptions> = {}): PostgresStore {
  const tableName = options.tableName ?? newTable();
  const base = options.client ? {} : { url: url! };
  return new PostgresStore({ ...base, ...options, tableName } as PostgresStoreOptions);
}

async function dropTable(name: string): Promise<void> {
  await admin!.query(`DROP TABLE IF EXISTS ${name}`);
  created.delete(name);
}

after(async () => {
  if (!admin) return;
  for (const name of [...created]) await dropTable(name);
  await admin.end();
});

const capabilities = [
  "keys",
  "collections",
  "destroyCollection",
  "destroy",
  "cull",
  "putIfAbsent",
] as const;

if (url) {
  testConformance("PostgresStore", {
    factory: ({ clock }) => newStore({ clock }),
    clock: true,
    construct: (extra) => newStore(extra as Partial<PostgresStoreOptions>),
    teardown: async (store) => {
      await store.close();
      await dropTable(store.tableName);
    },
    capabilities,
    refusedKeys: ["nul\0key"],
    refusedCollections: ["nul\0collection"],
    propertyRuns: 50,
  });
  testConformance("PostgresStore over the caller's pool", {
    factory: ({ clock }) => newStore({ clock, client: admin! }),
    clock: true,
    construct: (extra) => newStore({ client: admin!, ...extra as Partial<PostgresStoreOptions> }),
    teardown: async (store) => {
      await store.close(); // must not end the caller's pool
      await dropTable(store.tableName);
    },
    capabilities,
    propertyRuns: 20,
    namesRuns: 5,
  });
} else {
  test("PostgresStore conformance", skip, () => {});
}

describe("PostgresStore against a PostgreSQL server", skip, () => {
  test("PostgresStore.put() writes py-key-value's row: the value as JSONB, metadata in columns", async () => {
    const store = newStore();
    await store.put("k", { a: 1, nested: { b: [true, null] } }, { collection: "c", ttl: 100 });
    const { rows } = await admin!.query(
      `SELECT collection, key, value, ttl, created_at, expires_at FROM ${store.tableName}`,
    );
    assert.equal(rows.length, 1);
    const row = rows[0];
    assert.equal(row.collection, "c");
    assert.equal(row.key, "k");
    assert.deepEqual(row.value, { a: 1, nested: { b: [true, null] } });
    assert.equal(row.ttl, 100);
    assert.ok(row.created_at instanceof Date && row.expires_at instanceof Date);
    assert.equal(row.expires_at.getTime() - row.created_at.getTime(), 100_000);
    const columns = await admin!.query(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 " +
        "ORDER BY ordinal_position",
      [store.tableName],
    );
    assert.deepEqual(columns.rows.map((c) => `${c.column_name} ${c.data_type}`), [
      "collection text",
      "key text",
      "value jsonb",
      "ttl double precision",
      "created_at timestamp with time zone",
      "expires_at timestamp with time zone",
    ]);
    const index = await admin!.query("SELECT indexdef FROM pg_indexes WHERE indexname = $1", [
      `idx_${store.tableName}_expires_at`,
    ]);
    assert.match(index.rows[0].indexdef, /WHERE \(expires_at IS NOT NULL\)/);
    await store.close();
  });

  test("PostgresStore.put() over an existing row keeps its created_at, as py-key-value does", async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = newStore({ clock: { now: () => now } });
    await store.put("k", { v: 1 });
    now += 5_000;
    await store.put("k", { v: 2 }, { ttl: 10 });
    const { rows } = await admin!.query(`SELECT created_at, expires_at FROM ${store.tableName}`);
    assert.equal(rows[0].created_at.getTime(), Date.UTC(2026, 0, 1));
    assert.equal(rows[0].expires_at.getTime(), Date.UTC(2026, 0, 1) + 15_000);
    assert.deepEqual(await store.get("k"), { v: 2 });
    await store.close();
  });

  test("PostgresStore round-trips numbers, odd strings and property names exactly", async () => {
    const store = newStore();
    const value = {
      max: Number.MAX_VALUE,
      min: Number.MIN_VALUE,
      big: 9007199254740991,
      tiny: 1.5e-300,
      third: 1 / 3,
      neg: -123.456e200,
      "": "empty name",
      "__proto__": { polluted: false },
      "a.b": "$c",
      unicode: "😀 é \u2028 \\u0000 \\\\",
      nested: [[1, [2, [3]]], {}, []],
    };
    const parsed = JSON.parse(JSON.stringify(value));
    await store.put("k", parsed);
    assert.deepEqual(await store.get("k"), parsed);
    await store.putMany(["a", "b"], [parsed, { x: 1 }]);
    assert.deepEqual(await store.getMany(["a", "b"]), [parsed, { x: 1 }]);
    await store.close();
  });

  test("PostgresStore.put() refuses NUL and lone surrogates in a value before writing", async () => {
    const store = newStore();
    await store.put("keep", { v: 1 });
    for (
      const bad of [
        { s: "a\0b" },
        { ["k\0"]: 1 },
        { s: "\ud800" },
        { deep: [{ s: "x\udfffy" }] },
      ]
    ) {
      await assert.rejects(store.put("k", bad), SerializationError);
      await assert.rejects(store.putMany(["keep", "k"], [{ v: 2 }, bad]), SerializationError);
      await assert.rejects(store.putIfAbsent("k", bad), SerializationError);
    }
    assert.deepEqual(await store.get("keep"), { v: 1 });
    assert.equal(await store.get("k"), undefined);
    await store.close();
  });

  test("PostgresStore refuses a collection and key too long for its primary key, unless hashed", async () => {
    const store = newStore();
    const long = "x".repeat(3000);
    await assert.rejects(store.put(long, { v: 1 }), InvalidKeyError);
    await assert.rejects(store.putMany(["ok", long], [{ v: 1 }, { v: 2 }]), InvalidKeyError);
    await assert.rejects(store.get(long), InvalidKeyError);
    assert.equal(await store.get("ok"), undefined);
    await store.close();
    const hashed = newStore({
      keySanitizationStrategy: new HashExcessLengthStrategy({ maxLength: 1024 }),
    });
    await hashed.put(long, { v: 1 });
    assert.deepEqual(await hashed.get(long), { v: 1 });
    await hashed.close();
  });

  test("PostgresStore.putMany() with a repeated key stores its last value", async () => {
    const store = newStore();
    await store.putMany(["a", "b", "a"], [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.deepEqual(await store.getMany(["a", "b", "a"]), [{ n: 3 }, { n: 2 }, { n: 3 }]);
    assert.equal(await store.deleteMany(["a", "a", "b"]), 2);
    await store.close();
  });

  test("PostgresStore with autoCreate: false is a StoreSetupError for a missing table", async () => {
    const store = newStore({ autoCreate: false });
    await assert.rejects(store.get("k"), StoreSetupError);
    await store.close();
  });

  test("PostgresStore refuses a table name that is not an identifier", () => {
    for (const tableName of ["1abc", "a-b", "a;drop", "x".repeat(64), "", "tablé"]) {
      assert.throws(() => new PostgresStore({ url: url!, tableName }), TypeError);
    }
  });

  test("PostgresStore works over a connected pg.Client and never closes it", async () => {
    const client = new pg.Client({ connectionString: url! });
    await client.connect();
    try {
      const store = newStore({ client });
      await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { ttl: 60 });
      assert.deepEqual(await store.getMany(["b", "a", "c"]), [{ n: 2 }, { n: 1 }, undefined]);
      await store.close();
      await store.close(); // idempotent
      assert.equal((await client.query("SELECT 1 AS one")).rows[0].one, 1);
    } finally {
      await client.end();
    }
  });

  test("PostgresStore.close() twice is harmless for a pool it created", async () => {
    const store = newStore();
    await store.put("k", { v: 1 });
    await store.close();
    await store.close();
  });

  test("PostgresStore.putIfAbsent() lets exactly one of many concurrent callers win", async () => {
    const store = newStore();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.putIfAbsent("race", { i })),
    );
    assert.equal(results.filter(Boolean).length, 1);
    await store.close();
  });

  test("PostgresStore.destroy() keeps the table usable and other tables untouched", async () => {
    const a = newStore();
    const b = newStore();
    await a.put("k", { v: 1 });
    await b.put("k", { v: 2 });
    assert.equal(await a.destroy(), true);
    assert.equal(await a.get("k"), undefined);
    assert.deepEqual(await b.get("k"), { v: 2 });
    await a.put("k", { v: 3 });
    assert.deepEqual(await a.get("k"), { v: 3 });
    await a.close();
    await b.close();
  });

  test("PostgresStore maps a server error to KeyValueStoreError with the cause", async () => {
    const store = newStore();
    await store.put("k", { v: 1 });
    await admin!.query(
      `ALTER TABLE ${store.tableName} ADD CONSTRAINT small CHECK (length(key) < 3)`,
    );
    const error = await store.put("long", { v: 1 }).catch((e) => e);
    assert.ok(error instanceof KeyValueStoreError, String(error));
    assert.equal((error.cause as { code?: string }).code, "23514");
    await store.close();
  });
});
