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

import { InvalidKeyError } from "../../core/errors.ts";
import { ALPHANUMERIC_CHARACTERS, HybridSanitizationStrategy } from "../../core/sanitization.ts";

const ALLOWED = new Set(ALPHANUMERIC_CHARACTERS + "_");

/**
 * MongoDB collections: alphanumerics and `_`, at most 200, hashed when
 * changed: py-key-value's names. A name of more than 200 allowed characters,
 * which py-key-value cuts without a hash (so that every name starting with
 * the same characters lands on one Mongo collection), is refused with
 * InvalidKeyError; {@linkcode MongoDBCollectionSanitizationStrategy} hashes it.
 */
export class MongoDBV1CollectionSanitizationStrategy extends HybridSanitizationStrategy {
  /** Creates the strategy. */
  constructor() {
    super({ maxLength: 200, allowedCharacters: ALPHANUMERIC_CHARACTERS + "_" });
  }

  /**
   * Refuses the reserved prefixes and the names V1 would cut without a hash.
   *
   * @param value The collection.
   * @throws {InvalidKeyError} When the name cannot be kept apart from others.
   */
  override validate(value: string): void {
    super.validate(value);
    const chars = Array.from(value);
    if (chars.length > 200 && chars.every((char) => ALLOWED.has(char))) {
      throw new InvalidKeyError(
        "Cannot use collection name: py-key-value's MongoDB V1 strategy cuts it to 200 " +
          "characters without a hash, so it would share a Mongo collection with every name " +
          "that starts the same; use MongoDBCollectionSanitizationStrategy, which hashes it",
        { extraInfo: { length: chars.length } },
      );
    }
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
