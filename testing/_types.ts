// Shared types of the conformance suite's case files.

import type { Capability } from "../core/capabilities.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";

/** One conformance case: a name and a body run against a fresh store. */
export interface Case {
  /** What the case checks, in plain words. */
  readonly name: string;
  /** Runs only when the store declares this capability. */
  readonly needs?: Capability;
  /** Runs only for stores that declare a bound. */
  readonly bounded?: boolean;
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
