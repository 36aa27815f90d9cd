// This module is browser compatible.
/**
 * {@linkcode ManualClock}: the controllable clock the conformance suite
 * hands to a store's factory, so that a case can put an entry exactly at its
 * deadline, or one millisecond before it, without sleeping.
 *
 * It runs with real time until it is frozen, and every move is relative to
 * where it stands. A store with a native expiry that counts real time (Redis
 * `PX`, Memcached seconds) stays consistent with it as long as the clock is
 * never behind real time by more than an entry's TTL: the suite freezes it
 * only for short cases with TTLs of seconds, and otherwise only moves it
 * forward.
 *
 * @example Usage
 * ```ts
 * import { ManualClock } from "@kv/core/testing";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const clock = new ManualClock();
 * clock.freeze();
 * const store = new MemoryStore({ clock });
 * await store.put("k", { n: 1 }, { ttl: 10 });
 * clock.advance(9_999);
 * assert.deepEqual(await store.get("k"), { n: 1 });
 * clock.advance(1); // exactly at the deadline: expired
 * assert.equal(await store.get("k"), undefined);
 * ```
 *
 * @module
 */

import type { Clock } from "../core/clock.ts";

/**
 * A clock a test controls: real time plus an offset while running, a fixed
 * time while frozen.
 *
 * @example Moving a running clock forward
 * ```ts
 * import { ManualClock } from "@kv/core/testing";
 * import assert from "node:assert/strict";
 *
 * const clock = new ManualClock();
 * const before = clock.now();
 * clock.advance(60_000);
 * assert.ok(clock.now() - before >= 60_000);
 * assert.equal(clock.frozen, false);
 * ```
 */
export class ManualClock implements Clock {
  #offset = 0;
  #frozenAt: number | undefined;

  /** Milliseconds since the Unix epoch, as this clock counts them. */
  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offset;
  }

  /** `true` while the clock stands still. */
  get frozen(): boolean {
    return this.#frozenAt !== undefined;
  }

  /**
   * Stops the clock where it stands.
   *
   * @returns The time it stands at.
   */
  freeze(): number {
    this.#frozenAt = this.now();
    return this.#frozenAt;
  }

  /** Lets a frozen clock run again from where it stands. */
  resume(): void {
    if (this.#frozenAt === undefined) return;
    this.#offset = this.#frozenAt - Date.now();
    this.#frozenAt = undefined;
  }

  /**
   * Moves the clock forward.
   *
   * @param ms Milliseconds, finite and not negative.
   * @returns The new time.
   * @throws {RangeError} When `ms` is negative or not finite.
   */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`ManualClock.advance(): ms must be finite and >= 0: received ${ms}`);
    }
    if (this.#frozenAt !== undefined) this.#frozenAt += ms;
    else this.#offset += ms;
    return this.now();
  }

  /**
   * Sets the time: a frozen clock stays frozen there, a running one runs on
   * from there. Setting it back in time is allowed (a test of a clock that
   * jumps back), but see the module documentation about native expiry.
   *
   * @param ms Milliseconds since the Unix epoch.
   * @throws {RangeError} When `ms` is not finite.
   */
  set(ms: number): void {
    if (!Number.isFinite(ms)) {
      throw new RangeError(`ManualClock.set(): ms must be finite: received ${ms}`);
    }
    if (this.#frozenAt !== undefined) this.#frozenAt = ms;
    else this.#offset = ms - Date.now();
  }
}
