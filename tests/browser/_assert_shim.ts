// This module is browser compatible.
// The part of node:assert/strict the conformance suite uses, for the browser
// test's page bundle (the bundler maps node:assert/strict here).

class AssertionError extends Error {
  override name = "AssertionError";
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => deepEqual(item, other[i]));
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) =>
    Object.hasOwn(b, key) &&
    deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
  );
}

function check(condition: boolean, message: string | undefined, fallback: () => string): void {
  if (!condition) throw new AssertionError(message ?? fallback());
}

function ok(value: unknown, message?: string): void {
  check(Boolean(value), message, () => `expected a truthy value: ${show(value)}`);
}

function equal(actual: unknown, expected: unknown, message?: string): void {
  check(Object.is(actual, expected), message, () => `${show(actual)} !== ${show(expected)}`);
}

function notEqual(actual: unknown, expected: unknown, message?: string): void {
  check(!Object.is(actual, expected), message, () => `${show(actual)} === ${show(expected)}`);
}

function deepStrictEqual(actual: unknown, expected: unknown, message?: string): void {
  check(deepEqual(actual, expected), message, () => `${show(actual)} !== ${show(expected)}`);
}

function fail(message?: string): never {
  throw new AssertionError(message ?? "Failed");
}

function match(text: string, pattern: RegExp, message?: string): void {
  check(pattern.test(text), message, () => `${show(text)} does not match ${pattern}`);
}

type Expected = (new (...args: never[]) => unknown) | ((error: unknown) => boolean);

function isClass(value: Expected): value is new (...args: never[]) => unknown {
  return value === Error || (value as { prototype?: unknown }).prototype instanceof Error;
}

async function rejects(
  promise: Promise<unknown> | (() => Promise<unknown>),
  expected?: Expected,
  message?: string,
): Promise<void> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    if (expected === undefined) return;
    if (isClass(expected)) {
      check(error instanceof expected, message, () => `rejected with the wrong error: ${error}`);
    } else {
      check(expected(error) === true, message, () => `the rejection failed validation: ${error}`);
    }
    return;
  }
  throw new AssertionError(message ?? "Missing expected rejection");
}

function throws(run: () => unknown, expected?: Expected, message?: string): void {
  try {
    run();
  } catch (error) {
    if (expected === undefined) return;
    if (isClass(expected)) {
      check(error instanceof expected, message, () => `threw the wrong error: ${error}`);
    } else check(expected(error) === true, message, () => `the error failed validation: ${error}`);
    return;
  }
  throw new AssertionError(message ?? "Missing expected exception");
}

const assert = Object.assign((value: unknown, message?: string) => ok(value, message), {
  AssertionError,
  deepEqual: deepStrictEqual,
  deepStrictEqual,
  equal,
  strictEqual: equal,
  fail,
  match,
  notEqual,
  notStrictEqual: notEqual,
  ok,
  rejects,
  throws,
});

export default assert;
export { deepStrictEqual, equal, fail, notEqual, ok, rejects, throws };
