/**
 * The data every scenario uses: 10,000 distinct keys, each with its own small
 * JSON object of about 100 bytes (a typical session or profile record).
 *
 * @module
 */

/** How many distinct keys the scenarios use. */
export const KEY_COUNT = 10_000;

/** The TTL of every timed put, in seconds. */
export const TTL_SECONDS = 3_600;

/** One record; its JSON is about 100 bytes. */
export interface Profile {
  [key: string]: unknown;
  id: number;
  name: string;
  email: string;
  active: boolean;
  score: number;
  tags: string[];
}

/** The keys, `user:00000` to `user:09999`. */
export const keys: readonly string[] = Array.from(
  { length: KEY_COUNT },
  (_, i) => `user:${String(i).padStart(5, "0")}`,
);

/** The values, one per key, distinct. */
export const values: readonly Profile[] = keys.map((_, i) => ({
  id: i,
  name: `User ${i}`,
  email: `user${i}@example.com`,
  active: i % 3 !== 0,
  score: Math.round((i * 7919) % 1000) / 10,
  tags: [i % 2 ? "beta" : "stable"],
}));

/** The average JSON size of a value in bytes. */
export function averageJsonBytes(): number {
  let total = 0;
  for (const value of values) total += JSON.stringify(value).length;
  return Math.round(total / values.length);
}
