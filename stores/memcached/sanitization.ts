// This module is browser compatible.
/**
 * Memcached's sanitization strategies: py-key-value's V1 strategy (the same
 * names py-key-value gives, for a Python service sharing the backend) and,
 * where V1 only truncates over-long names, a collision-free variant that
 * hashes them instead. This module loads no client.
 *
 * @example Usage
 * ```ts
 * import { MemcachedV1KeySanitizationStrategy } from "@kv/core/stores/memcached/sanitization";
 * import assert from "node:assert/strict";
 *
 * const strategy = new MemcachedV1KeySanitizationStrategy();
 * assert.equal(typeof strategy.sanitize("a name"), "string");
 * ```
 *
 * @module
 */

import { HashExcessLengthStrategy } from "../../core/sanitization.ts";

/** Memcached: the compound `collection::key` hashed beyond 240 code points. */
export class MemcachedV1KeySanitizationStrategy extends HashExcessLengthStrategy {
  /** Creates the strategy. */
  constructor() {
    super({ maxLength: 240 });
  }
}
