/**
 * Postgres scenario: PostgresStore against raw node-postgres sending the same
 * SQL statements on a pool of the same size, on the same local PostgreSQL,
 * timed by the wall clock (the work waits on the server):
 *
 * - sequential `get` and `put` (with a TTL), one call in flight;
 * - 100 concurrent `get`s in flight;
 * - `getMany` and `putMany` of 100 keys, one statement each.
 *
 * The raw client does what a careful application does by hand for the same
 * semantics and the same table: `JSON.stringify` into the JSONB column with
 * ISO timestamps, the upsert that keeps `created_at`, `key = ANY($2)` for a
 * batch read and `unnest` for a batch write, `JSON.parse` of `value::text`
 * and a check of `expires_at` on read.
 *
 * Each subject has a table of its own (`kvbench_<suffix>_<n>`), dropped
 * after the run.
 *
 * @module
 */

import pg from "pg";
import type { Case, Scenario, Target } from "./_harness.ts";
import { keys, TTL_SECONDS, values } from "./_data.ts";
import type { AsyncKeyValue, Value } from "./_lib.ts";

/** The constructor of PostgresStore as the benchmark uses it. */
export type PostgresStoreClass = new (
  options: { url: string; tableName: string; poolSize: number },
) => AsyncKeyValue & { close(): Promise<void> };

const BATCH = 100;
const POOL = 10;
const COLLECTION = "kvbench";

interface Subject {
  name: string;
  get(key: string): Promise<unknown>;
  put(key: string, value: Value): Promise<unknown>;
  getMany(keys: string[]): Promise<unknown>;
  putMany(keys: string[], values: Value[]): Promise<unknown>;
  close(): Promise<unknown>;
}

const ROW = "value::text AS v, (extract(epoch FROM created_at) * 1000)::text AS c, " +
  "(extract(epoch FROM expires_at) * 1000)::text AS e";
const UPSERT = "ON CONFLICT (collection, key) DO UPDATE SET value = EXCLUDED.value, " +
  "ttl = EXCLUDED.ttl, expires_at = EXCLUDED.expires_at";
const DDL = (t: string) =>
  `CREATE TABLE IF NOT EXISTS ${t} (collection TEXT NOT NULL, key TEXT NOT NULL, ` +
  "value JSONB NOT NULL, ttl DOUBLE PRECISION, created_at TIMESTAMPTZ, " +
  "expires_at TIMESTAMPTZ, PRIMARY KEY (collection, key))";

type Row = { k?: string; v: string; c: string | null; e: string | null };
const live = (row: Row | undefined) =>
  row === undefined || (row.e !== null && Number(row.e) <= Date.now())
    ? undefined
    : JSON.parse(row.v);

function rawSubject(url: string, table: string): Subject {
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  const get = `SELECT ${ROW} FROM ${table} WHERE collection = $1 AND key = $2`;
  const getMany = `SELECT key AS k, ${ROW} FROM ${table} WHERE collection = $1 AND ` +
    "key = ANY($2::text[])";
  const put = `INSERT INTO ${table} (collection, key, value, ttl, created_at, expires_at) ` +
    `VALUES ($1, $2, $3::jsonb, $4, $5::timestamptz, $6::timestamptz) ${UPSERT}`;
  const putMany = `INSERT INTO ${table} (collection, key, value, ttl, created_at, expires_at) ` +
    "SELECT $1, u.k, u.v::jsonb, $4, $5::timestamptz, $6::timestamptz " +
    `FROM unnest($2::text[], $3::text[]) AS u(k, v) ${UPSERT}`;
  const stamps = () => {
    const now = Date.now();
    return [new Date(now).toISOString(), new Date(now + TTL_SECONDS * 1000).toISOString()];
  };
  return {
    name: "node-postgres (same SQL)",
    get: async (key) => live((await pool.query(get, [COLLECTION, key])).rows[0]),
    put: (key, value) =>
      pool.query(put, [COLLECTION, key, JSON.stringify(value), TTL_SECONDS, ...stamps()]),
    getMany: async (keys) => {
      const { rows } = await pool.query(getMany, [COLLECTION, keys]);
      const found = new Map((rows as Row[]).map((row) => [row.k!, row]));
      return keys.map((key) => live(found.get(key)));
    },
    putMany: (keys, values) =>
      pool.query(putMany, [
        COLLECTION,
        keys,
        values.map((value) => JSON.stringify(value)),
        TTL_SECONDS,
        ...stamps(),
      ]),
    close: () => pool.end(),
  };
}

function storeSubject(store: AsyncKeyValue & { close(): Promise<void> }): Subject {
  const put = { ttl: TTL_SECONDS, collection: COLLECTION };
  const at = { collection: COLLECTION };
  return {
    name: "PostgresStore",
    get: (key) => store.get(key, at),
    put: (key, value) => store.put(key, value, put),
    getMany: (keys) => store.getMany(keys, at),
    putMany: (keys, values) => store.putMany(keys, values, put),
    close: () => store.close(),
  };
}

/** Resolves to `undefined` when PostgreSQL answers at `url`, else to the reason. */
export async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Resources a Postgres run holds; `close()` drops the tables and disconnects. */
export interface PostgresRun {
  scenarios: Scenario[];
  close(): Promise<void>;
}

/** Builds the Postgres scenarios on the server at `url`. */
export async function postgresScenarios(
  url: string,
  PostgresStore: PostgresStoreClass,
): Promise<PostgresRun> {
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const tables = [`kvbench_${suffix}_store`, `kvbench_${suffix}_raw`];
  for (const table of tables) await admin.query(DDL(table));
  const subjects: Subject[] = [
    storeSubject(new PostgresStore({ url, tableName: tables[0]!, poolSize: POOL })),
    rawSubject(url, tables[1]!),
  ];
  for (const s of subjects) {
    for (let i = 0; i < keys.length; i += BATCH) {
      await s.putMany(keys.slice(i, i + BATCH), values.slice(i, i + BATCH) as Value[]);
    }
  }
  const batches: string[][] = [];
  for (let i = 0; i < keys.length; i += BATCH) batches.push(keys.slice(i, i + BATCH));
  const valueBatches = batches.map((_, b) => values.slice(b * BATCH, (b + 1) * BATCH) as Value[]);
  const walking = (s: Subject, ops: number, step: (i: number) => Promise<unknown>): Case => {
    let next = 0;
    return {
      name: s.name,
      ops,
      run: async () => {
        for (let n = 0; n < ops; n++) {
          await step(next);
          next = (next + 1) % keys.length;
        }
      },
    };
  };
  const batchCase = (s: Subject, rounds: number, step: (b: number) => Promise<unknown>): Case => {
    let next = 0;
    return {
      name: s.name,
      ops: rounds * BATCH,
      run: async () => {
        for (let n = 0; n < rounds; n++) {
          await step(next);
          next = (next + 1) % batches.length;
        }
      },
    };
  };
  const raw = subjects[1]!.name;
  const scenario = (title: string, cases: Case[], targets: Target[]): Scenario => ({
    title,
    subject: "PostgresStore",
    cases,
    targets,
    clock: "wall",
  });
  const scenarios: Scenario[] = [
    scenario(
      "Postgres: sequential get (one in flight)",
      subjects.map((s) => walking(s, 300, (i) => s.get(keys[i]!))),
      [{ peer: raw, min: 0.9 }],
    ),
    scenario(
      `Postgres: sequential put with a ${TTL_SECONDS} s TTL (one in flight)`,
      subjects.map((s) => walking(s, 200, (i) => s.put(keys[i]!, values[i]! as Value))),
      [{ peer: raw, min: 0.9 }],
    ),
    scenario(
      `Postgres: ${BATCH} concurrent gets in flight (pool of ${POOL})`,
      subjects.map((s) => batchCase(s, 3, (b) => Promise.all(batches[b]!.map((k) => s.get(k))))),
      [{ peer: raw, min: 1 }],
    ),
    scenario(
      `Postgres: getMany of ${BATCH} keys, one statement (ops = keys)`,
      subjects.map((s) => batchCase(s, 10, (b) => s.getMany(batches[b]!))),
      [{ peer: raw, min: 0.9 }],
    ),
    scenario(
      `Postgres: putMany of ${BATCH} keys with a TTL, one statement (ops = keys)`,
      subjects.map((s) => batchCase(s, 5, (b) => s.putMany(batches[b]!, valueBatches[b]!))),
      [{ peer: raw, min: 0.9 }],
    ),
  ];
  return {
    scenarios,
    close: async () => {
      for (const s of subjects) await s.close();
      for (const table of tables) await admin.query(`DROP TABLE IF EXISTS ${table}`);
      await admin.end();
    },
  };
}
