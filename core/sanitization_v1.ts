// This module is browser compatible.
/**
 * The per-store V1 sanitization strategies of py-key-value, giving the same
 * names it gives, plus collision-free variants that also hash names that are
 * only truncated (py-key-value's V1 hybrid strategies truncate an over-long
 * name of allowed characters without a hash, so two long names sharing a
 * 200-character prefix land on the same collection).
 *
 * Use a V1 strategy when a Python service shares the backend; use the
 * collision-free variant otherwise. Both produce identical names for every
 * name that is not over-long.
 *
 * @example Usage
 * ```ts
 * import { MongoDBV1CollectionSanitizationStrategy } from "@kv/core/core/sanitization-v1";
 * import assert from "node:assert/strict";
 *
 * const strategy = new MongoDBV1CollectionSanitizationStrategy();
 * assert.equal(strategy.sanitize("test_collection!@#$%^&*()"), "S_test_collection_-daf4a2ec");
 * ```
 *
 * @module
 */

import {
  ALPHANUMERIC_CHARACTERS,
  AlwaysHashStrategy,
  HashExcessLengthStrategy,
  HybridSanitizationStrategy,
  LOWERCASE_ALPHABET,
  NUMBERS,
  UPPERCASE_ALPHABET,
} from "./sanitization.ts";

/** Memcached: the compound `collection::key` hashed beyond 240 code points. */
export class MemcachedV1KeySanitizationStrategy extends HashExcessLengthStrategy {
  /** Creates the strategy. */
  constructor() {
    super({ maxLength: 240 });
  }
}

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

/** Options of the file-tree strategies: the file system's limits. */
export interface FileTreeLimits {
  /** The longest file name, in code points (NAME_MAX). @default {255} */
  nameMax?: number;
  /** The longest path (PATH_MAX). @default {4096} */
  pathMax?: number;
  /** The length of the data directory's path (for keys). @default {0} */
  directoryLength?: number;
}

function collectionMax(limits: FileTreeLimits): number {
  return (limits.nameMax ?? 255) - 10; // room for "-info.json"
}

function keyMax(limits: FileTreeLimits): number {
  const remaining = (limits.pathMax ?? 4096) - (limits.directoryLength ?? 0);
  return Math.min(remaining, (limits.nameMax ?? 255) - 5); // room for ".json"
}

/** File-tree directories: alphanumerics and `_`, NAME_MAX − 10, hashed when changed. */
export class FileTreeV1CollectionSanitizationStrategy extends HybridSanitizationStrategy {
  /** Creates the instance. @param limits The file system's limits. */
  constructor(limits: FileTreeLimits = {}) {
    super({ maxLength: collectionMax(limits), allowedCharacters: ALPHANUMERIC_CHARACTERS + "_" });
  }
}

/** File-tree file names: alphanumerics and `_`, within NAME_MAX − 5 and PATH_MAX. */
export class FileTreeV1KeySanitizationStrategy extends HybridSanitizationStrategy {
  /** Creates the instance. @param limits The file system's limits. */
  constructor(limits: FileTreeLimits = {}) {
    super({ maxLength: keyMax(limits), allowedCharacters: ALPHANUMERIC_CHARACTERS + "_" });
  }
}

/** File-tree directories as V1, but over-long names are hashed, never only cut. */
export class FileTreeCollectionSanitizationStrategy extends HybridSanitizationStrategy {
  /** Creates the instance. @param limits The file system's limits. */
  constructor(limits: FileTreeLimits = {}) {
    super({
      maxLength: collectionMax(limits),
      allowedCharacters: ALPHANUMERIC_CHARACTERS + "_",
      hashTruncated: true,
    });
  }
}

/** File-tree file names as V1, but over-long names are hashed, never only cut. */
export class FileTreeKeySanitizationStrategy extends HybridSanitizationStrategy {
  /** Creates the instance. @param limits The file system's limits. */
  constructor(limits: FileTreeLimits = {}) {
    super({
      maxLength: keyMax(limits),
      allowedCharacters: ALPHANUMERIC_CHARACTERS + "_",
      hashTruncated: true,
    });
  }
}
