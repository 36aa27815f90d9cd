// This module is browser compatible.
/**
 * Strict JSON serialization of values.
 *
 * A value is a plain object (`{}` literal, `Object.create(null)` or
 * `JSON.parse` output) whose leaves are strings, finite numbers, booleans and
 * `null`, nested in plain objects and arrays. Properties whose value is
 * `undefined` are dropped, as in JSON. Everything JSON cannot carry without
 * loss is refused with a {@linkcode SerializationError} that names the path:
 * Date, BigInt, Map, Set, RegExp, typed arrays, class instances, functions,
 * symbols (as values or as keys), NaN, ±Infinity, `-0` (JSON writes it as
 * `0`), `undefined` or holes in arrays, and cycles.
 *
 * @example Usage
 * ```ts
 * import { parseValue, serializeValue } from "@kv/core/core/serialization";
 * import assert from "node:assert/strict";
 *
 * const json = serializeValue({ name: "Ada", tags: ["x"], skip: undefined });
 * assert.equal(json, '{"name":"Ada","tags":["x"]}');
 * assert.deepEqual(parseValue(json), { name: "Ada", tags: ["x"] });
 * assert.throws(() => serializeValue({ when: new Date() }));
 * ```
 *
 * @module
 */

import { DeserializationError, SerializationError } from "./errors.ts";
import type { Value } from "./protocol.ts";

const objectProto = Object.prototype;
const arrayProto = Array.prototype;

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === objectProto || proto === null;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name ? `a ${name}` : "an object with a custom prototype";
}

class Walker {
  readonly #ancestors = new Set<object>();
  readonly #path: (string | number)[] = [];
  readonly #context: string;

  constructor(context: string) {
    this.#context = context;
  }

  #fail(reason: string): never {
    let where = "value";
    for (const part of this.#path) {
      where += typeof part === "number" ? `[${part}]` : `.${part}`;
    }
    throw new SerializationError(
      `Cannot ${this.#context}: ${where} ${reason}; JSON cannot carry it without loss`,
      { extraInfo: { path: [...this.#path] } },
    );
  }

  walk(value: unknown): void {
    switch (typeof value) {
      case "string":
      case "boolean":
        return;
      case "number":
        if (!Number.isFinite(value)) this.#fail(`is ${value}`);
        if (value === 0 && 1 / value < 0) this.#fail("is -0");
        return;
      case "object":
        if (value === null) return;
        return this.#walkObject(value);
      case "undefined":
        return this.#fail("is undefined inside an array");
      default:
        return this.#fail(`is a ${typeof value}`);
    }
  }

  #walkObject(value: object): void {
    if (this.#ancestors.has(value)) this.#fail("is a cycle");
    const proto = Object.getPrototypeOf(value);
    if (proto === arrayProto) {
      this.#ancestors.add(value);
      const array = value as unknown[];
      for (let i = 0; i < array.length; i++) {
        this.#path.push(i);
        this.walk(array[i]);
        this.#path.pop();
      }
    } else if (proto === objectProto || proto === null) {
      this.#ancestors.add(value);
      this.walkProperties(value as Record<string, unknown>);
    } else {
      this.#fail(`is ${kindOf(value)}`);
    }
    this.#ancestors.delete(value);
  }

  walkProperties(record: Record<string, unknown>): void {
    if (Object.getOwnPropertySymbols(record).length > 0) this.#fail("has a symbol key");
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const item = record[key];
      if (item === undefined) continue;
      this.#path.push(key);
      this.walk(item);
      this.#path.pop();
    }
  }

  walkRoot(value: Record<string, unknown>): void {
    this.#ancestors.add(value);
    this.walkProperties(value);
  }
}

/**
 * Checks that `value` is a plain object that JSON carries without loss.
 *
 * @param value The value to check.
 * @param context Names the store and operation in error messages.
 * @throws {TypeError} When `value` is not a plain object.
 * @throws {SerializationError} When something inside cannot be carried by JSON.
 */
export function validateValue(value: unknown, context = "put"): asserts value is Value {
  if (typeof value !== "object" || value === null || !isPlainObject(value)) {
    throw new TypeError(
      `Cannot ${context}: value must be a plain object: received ${
        Array.isArray(value) ? "an array" : kindOf(value)
      }`,
    );
  }
  // The quick check settles the common case without allocating; only a
  // value it cannot vouch for pays for the walk that names the bad path.
  if (!isJsonSafe(value, 0)) new Walker(context).walkRoot(value as Record<string, unknown>);
}

/** Past this depth the quick check gives up (it has no cycle detection) and the Walker decides. */
const QUICK_DEPTH = 64;

/**
 * `true` when `value` is certainly JSON-safe; `false` when it is not, or is
 * nested deeper than {@linkcode QUICK_DEPTH} (possibly a cycle).
 */
function isJsonSafe(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && (value !== 0 || 1 / value > 0);
    case "object": {
      if (value === null) return true;
      if (depth >= QUICK_DEPTH) return false;
      const proto = Object.getPrototypeOf(value);
      if (proto === arrayProto) {
        const array = value as unknown[];
        for (let i = 0; i < array.length; i++) if (!isJsonSafe(array[i], depth + 1)) return false;
        return true;
      }
      if (proto !== objectProto && proto !== null) return false;
      if (Object.getOwnPropertySymbols(value).length !== 0) return false;
      // No hasOwn filter: an inherited enumerable key only adds a check, so
      // at worst a good value goes on to the Walker, which filters them.
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (item !== undefined && !isJsonSafe(item, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * Validates `value` and returns a deep copy of it, in one walk when the
 * value is ordinary: what a store that keeps values as objects (such as
 * `MemoryStore`) needs on every write.
 *
 * @example Usage
 * ```ts
 * import { validatedCopy } from "@kv/core/core/serialization";
 * import assert from "node:assert/strict";
 *
 * const value = { user: { name: "Ada" }, skip: undefined };
 * const copy = validatedCopy(value);
 * assert.deepEqual(copy, { user: { name: "Ada" } });
 * assert.notEqual(copy.user, value.user);
 * assert.throws(() => validatedCopy({ when: new Date() }));
 * ```
 *
 * @param value The value to check and copy.
 * @param context Names the store and operation in error messages.
 * @returns An equal value sharing nothing with `value`.
 * @throws {TypeError} When `value` is not a plain object.
 * @throws {SerializationError} When something inside cannot be carried by JSON.
 */
export function validatedCopy(value: unknown, context = "put"): Value {
  if (typeof value === "object" && value !== null) {
    const copy = quickCopy(value, 0);
    if (copy !== undefined && !Array.isArray(copy)) return copy as Value;
  }
  // Not certainly safe (or nested deeper than the quick walk goes): the
  // careful check throws with the path, or passes a deep but good value.
  validateValue(value, context);
  return copyValue(value);
}

function isJsonPrimitive(item: unknown): boolean {
  switch (typeof item) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(item) && (item !== 0 || 1 / item > 0);
    default:
      return item === null;
  }
}

/** A deep copy of `value` if it is certainly JSON-safe, else `undefined`. */
function quickCopy(value: object, depth: number): object | undefined {
  if (depth >= QUICK_DEPTH) return undefined;
  const proto = Object.getPrototypeOf(value);
  if (proto === arrayProto) {
    const array = (value as unknown[]).slice();
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      if (typeof item === "object" && item !== null) {
        const copy = quickCopy(item, depth + 1);
        if (copy === undefined) return undefined;
        array[i] = copy;
      } else if (!isJsonPrimitive(item)) return undefined;
    }
    return array;
  }
  if (proto !== objectProto && proto !== null) return undefined;
  // Spread reads each property (getters included) once; the checks below
  // then look at the copy, so what is checked is what is kept.
  const copy: Record<string, unknown> = { ...value };
  if (Object.getOwnPropertySymbols(copy).length !== 0) return undefined;
  for (const key in copy) {
    const item = copy[key];
    if (typeof item === "object" && item !== null) {
      if (!Object.hasOwn(copy, key)) return undefined; // an inherited key: let the Walker decide
      const inner = quickCopy(item, depth + 1);
      if (inner === undefined) return undefined;
      if (key === "__proto__") defineOwn(copy, key, inner);
      else copy[key] = inner;
    } else if (item === undefined) {
      delete copy[key];
    } else if (!isJsonPrimitive(item)) return undefined;
  }
  return copy;
}

/** Defines an own data property (assigning `__proto__` would set the prototype instead). */
function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * Validates `value` and returns its JSON text.
 *
 * @param value The value to serialize.
 * @param context Names the store and operation in error messages.
 * @returns Compact JSON.
 * @throws {TypeError} When `value` is not a plain object.
 * @throws {SerializationError} When something inside cannot be carried by JSON.
 */
export function serializeValue(value: unknown, context = "put"): string {
  validateValue(value, context);
  return JSON.stringify(value);
}

/**
 * Parses JSON text that must hold an object.
 *
 * @param json The stored text.
 * @param context Names the store and operation in error messages.
 * @returns A fresh object.
 * @throws {DeserializationError} When the text is not JSON or not an object.
 */
export function parseValue(json: string, context = "get"): Value {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    throw new DeserializationError(`Cannot ${context}: stored data is not valid JSON`, { cause });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new DeserializationError(`Cannot ${context}: stored data is not a JSON object`, {
      extraInfo: { type: Array.isArray(parsed) ? "array" : typeof parsed },
    });
  }
  return parsed as Value;
}

/**
 * Returns a deep copy of a value that {@linkcode validateValue} accepted.
 *
 * @param value A validated value.
 * @returns An equal value sharing nothing with `value`.
 */
export function copyValue(value: Value): Value {
  // Spread and slice copy a level at once, far faster than a JSON round
  // trip; a validated value has no cycles, symbols or special objects.
  return copyObject(value) as Value;
}

function copyObject(value: object): object {
  if (Array.isArray(value)) {
    const array = value.slice();
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      if (typeof item === "object" && item !== null) array[i] = copyObject(item);
    }
    return array;
  }
  const copy: Record<string, unknown> = { ...value };
  for (const key in copy) {
    const item = copy[key];
    if (typeof item === "object" && item !== null) {
      if (!Object.hasOwn(copy, key)) continue; // an enumerable property someone added to Object.prototype
      if (key === "__proto__") defineOwn(copy, key, copyObject(item));
      else copy[key] = copyObject(item);
    } else if (item === undefined) {
      delete copy[key];
    }
  }
  return copy;
}

/**
 * The size of a value's compact JSON in UTF-8 bytes.
 *
 * @param value A validated value.
 * @returns The number of bytes.
 */
export function jsonByteLength(value: Value): number {
  return new TextEncoder().encode(JSON.stringify(value)).byteLength;
}
