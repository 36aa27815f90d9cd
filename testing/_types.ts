// Shared types and helpers of the conformance suite's case files.

import type { Capability } from "../core/capabilities.ts";
import { InvalidKeyError, PathSecurityError } from "../core/errors.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import type { ManualClock } from "./_clock.ts";

/** One conformance case: a name and a body run against a fresh store. */
export interface Case {
  /** What the case checks, in plain words. */
  readonly name: string;
  /** Runs only when the store declares this capability. */
  readonly needs?: Capability;
  /** Runs only for stores that declare a bound. */
  readonly bounded?: boolean;
  /** Runs only for stores whose factory passes the suite's clock to the store. */
  readonly clocked?: boolean;
  /** Runs only when this returns true for the store's declarations. */
  readonly applies?: (context: CaseContext) => boolean;
  /** The body, run against a fresh store. */
  readonly run: (store: AsyncKeyValue, context: CaseContext) => Promise<void>;
}

/** What a case knows about the store under test. */
export interface CaseContext {
  /** The capabilities the store declares. */
  readonly capabilities: ReadonlySet<Capability>;
  /** The per-collection bound the factory uses, if bounded. */
  readonly bound: number | undefined;
  /** The largest value (JSON bytes) the store accepts. */
  readonly maxValueBytes: number;
  /** The store's clock, when the store declares that it uses the suite's clock. */
  readonly clock: ManualClock | undefined;
  /**
   * Lets `ms` milliseconds pass for the store: moves the clock forward when
   * the store uses it, else sleeps.
   */
  readonly wait: (ms: number) => Promise<void>;
  /** Keys the store refuses (InvalidKeyError or PathSecurityError) beyond the common ones. */
  readonly refusedKeys: readonly string[];
  /** Collections the store refuses (InvalidKeyError or PathSecurityError). */
  readonly refusedCollections: readonly string[];
  /** Runs of the injective-names property test. */
  readonly namesRuns: number;
}

/** Resolves after `ms` milliseconds without keeping a timer referenced past it. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true or `ms` pass; returns the last result. */
export async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
}

/**
 * Waits for an expiry: with the store's clock, moves it `ms` forward and
 * checks once; otherwise polls for up to `ms` plus two seconds.
 */
export async function expires(
  context: CaseContext,
  ms: number,
  check: () => Promise<boolean>,
): Promise<boolean> {
  if (context.clock === undefined) return await eventually(check, ms + 2_000);
  context.clock.advance(ms);
  return await check();
}

/** `true` for the errors a store refuses a name with: InvalidKeyError or PathSecurityError. */
export function isRefusal(error: unknown): boolean {
  return error instanceof InvalidKeyError || error instanceof PathSecurityError;
}

/** The error classes a case expects. */
export type ErrorClass = new (...args: never[]) => Error;

/**
 * Asserts that `call` returns a promise (never throws synchronously) that
 * rejects with an instance of `expected`, or with an error `expected`
 * accepts when it is a predicate.
 */
export async function rejectsWith(
  call: () => Promise<unknown>,
  expected: ErrorClass | ((error: unknown) => boolean),
  what = "the call",
): Promise<void> {
  const isClass = expected === Error || expected.prototype instanceof Error;
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`${what} threw synchronously instead of rejecting: ${describe(error)}`);
  }
  try {
    await promise;
  } catch (error) {
    const ok = isClass
      ? error instanceof (expected as ErrorClass)
      : (expected as (error: unknown) => boolean)(error);
    if (ok) return;
    const name = isClass ? expected.name : "a refusal";
    throw new Error(`${what} rejected with ${describe(error)}, expected ${name}`, {
      cause: error,
    });
  }
  throw new Error(`${what} resolved instead of rejecting`);
}

/** A short description of an error for assertion messages. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Sorted copy. */
export function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

/** Lets pending work of a rejected call land: one macrotask. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The store's `close()`, if it has one. */
export async function closeIfPossible(store: unknown): Promise<void> {
  const close = (store as { close?: () => unknown } | null)?.close;
  if (typeof close === "function") await close.call(store);
}

/** A stand-in key type for bad input. */
// deno-lint-ignore no-explicit-any
export type Loose = any;

export type { AsyncKeyValue };
