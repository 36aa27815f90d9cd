// This module is browser compatible.
/**
 * The clock stores read the time from: every TTL deadline (`expires_at`)
 * is computed from it when an entry is written, and compared with it on
 * every read. Stores take one as the `clock` option, so a test can put an
 * entry exactly at its deadline without sleeping (the conformance suite
 * does); it defaults to the system clock.
 *
 * @example Usage
 * ```ts
 * import { type Clock, systemClock } from "@kv/core/core/clock";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * let now = Date.now();
 * const clock: Clock = { now: () => now };
 * const store = new MemoryStore({ clock });
 * await store.put("k", { n: 1 }, { ttl: 1 });
 * now += 999;
 * assert.deepEqual(await store.get("k"), { n: 1 });
 * now += 1; // exactly at the deadline: expired
 * assert.equal(await store.get("k"), undefined);
 * assert.ok(Math.abs(systemClock.now() - Date.now()) < 1000);
 * ```
 *
 * @module
 */

/** A source of the current time. */
export interface Clock {
  /** Milliseconds since the Unix epoch, as `Date.now()` counts them. */
  now(): number;
}

/** The system clock: `Date.now()`. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/**
 * Checks a `clock` option.
 *
 * @param clock The option's value.
 * @param owner Names the class in the error message ("MemoryStore").
 * @returns The clock, or the system clock when `clock` is undefined.
 * @throws {TypeError} When `clock` is neither undefined nor an object with a `now()` method.
 */
export function checkClock(clock: unknown, owner: string): Clock {
  if (clock === undefined) return systemClock;
  if (
    typeof clock !== "object" || clock === null ||
    typeof (clock as { now?: unknown }).now !== "function"
  ) {
    throw new TypeError(`Cannot create ${owner}: clock must be an object with a now() method`);
  }
  return clock as Clock;
}
