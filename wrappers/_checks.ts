// This module is browser compatible.
// Argument checks for wrappers that change keys, collections or values
// before the inner store sees them: they must refuse bad input exactly as a
// store would, before transforming it.

import { checkKey, checkKeys, resolveCollectionName } from "../core/_validate.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../core/protocol.ts";
import { DEFAULT_COLLECTION } from "../core/protocol.ts";
import { validatedCopy } from "../core/serialization.ts";
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

/** What {@linkcode checkPut} returns: the checked call, taken at the call. */
export interface CheckedPut {
  /** The collection named by the options, or `undefined` for the default. */
  collection: string | undefined;
  /** A validated deep copy of the value: the only form of it used afterwards. */
  value: Value;
  /** A shallow copy of the options (the caller may change theirs later). */
  options: PutOptions | undefined;
}

/**
 * Checks every argument of a `put()` in a store's order (key, collection,
 * value, TTL) and copies the value and the options: a wrapper that awaits
 * before it hands the value on, or that serializes it, uses only the copy,
 * so neither a later change by the caller nor a `toJSON`, a getter or a
 * Proxy can make what is stored differ from what was validated.
 */
export function checkPut(
  key: unknown,
  value: unknown,
  options: PutOptions | undefined,
  context: string,
): CheckedPut {
  checkKey(key, context);
  const collection = optionalCollection(options, context);
  const copy = validatedCopy(value, context);
  checkTtl(options?.ttl, context);
  return { collection, value: copy, options: snapshot(options) };
}

/** What {@linkcode checkPutMany} returns: the checked batch, copied at the call. */
export interface CheckedPutMany {
  /** The collection named by the options, or `undefined` for the default. */
  collection: string | undefined;
  /** A copy of the keys. */
  keys: string[];
  /** Validated deep copies of the values. */
  values: Value[];
  /** A shallow copy of the options. */
  options: PutOptions | undefined;
}

/** Checks every argument of a `putMany()`, the whole batch first, and copies it (see {@linkcode checkPut}). */
export function checkPutMany(
  keys: unknown,
  values: unknown,
  options: PutOptions | undefined,
  context: string,
): CheckedPutMany {
  // Copied first, so that the keys checked are the keys used.
  keys = Array.isArray(keys) ? [...keys] : keys;
  checkKeys(keys, context);
  const collection = optionalCollection(options, context);
  if (!Array.isArray(values)) throw new TypeError(`Cannot ${context}: values must be an array`);
  if (values.length !== keys.length) {
    throw new RangeError(`Cannot ${context}: got ${keys.length} keys but ${values.length} values`);
  }
  const copies = (values as unknown[]).map((value) => validatedCopy(value, context));
  checkTtl(options?.ttl, context);
  return { collection, keys, values: copies, options: snapshot(options) };
}

/** A shallow copy of a call's options, taken at the call; `undefined` stays `undefined`. */
export function snapshot<T extends KeyOptions>(options: T | undefined): T | undefined {
  return options === undefined ? undefined : { ...options };
}

/**
 * A validated copy of `value`, or `undefined` when it is not a valid value:
 * for a wrapper that lets the inner store refuse bad input with its own error.
 */
export function copyIfValid(value: unknown): Value | undefined {
  try {
    return validatedCopy(value);
  } catch {
    return undefined;
  }
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
