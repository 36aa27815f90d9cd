// This module is browser compatible.
// Argument checks for wrappers that change keys, collections or values
// before the inner store sees them: they must refuse bad input exactly as a
// store would, before transforming it.

import { checkKey, checkKeys, resolveCollectionName } from "../core/_validate.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../core/protocol.ts";
import { DEFAULT_COLLECTION } from "../core/protocol.ts";
import { validateValue } from "../core/serialization.ts";
import { expiresAtFor, validateTtl } from "../core/ttl.ts";

export { checkKey, checkKeys, checkLimit } from "../core/_validate.ts";

/** The collection named by `options`, or `undefined` for the inner store's default. */
export function optionalCollection(
  options: KeyOptions | undefined,
  context: string,
): string | undefined {
  const name = resolveCollectionName(options, "", context);
  return name === "" ? undefined : name;
}

/** Checks a TTL, including that its deadline fits the date range; returns it. */
export function checkTtl(ttl: unknown, context: string): number | undefined {
  const seconds = validateTtl(ttl, context);
  expiresAtFor(seconds, Date.now(), context);
  return seconds;
}

/** Checks every argument of a `put()`; returns the collection. */
export function checkPut(
  key: unknown,
  value: unknown,
  options: PutOptions | undefined,
  context: string,
): string | undefined {
  checkKey(key, context);
  const collection = optionalCollection(options, context);
  validateValue(value, context);
  checkTtl(options?.ttl, context);
  return collection;
}

/** Checks every argument of a `putMany()`, the whole batch first; returns the collection. */
export function checkPutMany(
  keys: unknown,
  values: unknown,
  options: PutOptions | undefined,
  context: string,
): string | undefined {
  checkKeys(keys, context);
  const collection = optionalCollection(options, context);
  if (!Array.isArray(values)) throw new TypeError(`Cannot ${context}: values must be an array`);
  if (values.length !== keys.length) {
    throw new RangeError(`Cannot ${context}: got ${keys.length} keys but ${values.length} values`);
  }
  for (const value of values as Value[]) validateValue(value, context);
  checkTtl(options?.ttl, context);
  return collection;
}

/** `options` with another collection, keeping any other option (such as `signal`). */
export function withCollection<T extends KeyOptions>(
  options: T | undefined,
  collection: string | undefined,
): T {
  return { ...options, collection } as T;
}

/** Runs `fn` and returns its result as a promise, turning a synchronous throw into a rejection. */
export function attempt<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

/**
 * Calls `fn` and returns its promise as it is, or a rejected promise when
 * `fn` throws synchronously: the cheap form of `attempt()` for a function
 * that already returns a promise (no extra promise on the success path).
 */
export function settle<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The default collection of a store: its `defaultCollection`, or `"default_collection"`. */
export function defaultCollectionOf(store: AsyncKeyValue): string {
  const name = (store as { defaultCollection?: unknown }).defaultCollection;
  return typeof name === "string" && name !== "" ? name : DEFAULT_COLLECTION;
}
