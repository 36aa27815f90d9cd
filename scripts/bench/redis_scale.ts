/**
 * Redis scale scenario: RedisStore against raw ioredis with 10k, 100k and
 * 1M entries on the server, read at random keys, one call in flight, timed
 * by the wall clock. Both read the same keys (RedisStore's envelopes under
 * `kvbench-scale::...`): the raw client sends the GET and parses the JSON
 * text, which is the same work the store does.
 *
 * The server is filled once per size (RedisStore.putMany in chunks of
 * 1,000), and every key under `kvbench` is deleted before and after.
 *
 * @module
 */

import { Redis } from "ioredis";
import type { Case, Scenario } from "./_harness.ts";
import type { RedisStoreClass } from "./redis.ts";
import { keyAt, randomIndices, SIZES, valueAt } from "./scale.ts";

const COLLECTION = "kvbench-scale";
const READS = 2_000;
const CHUNK = 1_000;

async function cleanUp(client: Redis): Promise<void> {
  let cursor = "0";
  do {
    const [next, found] = await client.scan(cursor, "MATCH", "kvbench*", "COUNT", 5000);
    cursor = next;
    if (found.length > 0) await client.unlink(...found);
  } while (cursor !== "0");
}

/**
 * Runs the scale tables on the Redis at `url`, printing each with `print`
 * (one size at a time, so the server holds one size's data at once).
 *
 * @param url The Redis URL.
 * @param RedisStore The store under test.
 * @param print Times and prints one scenario.
 */
export async function runRedisScale(
  url: string,
  RedisStore: RedisStoreClass,
  print: (scenario: Scenario) => Promise<void>,
): Promise<void> {
  const admin = new Redis(url);
  const raw = new Redis(url);
  const store = new RedisStore({ url });
  const at = { collection: COLLECTION };
  try {
    await cleanUp(admin);
    let filled = 0;
    for (const size of SIZES) {
      for (let i = filled; i < size; i += CHUNK) {
        const keys: string[] = [];
        const values: Record<string, unknown>[] = [];
        for (let j = i; j < Math.min(size, i + CHUNK); j++) {
          keys.push(keyAt(j));
          values.push(valueAt(j));
        }
        await store.putMany(keys, values, at);
      }
      filled = size;
      const reads = randomIndices(READS, size).map(keyAt);
      const rawKeys = reads.map((key) => `${COLLECTION}::${key}`);
      const cases: Case[] = [
        {
          name: "RedisStore",
          ops: READS,
          run: async () => {
            for (let i = 0; i < READS; i++) await store.get(reads[i]!, at);
          },
        },
        {
          name: "ioredis",
          ops: READS,
          run: async () => {
            for (let i = 0; i < READS; i++) {
              const text = await raw.get(rawKeys[i]!);
              if (text !== null) JSON.parse(text).value;
            }
          },
        },
      ];
      await print({
        title: `Redis scale: random get over ${size.toLocaleString("en-US")} entries`,
        subject: "RedisStore",
        cases,
        clock: "wall",
        targets: [{ peer: "ioredis", min: 0.9 }],
      });
    }
  } finally {
    await store.close?.();
    await cleanUp(admin);
    raw.disconnect();
    admin.disconnect();
  }
}
