// This module is browser compatible.
// Argument checks shared by BaseStore and the wrappers. Each takes the
// operation's context ("get from RedisStore") for its error message.

import { InvalidKeyError } from "./errors.ts";
import type { KeyOptions } from "./protocol.ts";

/** A key must be a non-empty string. */
export function checkKey(key: unknown, context: string): asserts key is string {
  if (typeof key !== "string") {
    throw new TypeError(`Cannot ${context}: key must be a string: received ${typeof key}`);
  }
  if (key === "") throw new InvalidKeyError(`Cannot ${context}: key must not be empty`);
  if (!key.isWellFormed()) throw notWellFormed("key", key, context);
}

/** A name that is not well-formed UTF-16 cannot be stored: backends would replace the lone surrogate. */
function notWellFormed(what: string, name: string, context: string): InvalidKeyError {
  return new InvalidKeyError(
    `Cannot ${context}: ${what} is not well-formed UTF-16 (it holds a lone surrogate)`,
    { extraInfo: { [what]: name } },
  );
}

/**
 * A collection name must be well-formed UTF-16.
 *
 * @param collection The resolved name.
 * @param context The operation's context.
 */
export function checkCollectionName(collection: string, context: string): void {
  if (!collection.isWellFormed()) throw notWellFormed("collection", collection, context);
}

/** Keys must be an array of non-empty strings. */
export function checkKeys(keys: unknown, context: string): asserts keys is string[] {
  if (!Array.isArray(keys)) throw new TypeError(`Cannot ${context}: keys must be an array`);
  for (const key of keys) checkKey(key, context);
}

/** The collection named by `options`, or `fallback` when absent or empty. */
export function resolveCollectionName(
  options: KeyOptions | undefined,
  fallback: string,
  context: string,
): string {
  if (options === undefined) return fallback;
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Cannot ${context}: options must be an object`);
  }
  const collection = options.collection;
  if (collection === undefined || collection === null || collection === "") return fallback;
  if (typeof collection !== "string") {
    throw new TypeError(`Cannot ${context}: collection must be a string`);
  }
  if (!collection.isWellFormed()) throw notWellFormed("collection", collection, context);
  return collection;
}

/** An optional limit must be a positive integer. */
export function checkLimit(limit: unknown, context: string): number | undefined {
  if (limit === undefined || limit === null) return undefined;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `Cannot ${context}: limit must be a positive integer: received ${String(limit)}`,
    );
  }
  return limit;
}
