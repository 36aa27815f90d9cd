/**
 * The seeded sample of `deno task mutate`: mutants are grouped by operator,
 * each group is shuffled with a seeded generator, and the sample takes one
 * mutant of each operator in turn until it is full. So every operator is
 * represented even though some (`negate`) have thirty times more sites than
 * others (`drop-copy`), and one seed always gives the same sample of the
 * same source.
 *
 * @example Usage
 * ```ts
 * import { sample } from "./sample.ts";
 * import assert from "node:assert/strict";
 *
 * const items = [..."aaaaaaaab"].map((operator, i) => ({ operator, i }));
 * const picked = sample(items, 4, 1);
 * assert.equal(picked.length, 4);
 * assert.ok(picked.some((m) => m.operator === "b"));
 * assert.deepEqual(sample(items, 4, 1), picked);
 * ```
 *
 * @module
 */

/**
 * A seeded pseudo-random generator (mulberry32).
 *
 * @param seed Any integer.
 * @returns A function giving numbers in [0, 1).
 * @example Usage
 * ```ts
 * import { random } from "./sample.ts";
 * import assert from "node:assert/strict";
 *
 * const a = random(7);
 * const b = random(7);
 * assert.equal(a(), b());
 * ```
 */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks up to `max` items, one operator at a time in turn (operators in
 * order of first appearance), each operator's items in a seeded random
 * order. The result keeps the input order.
 *
 * @param items The candidates, each with an `operator`.
 * @param max How many to pick; `Infinity` for all.
 * @param seed The generator's seed.
 * @returns The picked items, in input order.
 * @example Usage
 * ```ts
 * import { sample } from "./sample.ts";
 * import assert from "node:assert/strict";
 *
 * const items = [{ operator: "x" }, { operator: "y" }];
 * assert.deepEqual(sample(items, Infinity, 3), items);
 * ```
 */
export function sample<T extends { operator: string }>(
  items: readonly T[],
  max: number,
  seed: number,
): T[] {
  const next = random(seed);
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const group = groups.get(item.operator) ?? [];
    group.push(index);
    groups.set(item.operator, group);
  });
  for (const group of groups.values()) {
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
  }
  const picked: number[] = [];
  for (let round = 0; picked.length < max; round++) {
    let any = false;
    for (const group of groups.values()) {
      if (round < group.length && picked.length < max) {
        picked.push(group[round]!);
        any = true;
      }
    }
    if (!any) break;
  }
  return picked.sort((a, b) => a - b).map((index) => items[index]!);
}
