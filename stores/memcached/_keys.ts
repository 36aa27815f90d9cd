// How MemcachedStore names entries and sets their expiry: pure functions,
// unit-tested apart from the server.

import { sha256Hex } from "../../core/_sha256.ts";
import { InvalidKeyError } from "../../core/errors.ts";
import type { SanitizationStrategy } from "../../core/sanitization.ts";

/** memcached's longest key, in bytes. */
export const MAX_KEY_BYTES = 250;
/** memcached reads an expiry above this many seconds (30 days) as a Unix time. */
export const MAX_RELATIVE_EXPIRY = 60 * 60 * 24 * 30;

const encoder = new TextEncoder();
// Spaces and control characters (C0, DEL, C1) break memcached's text protocol.
// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u0020\u007f-\u009f]/;

/** Why memcached cannot hold `name` as a key, or `undefined` when it can. */
export function keyProblem(name: string): string | undefined {
  if (FORBIDDEN.test(name)) return "contains a space or a control character";
  const bytes = encoder.encode(name).length;
  if (bytes > MAX_KEY_BYTES) return `is ${bytes} bytes long (the limit is ${MAX_KEY_BYTES})`;
  return undefined;
}

/**
 * The memcached key of an entry.
 *
 * - Without a strategy: `prefix + collection::key` as is when memcached can
 *   hold it (at most 250 UTF-8 bytes, no spaces or control characters), and
 *   otherwise `H_` followed by the SHA-256 hex of that text. A kept name
 *   always contains `::` and a hashed one never does, so the two never
 *   collide.
 * - With a strategy (e.g. py-key-value's `MemcachedV1KeySanitizationStrategy`):
 *   the strategy validates and maps `prefix + collection::key`; a result
 *   memcached cannot hold is an {@linkcode InvalidKeyError}.
 *
 * @throws {InvalidKeyError} When the strategy refuses the name or maps it to
 * a name memcached cannot hold.
 */
export function memcachedKey(
  compound: string,
  strategy: SanitizationStrategy | undefined,
  context: string,
): string {
  if (strategy === undefined) {
    return keyProblem(compound) === undefined ? compound : `H_${sha256Hex(compound)}`;
  }
  strategy.validate(compound);
  const name = strategy.sanitize(compound);
  const problem = keyProblem(name);
  if (problem !== undefined) {
    throw new InvalidKeyError(
      `Cannot ${context}: the memcached key ${JSON.stringify(name.slice(0, 60))} ${problem}; ` +
        "omit keySanitizationStrategy to have such names hashed",
      { extraInfo: { name, limit: MAX_KEY_BYTES } },
    );
  }
  return name;
}

/**
 * The expiry to send to memcached for an entry expiring at `expiresAt`
 * (epoch ms by the store's clock, which reads `now`): 0 for never; whole
 * seconds rounded up (so the item never disappears before the entry
 * expires) when at most 30 days away; beyond that, a Unix time in seconds,
 * rounded up, as memcached requires. memcached compares that time with its
 * own clock, so it is counted from `serverNow` (the system clock), the same
 * duration ahead as the entry's deadline is of `now`.
 *
 * @param expiresAt The entry's deadline, by the store's clock.
 * @param now The store's clock now.
 * @param serverNow The system clock now (what memcached's clock reads). @default {now}
 */
export function memcachedExpiry(
  expiresAt: number | undefined,
  now: number,
  serverNow: number = now,
): number {
  if (expiresAt === undefined) return 0;
  const seconds = Math.max(1, Math.ceil((expiresAt - now) / 1000));
  return seconds <= MAX_RELATIVE_EXPIRY ? seconds : Math.ceil((serverNow + expiresAt - now) / 1000);
}
