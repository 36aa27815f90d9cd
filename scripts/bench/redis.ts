/**
 * Redis scenario: RedisStore against raw ioredis (with and without
 * auto-pipelining), keyv with @keyv/redis, and unstorage's redis driver, all
 * on the same local Redis, timed by the wall clock (the work waits on the
 * server):
 *
 * - sequential `get` and `put` (with a TTL), one call in flight;
 * - 100 concurrent `get`s in flight;
 * - `getMany` and `putMany` of 100 keys.
 *
 * The raw clients do what a careful application does by hand for the same
 * semantics: `JSON.stringify` with `SET ... PX`, `JSON.parse` after `GET`,
 * `MGET` for a batch and one pipeline of `SET ... PX` for a batch put.
 *
 * Every subject writes under its own prefix (`kvbench...`), and every key
 * under it is deleted before and after the run.
 *
 * @module
 */

import { Redis } from "ioredis";
import KeyvRedis from "@keyv/redis";
import Keyv from "keyv";
import { createStorage } from "unstorage";
import redisDriver from "unstorage/drivers/redis";
import type { Case, Scenario, Target } from "./_harness.ts";
import { keys, TTL_SECONDS, values } from "./_data.ts";
import type { AsyncKeyValue, Value } from "./_lib.ts";

/** The constructor of RedisStore as the benchmark uses it. */
export type RedisStoreClass = new (
  options: { url?: string; client?: Redis },
) => AsyncKeyValue & { close?(): Promise<void> };

const TTL_MS = TTL_SECONDS * 1000;
const BATCH = 100;
const PREFIX = "kvbench";
/** The collection RedisStore writes into (keys `kvbench::user:00042`). */
const COLLECTION = PREFIX;

/** One subject under test. */
interface Subject {
  name: string;
  get(key: string): Promise<unknown>;
  put(key: string, value: Value): Promise<unknown>;
  getMany(keys: string[]): Promise<unknown>;
  putMany(keys: string[], values: Value[]): Promise<unknown>;
  close(): Promise<unknown> | void;
}

function rawSubject(name: string, client: Redis): Subject {
  const raw = (key: string) => `${PREFIX}:raw:${key}`;
  return {
    name,
    get: async (key) => {
      const text = await client.get(raw(key));
      return text === null ? undefined : JSON.parse(text);
    },
    put: (key, value) => client.set(raw(key), JSON.stringify(value), "PX", TTL_MS),
    getMany: async (keys) => {
      const texts = await client.mget(keys.map(raw));
      return texts.map((text) => (text === null ? undefined : JSON.parse(text)));
    },
    putMany: (keys, values) => {
      const pipeline = client.pipeline();
      for (let i = 0; i < keys.length; i++) {
        pipeline.set(raw(keys[i]!), JSON.stringify(values[i]), "PX", TTL_MS);
      }
      return pipeline.exec();
    },
    close: () => client.disconnect(),
  };
}

function storeSubject(name: string, store: AsyncKeyValue & { close?(): Promise<void> }): Subject {
  const put = { ttl: TTL_SECONDS, collection: COLLECTION };
  const at = { collection: COLLECTION };
  return {
    name,
    get: (key) => store.get(key, at),
    put: (key, value) => store.put(key, value, put),
    getMany: (keys) => store.getMany(keys, at),
    putMany: (keys, values) => store.putMany(keys, values, put),
    close: () => store.close?.(),
  };
}

function keyvSubject(url: string): Subject {
  const keyv = new Keyv({ store: new KeyvRedis(url), namespace: `${PREFIX}-keyv` });
  return {
    name: "keyv + @keyv/redis",
    get: (key) => keyv.get(key),
    put: (key, value) => keyv.set(key, value, TTL_MS),
    getMany: (keys) => keyv.getMany(keys),
    putMany: (keys, values) =>
      keyv.setMany(keys.map((key, i) => ({ key, value: values[i], ttl: TTL_MS }))),
    close: () => keyv.disconnect(),
  };
}

function unstorageSubject(url: string): Subject {
  const storage = createStorage({ driver: redisDriver({ url, base: `${PREFIX}-unstorage` }) });
  const put = { ttl: TTL_SECONDS };
  return {
    name: "unstorage (redis driver)",
    get: (key) => storage.getItem(key),
    put: (key, value) => storage.setItem(key, value, put),
    getMany: (keys) => storage.getItems(keys),
    putMany: (keys, values) =>
      storage.setItems(keys.map((key, i) => ({ key, value: values[i]!, options: put }))),
    close: () => storage.dispose(),
  };
}

/** Deletes every key this scenario may have written. */
async function cleanUp(client: Redis): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, found] = await client.scan(cursor, "MATCH", `${PREFIX}*`, "COUNT", 1000);
    cursor = next;
    if (found.length > 0) deleted += await client.unlink(...found);
  } while (cursor !== "0");
  return deleted;
}

/** Resolves to `undefined` when Redis answers PING at `url`, else to the reason. */
export async function probeRedis(url: string): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    client.disconnect();
  }
}

/** Resources a Redis run holds; `close()` cleans the keys and disconnects. */
export interface RedisRun {
  scenarios: Scenario[];
  close(): Promise<void>;
}

/**
 * Builds the Redis scenarios on the server at `url`.
 *
 * @param url The Redis URL.
 * @param RedisStore The store under test, or `undefined` while it has not
 *   landed (the peers then run alone, without ratios).
 */
export async function redisScenarios(
  url: string,
  RedisStore: RedisStoreClass | undefined,
): Promise<RedisRun> {
  const admin = new Redis(url);
  const closers: (() => void)[] = [];
  await cleanUp(admin);
  const subjects: Subject[] = [];
  if (RedisStore) {
    subjects.push(storeSubject("RedisStore", new RedisStore({ url })));
    const pipelining = new Redis(url, { enableAutoPipelining: true });
    subjects.push({
      ...storeSubject(
        "RedisStore (client with auto-pipelining)",
        new RedisStore({ client: pipelining }),
      ),
      close: () => pipelining.disconnect(), // the store leaves a client it was given open
    });
  }
  subjects.push(
    rawSubject("ioredis", new Redis(url)),
    rawSubject("ioredis (auto-pipelining)", new Redis(url, { enableAutoPipelining: true })),
    keyvSubject(url),
    unstorageSubject(url),
  );
  // Every subject gets the whole data set, so every read is a hit.
  for (const s of subjects) {
    for (let i = 0; i < keys.length; i += BATCH) {
      await s.putMany(keys.slice(i, i + BATCH), values.slice(i, i + BATCH) as Value[]);
    }
  }
  const batches: string[][] = [];
  for (let i = 0; i < keys.length; i += BATCH) batches.push(keys.slice(i, i + BATCH));
  const valueBatches = batches.map((_, b) => values.slice(b * BATCH, (b + 1) * BATCH) as Value[]);

  /** A case that walks the key set from where its last call stopped. */
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

  // The bound of getMany: a raw MGET of RedisStore's own entries, the
  // py-key-value envelopes (about 2.4 times the bytes of the bare JSON),
  // parsed with JSON.parse and nothing else.
  const envelopeMget: Case = (() => {
    const reader = new Redis(url);
    closers.push(() => reader.disconnect());
    let next = 0;
    return {
      name: "ioredis MGET of RedisStore's envelopes",
      ops: 10 * BATCH,
      run: async () => {
        for (let n = 0; n < 10; n++) {
          const names = batches[next]!.map((key) => `${COLLECTION}::${key}`);
          const texts = await reader.mget(names);
          texts.map((text) => (text === null ? undefined : JSON.parse(text)));
          next = (next + 1) % batches.length;
        }
      },
    };
  })();
  const subject = RedisStore ? "RedisStore" : "ioredis";
  const ours = (targets: Target[]): Target[] => (RedisStore ? targets : []);
  const note = RedisStore
    ? undefined
    : "RedisStore is not in this build yet (branch `redis`): peers only.";
  /** The server's CPU time so far (INFO cpu), so each row shows its server cost too. */
  const serverCpuMs = async (): Promise<number> => {
    const info = await admin.info("cpu");
    const seconds = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, "m").exec(info)?.[1]);
    return (seconds("used_cpu_user") + seconds("used_cpu_sys")) * 1000;
  };
  const scenario = (
    title: string,
    cases: Case[],
    targets: Target[],
  ): Scenario => ({
    title,
    subject,
    cases,
    targets: ours(targets),
    clock: "wall",
    serverCpuMs,
    ...(note ? { note } : {}),
  });
  const scenarios: Scenario[] = [
    scenario(
      "Redis: sequential get (one in flight)",
      subjects.map((s) => walking(s, 500, (i) => s.get(keys[i]!))),
      [{ peer: "ioredis", min: 0.95 }],
    ),
    scenario(
      `Redis: sequential put with a ${TTL_SECONDS} s TTL (one in flight)`,
      subjects.map((s) => walking(s, 500, (i) => s.put(keys[i]!, values[i]! as Value))),
      [{ peer: "ioredis", min: 0.95 }],
    ),
    scenario(
      `Redis: ${BATCH} concurrent gets in flight`,
      subjects.map((s) => batchCase(s, 5, (b) => Promise.all(batches[b]!.map((k) => s.get(k))))),
      subjects.filter((s) => !s.name.startsWith("RedisStore")).map((s) => ({
        peer: s.name,
        min: 1,
      })),
    ),
    scenario(
      `Redis: getMany of ${BATCH} keys (ops = keys)`,
      [
        ...subjects.map((s) => batchCase(s, 10, (b) => s.getMany(batches[b]!))),
        ...(RedisStore ? [envelopeMget] : []),
      ],
      [{ peer: "ioredis", min: 0.8 }],
    ),
    scenario(
      `Redis: putMany of ${BATCH} keys with a TTL (ops = keys)`,
      subjects.map((s) => batchCase(s, 10, (b) => s.putMany(batches[b]!, valueBatches[b]!))),
      [],
    ),
  ];
  return {
    scenarios,
    close: async () => {
      for (const s of subjects) await s.close();
      for (const close of closers) close();
      await cleanUp(admin);
      admin.disconnect();
    },
  };
}
