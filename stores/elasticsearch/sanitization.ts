// This module is browser compatible.
/**
 * Elasticsearch's sanitization strategies: py-key-value's V1 strategy (the same
 * names py-key-value gives, for a Python service sharing the backend) and,
 * where V1 only truncates over-long names, a collision-free variant that
 * hashes them instead. This module loads no client.
 *
 * @example Usage
 * ```ts
 * import { ElasticsearchV1KeySanitizationStrategy } from "@kv/core/stores/elasticsearch/sanitization";
 * import assert from "node:assert/strict";
 *
 * const strategy = new ElasticsearchV1KeySanitizationStrategy();
 * assert.equal(typeof strategy.sanitize("a name"), "string");
 * ```
 *
 * @module
 */

import {
  AlwaysHashStrategy,
  HybridSanitizationStrategy,
  LOWERCASE_ALPHABET,
  NUMBERS,
  UPPERCASE_ALPHABET,
} from "../../core/sanitization.ts";

/** Elasticsearch document ids: the full SHA-256 hex of the key. */
export class ElasticsearchV1KeySanitizationStrategy extends AlwaysHashStrategy {
  /** Creates the strategy. */
  constructor() {
    super({ hashLength: 64 });
  }
}

/**
 * Elasticsearch index names: `A-Za-z0-9_-.`, at most 200, always
 * `S_<name>-<hash>` (the index name is lowercased afterwards by the store).
 */
export class ElasticsearchV1CollectionSanitizationStrategy extends HybridSanitizationStrategy {
  /** Creates the strategy. */
  constructor() {
    super({
      maxLength: 200,
      allowedCharacters: UPPERCASE_ALPHABET + LOWERCASE_ALPHABET + NUMBERS + "_-.",
      hashFragmentMode: "always",
    });
  }
}
