// This module is browser compatible.
/**
 * Sanitization strategies: how a key or collection becomes a name a backend
 * can hold. They produce exactly py-key-value's output (lengths count Unicode
 * code points, as Python's `len` does; hashes are SHA-256 of the UTF-8 text),
 * so sanitized names match across the two libraries.
 *
 * - {@linkcode PassthroughStrategy}: the name unchanged (the default).
 * - {@linkcode AlwaysHashStrategy}: the SHA-256 hex, truncated.
 * - {@linkcode HashExcessLengthStrategy}: `H_` + SHA-256 when too long.
 * - {@linkcode HybridSanitizationStrategy}: replace runs of disallowed
 *   characters, truncate, and mark with `S_` and a hash fragment.
 *
 * Names starting with the reserved `H_` or `S_` prefixes are refused by the
 * hashing strategies, so a sanitized name never collides with a user's name.
 * py-key-value's hybrid strategy truncates an over-long name made only of
 * allowed characters *without* a hash, so long names sharing a prefix
 * collide; pass `hashTruncated: true` (or use a collision-free preset from
 * each store folder's `sanitization.ts`) to add the hash fragment in that case too.
 *
 * @example Usage
 * ```ts
 * import { HybridSanitizationStrategy } from "@kv/core/core/sanitization";
 * import assert from "node:assert/strict";
 *
 * const strategy = new HybridSanitizationStrategy({
 *   maxLength: 200,
 *   allowedCharacters: "abcdefghijklmnopqrstuvwxyz_",
 * });
 * assert.equal(strategy.sanitize("test::key"), "S_test_key-a2bc4860");
 * assert.equal(strategy.sanitize("plain"), "plain");
 * ```
 *
 * @module
 */

import { InvalidKeyError } from "./errors.ts";
import { sha256Hex } from "./_sha256.ts";

/** Turns a key or collection into a name a backend can hold. */
export interface SanitizationStrategy {
  /** Maps a name to the backend's name. */
  sanitize(value: string): string;
  /** Throws {@linkcode InvalidKeyError} when a name may not be used. */
  validate(value: string): void;
  /** Maps a backend name back, or `undefined` when that is not possible. */
  tryUnsanitize?(value: string): string | undefined;
}

/** `a-z`. */
export const LOWERCASE_ALPHABET = "abcdefghijklmnopqrstuvwxyz";
/** `A-Z`. */
export const UPPERCASE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** `0-9`. */
export const NUMBERS = "0123456789";
/** `a-zA-Z0-9`. */
export const ALPHANUMERIC_CHARACTERS: string = LOWERCASE_ALPHABET + UPPERCASE_ALPHABET + NUMBERS;

function refuseReserved(value: string): void {
  if (value.startsWith("H_") || value.startsWith("S_")) {
    throw new InvalidKeyError(
      `Cannot use name: names starting with the reserved prefixes 'H_' or 'S_' are refused: ${
        JSON.stringify(value)
      }`,
      { extraInfo: { value } },
    );
  }
}

/** Code points of a string (Python's `len` and slicing unit). */
function codePoints(value: string): string[] {
  return Array.from(value);
}

/**
 * Leaves names unchanged and accepts every name.
 *
 * @example Usage
 * ```ts
 * import { PassthroughStrategy } from "@kv/core/core/sanitization";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new PassthroughStrategy().sanitize("a::b"), "a::b");
 * ```
 */
export class PassthroughStrategy implements SanitizationStrategy {
  /** Returns `value` unchanged. @param value The name. @returns `value`. */
  sanitize(value: string): string {
    return value;
  }
  /** Accepts every name. @param _value The name. */
  validate(_value: string): void {}
  /** Returns `value` unchanged. @param value The name. @returns `value`. */
  tryUnsanitize(value: string): string {
    return value;
  }
}

/**
 * Replaces every name by its SHA-256 hex digest, truncated to `hashLength`.
 *
 * @example Usage
 * ```ts
 * import { AlwaysHashStrategy } from "@kv/core/core/sanitization";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new AlwaysHashStrategy({ hashLength: 12 }).sanitize("abc"), "ba7816bf8f01");
 * ```
 */
export class AlwaysHashStrategy implements SanitizationStrategy {
  /** The number of hex characters kept. */
  readonly hashLength: number;

  /**
   * Creates the instance.
   * @param options `hashLength`: more than 8 and at most 64 (default 64).
   * @throws {RangeError} When `hashLength` is out of range.
   */
  constructor(options: { hashLength?: number } = {}) {
    const hashLength = options.hashLength ?? 64;
    if (!(Number.isInteger(hashLength) && hashLength > 8 && hashLength <= 64)) {
      throw new RangeError(
        `Cannot create AlwaysHashStrategy: hashLength must be an integer in (8, 64]: received ${hashLength}`,
      );
    }
    this.hashLength = hashLength;
  }
  /** Hashes `value`. @param value The name. @returns The truncated hex digest. */
  sanitize(value: string): string {
    return sha256Hex(value).slice(0, this.hashLength);
  }
  /** Accepts every name. @param _value The name. */
  validate(_value: string): void {}
}

/**
 * Keeps names up to `maxLength` code points; longer ones become `H_` plus
 * their SHA-256 hex (truncated to `maxLength - 2`). Refuses `H_`/`S_` names.
 *
 * @example Usage
 * ```ts
 * import { HashExcessLengthStrategy } from "@kv/core/core/sanitization";
 * import assert from "node:assert/strict";
 *
 * const strategy = new HashExcessLengthStrategy({ maxLength: 10 });
 * assert.equal(strategy.sanitize("short"), "short");
 * assert.equal(strategy.sanitize("much too long"), "H_01f9c2e3");
 * ```
 */
export class HashExcessLengthStrategy implements SanitizationStrategy {
  /** The longest name kept as is, in code points. */
  readonly maxLength: number;
  /** Creates the instance. @param options `maxLength` in code points (default 240). */
  constructor(options: { maxLength?: number } = {}) {
    this.maxLength = options.maxLength ?? 240;
  }
  /** Hashes over-long names. @param value The name. @returns The backend name. */
  sanitize(value: string): string {
    if (codePoints(value).length > this.maxLength) {
      return `H_${sha256Hex(value).slice(0, this.maxLength - 2)}`;
    }
    return value;
  }
  /** Refuses reserved prefixes. @param value The name. */
  validate(value: string): void {
    refuseReserved(value);
  }
}

/** When {@linkcode HybridSanitizationStrategy} appends a hash fragment. */
export type HashFragmentMode = "always" | "only_if_changed" | "never";

/** Options of {@linkcode HybridSanitizationStrategy}. */
export interface HybridSanitizationOptions {
  /** The longest result, in code points. @default {240} */
  maxLength?: number;
  /** Characters kept as they are; all characters when absent. */
  allowedCharacters?: string;
  /** Replaces each run of disallowed characters. @default {"_"} */
  replacementCharacter?: string;
  /** When to append `-<hash>`. @default {"only_if_changed"} */
  hashFragmentMode?: HashFragmentMode;
  /** Hex characters of the hash fragment. @default {8} */
  hashFragmentLength?: number;
  /**
   * Also add the hash fragment when a name is only truncated (py-key-value
   * does not, so long names sharing a prefix collide there). @default {false}
   */
  hashTruncated?: boolean;
}

/**
 * py-key-value's hybrid strategy: replace each run of disallowed characters
 * by one replacement character, then, if the name changed (or always), emit
 * `S_<truncated>-<sha256[:8]>`; otherwise truncate to `maxLength` (and mark
 * a truncated name with `S_`). Refuses `H_`/`S_` names.
 *
 * @example Usage
 * ```ts
 * import { HybridSanitizationStrategy } from "@kv/core/core/sanitization";
 * import assert from "node:assert/strict";
 *
 * const strategy = new HybridSanitizationStrategy({ allowedCharacters: "abc", maxLength: 20 });
 * assert.equal(strategy.sanitize("abc"), "abc");
 * assert.equal(strategy.sanitize("a!!b"), "S_a_b-ee6dd6cf");
 * ```
 */
export class HybridSanitizationStrategy implements SanitizationStrategy {
  readonly #maxLength: number;
  readonly #allowed: Set<string> | undefined;
  readonly #replacement: string;
  readonly #mode: HashFragmentMode;
  readonly #hashLength: number;
  readonly #hashTruncated: boolean;

  /** Creates the instance. @param options See {@linkcode HybridSanitizationOptions}. */
  constructor(options: HybridSanitizationOptions = {}) {
    this.#maxLength = options.maxLength ?? 240;
    this.#allowed = options.allowedCharacters
      ? new Set(codePoints(options.allowedCharacters))
      : undefined;
    this.#replacement = options.replacementCharacter ?? "_";
    this.#mode = options.hashFragmentMode ?? "only_if_changed";
    this.#hashLength = options.hashFragmentLength ?? 8;
    this.#hashTruncated = options.hashTruncated ?? false;
  }

  #replaceDisallowed(chars: string[]): string[] {
    const allowed = this.#allowed;
    if (!allowed) return chars;
    const out: string[] = [];
    let lastReplaced = false;
    for (const char of chars) {
      if (allowed.has(char)) {
        out.push(char);
        lastReplaced = false;
      } else if (!lastReplaced) {
        out.push(this.#replacement);
        lastReplaced = true;
      }
    }
    return out.length === 1 && lastReplaced ? [] : out;
  }

  /** Maps a name. @param value The name. @returns The backend name. */
  sanitize(value: string): string {
    const original = codePoints(value);
    let chars = this.#replaceDisallowed(original);
    let changed = chars.length !== original.length || chars.some((c, i) => c !== original[i]);
    const tooLong = chars.length > this.#maxLength;
    const addHash = this.#mode === "always" ||
      (this.#mode === "only_if_changed" && (changed || (this.#hashTruncated && tooLong)));
    if (addHash) {
      const hash = sha256Hex(value).slice(0, this.#hashLength);
      chars = chars.slice(0, this.#maxLength - (3 + this.#hashLength));
      return `S_${chars.join("")}-${hash}`;
    }
    if (tooLong) {
      chars = chars.slice(0, this.#maxLength);
      changed = true;
    }
    if (!changed) return chars.join("");
    if (chars.length + 2 > this.#maxLength) chars = chars.slice(0, this.#maxLength - 2);
    return `S_${chars.join("")}`;
  }

  /** Refuses reserved prefixes. @param value The name. */
  validate(value: string): void {
    refuseReserved(value);
  }
}

/**
 * py-key-value's `hash_excess_length`: a name longer than `maxLength` (code
 * points, or UTF-8 bytes when `lengthIsBytes`) is truncated to
 * `maxLength - 8` and followed by the first 8 hex characters of its SHA-256.
 *
 * @example Usage
 * ```ts
 * import { hashExcessLength } from "@kv/core/core/sanitization";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hashExcessLength("a".repeat(20), 16), "aaaaaaaa42492da0");
 * ```
 *
 * @param value The name.
 * @param maxLength The limit, at least 16.
 * @param lengthIsBytes Count UTF-8 bytes instead of code points.
 * @returns The name, shortened when needed.
 */
export function hashExcessLength(value: string, maxLength: number, lengthIsBytes = false): string {
  if (maxLength < 16) {
    throw new RangeError(
      `Cannot hash excess length: maxLength must be at least 16: received ${maxLength}`,
    );
  }
  const encoder = new TextEncoder();
  const chars = codePoints(value);
  const length = lengthIsBytes ? encoder.encode(value).length : chars.length;
  if (length <= maxLength) return value;
  let kept: string;
  if (lengthIsBytes) {
    let bytes = 0;
    let end = 0;
    for (const char of chars) {
      const size = encoder.encode(char).length;
      if (bytes + size > maxLength - 8) break;
      bytes += size;
      end++;
    }
    kept = chars.slice(0, end).join("");
  } else {
    kept = chars.slice(0, maxLength - 8).join("");
  }
  return kept + sha256Hex(value).slice(0, 8);
}
