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

import { InvalidKeyError } from "../../core/errors.ts";
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
    this.#max = collectionMax(limits);
  }

  readonly #max: number;

  /** Refuses a name V1 would cut without a hash. @param value The collection. */
  override validate(value: string): void {
    super.validate(value);
    refuseCut("collection", value, this.#max);
  }
}

/**
 * Refuses only the keys whose file name another key could also get: one
 * that passes through unchanged, starts with `S_` and is exactly as long as
 * a truncated over-long name (`S_` + the first `max − 2` characters).
 */
const ALLOWED = new Set(ALPHANUMERIC_CHARACTERS + "_");

/** Refuses a name V1 would cut to `max` characters without a hash (it would share a file). */
function refuseCut(what: "key" | "collection", value: string, max: number): void {
  const chars = Array.from(value);
  if (chars.length <= max || !chars.every((char) => ALLOWED.has(char))) return;
  throw new InvalidKeyError(
    `Cannot use ${what} of ${chars.length} characters: py-key-value's FileTree V1 strategy cuts ` +
      `it to ${max} characters without a hash, so it would share a file with every name that ` +
      `starts the same; use FileTree${
        what === "key" ? "Key" : "Collection"
      }SanitizationStrategy, which hashes it`,
    { extraInfo: { length: chars.length, maxLength: max } },
  );
}

function refuseAmbiguousKey(strategy: HybridSanitizationStrategy, max: number, key: string) {
  if (!key.startsWith("S_") || [...key].length !== max || strategy.sanitize(key) !== key) return;
  throw new InvalidKeyError(
    `Cannot use key ${JSON.stringify(key)}: an unchanged key of exactly ${max} characters ` +
      "starting with 'S_' names the same file as a truncated longer key",
    { extraInfo: { key, maxLength: max } },
  );
}

/**
 * File-tree file names: alphanumerics and `_`, within NAME_MAX − 5 and
 * PATH_MAX, as py-key-value names them.
 *
 * Unlike the other hybrid strategies it accepts keys starting with `H_` or
 * `S_`, as py-key-value's FileTreeStore does (it sanitizes keys without
 * validating them, so such files exist): a key made of allowed characters
 * keeps its name, and every changed key gets a name with a `-`, which an
 * unchanged key cannot contain, so the two never meet. The one exception is
 * refused with `InvalidKeyError`: an unchanged `S_` key exactly `maxLength`
 * long, the length of a truncated over-long key's name. (Over-long keys of
 * allowed characters are only truncated, as in py-key-value, so two of them
 * with the same first `maxLength − 2` characters share a file; use
 * {@linkcode FileTreeKeySanitizationStrategy} to hash them instead.)
 *
 * @example Usage
 * ```ts
 * import { FileTreeV1KeySanitizationStrategy } from "@kv/core/stores/file-tree/sanitization";
 * import assert from "node:assert/strict";
 *
 * const strategy = new FileTreeV1KeySanitizationStrategy();
 * assert.equal(strategy.sanitize("user:1"), "S_user_1-abc3a47b");
 * strategy.validate("S_written_by_python"); // accepted
 * assert.equal(strategy.sanitize("S_written_by_python"), "S_written_by_python");
 * ```
 */
export class FileTreeV1KeySanitizationStrategy extends HybridSanitizationStrategy {
  readonly #max: number;

  /** Creates the instance. @param limits The file system's limits. */
  constructor(limits: FileTreeLimits = {}) {
    const max = keyMax(limits);
    super({ maxLength: max, allowedCharacters: ALPHANUMERIC_CHARACTERS + "_" });
    this.#max = max;
  }

  /** Refuses a key that names another key's file, or that V1 would cut without a hash. @param value The key. */
  override validate(value: string): void {
    refuseAmbiguousKey(this, this.#max, value);
    refuseCut("key", value, this.#max);
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

/**
 * File-tree file names as V1, but over-long names are hashed, never only
 * cut. Every key is accepted, `H_` and `S_` ones included: an unchanged key
 * has no `-` and every changed one has, so no two keys share a name.
 */
export class FileTreeKeySanitizationStrategy extends HybridSanitizationStrategy {
  /** Creates the instance. @param limits The file system's limits. */
  constructor(limits: FileTreeLimits = {}) {
    super({
      maxLength: keyMax(limits),
      allowedCharacters: ALPHANUMERIC_CHARACTERS + "_",
      hashTruncated: true,
    });
  }

  /** Accepts every key (see the class documentation). @param _value The key. */
  override validate(_value: string): void {}
}
