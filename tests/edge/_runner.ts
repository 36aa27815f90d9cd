// This module is browser compatible.
// Runs the tests the node:test shim collected, a slice at a time (workerd
// serves them over several requests), and reports plain JSON-able results.

import { type Registered, registered } from "../browser/_test_shim.ts";

/** One test's outcome. */
export interface Result {
  /** The test's name. */
  readonly name: string;
  /** "pass", "fail" or "skip". */
  readonly status: "pass" | "fail" | "skip";
  /** The failure, if any. */
  readonly error?: string;
}

/** Per-test limit (real timers advance in both runtimes even where Date.now() is frozen). */
const LIMIT_MS = 60_000;

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause === undefined ? "" : `\ncaused by: ${describe(error.cause)}`;
  return `${error.stack ?? `${error.name}: ${error.message}`}${cause}`;
}

async function runOne(entry: Registered): Promise<Result> {
  if (entry.skip) return { name: entry.name, status: "skip" };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${LIMIT_MS} ms`)), LIMIT_MS);
  });
  try {
    await Promise.race([entry.fn(), limit]);
    return { name: entry.name, status: "pass" };
  } catch (error) {
    return { name: entry.name, status: "fail", error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** The names of the registered tests, in order. */
export function names(): string[] {
  return registered.map((entry) => entry.name);
}

/** Runs registered tests `from` (inclusive) to `to` (exclusive), one after another. */
export async function run(from: number, to: number): Promise<Result[]> {
  const results: Result[] = [];
  for (const entry of registered.slice(from, to)) results.push(await runOne(entry));
  return results;
}
