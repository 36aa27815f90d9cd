// Interoperability with py-key-value's PostgreSQLStore (asyncpg) on one
// table: Python writes and PostgresStore reads, and the reverse, each side
// creating the table in turn. Expiry is checked without sleeping: the
// TypeScript side writes with a clock in the past.

import pg from "pg";
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { PostgresStore } from "../../stores/postgres/mod.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";
import {
  assertTtlNear,
  findPython,
  INTEROP_VALUES,
  type PyEntry,
  type PyItem,
  runInteropScript,
} from "./_python.ts";

const url = serviceUrl("postgres");
const python = url ? findPython() : undefined;
const skip = url
  ? (python ? {} : { skip: "py-key-value's Python is missing (scripts/py_env.sh)" })
  : skipUnless(url, "postgres");
const suffix = uniqueSuffix();
const tables = [`kv_interop_py_${suffix}`, `kv_interop_ts_${suffix}`];
const SPECIAL = "test_collection!@#$%^&*() :: 'quoted'";
const admin = url ? new pg.Pool({ connectionString: url, max: 2 }) : undefined;
admin?.on("error", () => {});

function runPython(table: string, command: string, items: readonly PyItem[]): Promise<PyEntry[]> {
  return runInteropScript(python!, "py_postgresql_roundtrip.py", [url!, table, command], items);
}

after(async () => {
  if (!admin) return;
  for (const table of tables) await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.end();
});

describe("PostgresStore and py-key-value's PostgreSQLStore share a table", skip, () => {
  test("PostgresStore reads what py-key-value wrote (in a table py-key-value created)", async () => {
    const table = tables[0]!;
    const items: PyItem[] = [
      ...INTEROP_VALUES.map((value, i) => ({ collection: "from_py", key: `k${i}`, value })),
      { collection: "from_py", key: "ttl", value: { t: 1 }, ttl: 300 },
      { collection: SPECIAL, key: "k::1 'x'", value: { special: true } },
    ];
    const written = await runPython(table, "write", items);
    assert.deepEqual(written.map((entry) => entry.value), items.map((item) => item.value));
    const store = new PostgresStore({ url: url!, tableName: table });
    for (const item of items) {
      const [value, ttl] = await store.ttl(item.key, { collection: item.collection });
      assert.deepEqual(value, item.value);
      if (item.ttl) assertTtlNear(ttl, item.ttl);
      else assert.equal(ttl, undefined);
    }
    assert.deepEqual(await store.getMany(["k0", "k1", "missing"], { collection: "from_py" }), [
      INTEROP_VALUES[0],
      INTEROP_VALUES[1],
      undefined,
    ]);
    assert.deepEqual(await store.keys({ collection: SPECIAL }), ["k::1 'x'"]);
    assert.deepEqual((await store.collections()).sort(), ["from_py", SPECIAL].sort());
    // Overwriting a Python row keeps its created_at, as py-key-value's upsert does.
    const before = await admin!.query(`SELECT created_at FROM ${table} WHERE key = 'k0'`);
    await store.put("k0", { replaced: true }, { collection: "from_py" });
    const afterPut = await admin!.query(`SELECT created_at FROM ${table} WHERE key = 'k0'`);
    assert.deepEqual(afterPut.rows[0].created_at, before.rows[0].created_at);
    const [again] = await runPython(table, "read", [{ collection: "from_py", key: "k0" }]);
    assert.deepEqual(again!.value, { replaced: true });
    await store.close();
  });

  test("py-key-value reads what PostgresStore wrote (in a table PostgresStore created)", async () => {
    const table = tables[1]!;
    const store = new PostgresStore({ url: url!, tableName: table });
    const entries = [
      ...INTEROP_VALUES.map((value, i) => ({ collection: "from_ts", key: `k${i}`, value })),
      { collection: "from_ts", key: "shapes", value: { "a.b": 1, "$c": [[1, 2], [3]], "": 0 } },
      { collection: SPECIAL, key: "k::2 'y'", value: { special: true } },
    ];
    for (const entry of entries) {
      await store.put(entry.key, entry.value, { collection: entry.collection });
    }
    await store.putMany(["ttl", "ttl2"], [{ t: 1 }, { t: 2 }], { collection: "from_ts", ttl: 300 });
    // Written as if 10 s ago with a 1 s TTL: expired for Python's clock.
    const past = new PostgresStore({
      url: url!,
      tableName: table,
      clock: { now: () => Date.now() - 10_000 },
    });
    await past.put("short", { t: 3 }, { collection: "from_ts", ttl: 1 });
    await past.close();
    const read = await runPython(table, "read", [
      ...entries,
      { collection: "from_ts", key: "ttl" },
      { collection: "from_ts", key: "ttl2" },
      { collection: "from_ts", key: "short" },
      { collection: "from_ts", key: "missing" },
    ]);
    assert.deepEqual(
      read.slice(0, entries.length).map((entry) => entry.value),
      entries.map((entry) => entry.value),
    );
    for (const entry of read.slice(0, entries.length)) assert.equal(entry.ttl, null);
    const [ttl, ttl2, short, missing] = read.slice(entries.length);
    assert.deepEqual(ttl!.value, { t: 1 });
    assertTtlNear(ttl!.ttl, 300);
    assert.deepEqual(ttl2!.value, { t: 2 });
    assert.equal(short!.value, null); // expired: Python honours our expires_at
    assert.equal(missing!.value, null);
    const collections = await runPython(table, "collections", []) as unknown as string[];
    assert.deepEqual([...collections].sort(), ["from_ts", SPECIAL].sort());
    await store.close();
  });
});
