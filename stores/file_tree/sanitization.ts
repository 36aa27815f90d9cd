// This module is browser compatible.
/**
 * FileTree's sanitization strategies: py-key-value's V1 strategy (the same
 * names py-key-value gives, for a Python service sharing the backend) and,
 * where V1 only truncates over-long names, a collision-free variant that
 * hashes them instead. This module loads no client.
 *
 * @example Usage
 * ```ts
 * import { FileTreeV1KeySanitizationStrategy } from "@kv/core/stores/file-tree/sanitization";
 * import assert from "node:assert/strict";
 *
 * const strategy = new FileTreeV1KeySanitizationStrategy();
 * assert.equal(typeof strategy.sanitize("a name"), "string");
 * ```
 *
 * @module
 */

import { ALPHANUMERIC_CHARACTERS, HybridSanitizationStrategy } from "../../core/sanitization.ts";

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
