// This module is browser compatible.
/**
 * TTL validation and expiry arithmetic.
 *
 * A TTL is a positive, finite number of seconds (fractions allowed). `null`
 * and `undefined` mean "no expiry". Everything else — 0, negatives, NaN,
 * ±Infinity, booleans, strings, a TTL whose deadline lies past
 * 9999-12-31T23:59:59.999Z (the largest date py-key-value can read) — is an
 * {@linkcode InvalidTTLError}. Deadlines are absolute epoch milliseconds;
 * an entry whose deadline is `<= now` is expired.
 *
 * @example Usage
 * ```ts
 * import { expiresAtFor, remainingSeconds } from "@kv/core/core/ttl";
 * import assert from "node:assert/strict";
 *
 * const deadline = expiresAtFor(1.5, 1_000);
 * assert.equal(deadline, 2_500);
 * assert.equal(remainingSeconds(deadline, 2_000), 0.5);
 * ```
 *
 * @module
 */

import { InvalidTTLError } from "./errors.ts";

/** The largest deadline accepted: 9999-12-31T23:59:59.999Z, in epoch milliseconds. */
export const MAX_EXPIRES_AT: number = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function describe(ttl: unknown): string {
  return typeof ttl === "number" ? String(ttl) : `${typeof ttl} ${String(ttl)}`;
}

/**
 * Checks a TTL and returns it in seconds, or `undefined` for "no expiry".
 *
 * @example Usage
 * ```ts
 * import { validateTtl } from "@kv/core/core/ttl";
 * import assert from "node:assert/strict";
 *
 * assert.equal(validateTtl(0.25), 0.25);
 * assert.equal(validateTtl(null), undefined);
 * assert.throws(() => validateTtl(0));
 * ```
 *
 * @param ttl The TTL to check.
 * @param context Names the store and operation in the error message.
 * @returns The TTL in seconds, or `undefined`.
 * @throws {InvalidTTLError} When `ttl` is not a positive finite number.
 */
export function validateTtl(ttl: unknown, context = "put"): number | undefined {
  if (ttl === undefined || ttl === null) return undefined;
  if (typeof ttl !== "number") {
    throw new InvalidTTLError(
      `Cannot ${context}: ttl must be a number of seconds or null: received ${describe(ttl)}`,
      { extraInfo: { ttl, type: typeof ttl } },
    );
  }
  if (!(ttl > 0) || ttl === Infinity) {
    throw new InvalidTTLError(
      `Cannot ${context}: ttl must be a positive finite number of seconds: received ${ttl}`,
      { extraInfo: { ttl } },
    );
  }
  return ttl;
}

/**
 * The deadline of an entry written at `now` with `ttlSeconds`.
 *
 * @param ttlSeconds A TTL already checked by {@linkcode validateTtl}, or `undefined`.
 * @param now The write time in epoch milliseconds.
 * @param context Names the store and operation in the error message.
 * @returns The deadline in epoch milliseconds, or `undefined` for no expiry.
 * @throws {InvalidTTLError} When the deadline lies past {@linkcode MAX_EXPIRES_AT}.
 */
export function expiresAtFor(
  ttlSeconds: number | undefined,
  now: number,
  context = "put",
): number | undefined {
  if (ttlSeconds === undefined) return undefined;
  const expiresAt = now + ttlSeconds * 1000;
  if (!(expiresAt <= MAX_EXPIRES_AT)) {
    throw new InvalidTTLError(
      `Cannot ${context}: ttl reaches past the largest date (9999-12-31): received ${ttlSeconds}`,
      { extraInfo: { ttl: ttlSeconds } },
    );
  }
  return expiresAt;
}

/**
 * Whether a deadline has passed (`expiresAt <= now`).
 *
 * @param expiresAt The deadline in epoch milliseconds, or `undefined`.
 * @param now The current time in epoch milliseconds.
 * @returns `true` when the entry is expired.
 */
export function isExpired(expiresAt: number | undefined, now: number): boolean {
  return expiresAt !== undefined && expiresAt <= now;
}

/**
 * The seconds left until a deadline.
 *
 * @param expiresAt The deadline in epoch milliseconds, or `undefined`.
 * @param now The current time in epoch milliseconds.
 * @returns Remaining seconds, or `undefined` when there is no deadline.
 */
export function remainingSeconds(expiresAt: number | undefined, now: number): number | undefined {
  return expiresAt === undefined ? undefined : (expiresAt - now) / 1000;
}
