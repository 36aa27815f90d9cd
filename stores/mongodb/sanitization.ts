// This module is browser compatible.
/**
 * MongoDB's sanitization strategies: py-key-value's V1 strategy (the same
 * names py-key-value gives, for a Python service sharing the backend) and,
 * where V1 only truncates over-long names, a collision-free variant that
 * hashes them instead. This module loads no client.
 *
 * @example Usage
 * ```ts
 * import { MongoDBV1CollectionSanitizationStrategy } from "@kv/core/stores/mongodb/sanitization";
 * import assert from "node:assert/strict";
 *
 * const strategy = new MongoDBV1CollectionSanitizationStrategy();
 * assert.equal(strategy.sanitize("test_collection!@#$%^&*()"), "S_test_collection_-daf4a2ec");
 * ```
 *
 * @module
 */

import { ALPHANUMERIC_CHARACTERS, HybridSanitizationStrategy } from "../../core/sanitization.ts";

/** MongoDB collections: alphanumerics and `_`, at most 200, hashed when changed. */
export class MongoDBV1CollectionSanitizationStrategy extends HybridSanitizationStrategy {
  /** Creates the strategy. */
  constructor() {
    super({ maxLength: 200, allowedCharacters: ALPHANUMERIC_CHARACTERS + "_" });
  }
}

/** MongoDB collections as V1, but over-long names are hashed, never only cut. */
export class MongoDBCollectionSanitizationStrategy extends HybridSanitizationStrategy {
  /** Creates the strategy. */
  constructor() {
    super({
      maxLength: 200,
      allowedCharacters: ALPHANUMERIC_CHARACTERS + "_",
      hashTruncated: true,
    });
  }
}
