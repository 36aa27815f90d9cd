// This module is browser compatible.
// Runs the tests a browser page registered through the node:test shim, one
// after another, and publishes their results on `globalThis.__results` for
// _chromium.ts's runPage().

/** A registered test (what _test_shim.ts collects). */
export interface PageTest {
  /** Its name. */
  readonly name: string;
  /** The skip reason, if skipped. */
  readonly skip?: string | boolean | undefined;
  /** Its body. */
  readonly fn: () => Promise<void>;
}

/** One case's outcome. */
export interface PageResult {
  /** The case. */
  readonly name: string;
  /** "pass", "fail" or "skip". */
  readonly status: "pass" | "fail" | "skip";
  /** The failure, if any. */
  readonly error?: string;
  /** Milliseconds. */
  readonly ms: number;
}

/** Runs `tests` in order and publishes their results. */
export async function runAndPublish(tests: readonly PageTest[]): Promise<void> {
  const results: PageResult[] = [];
  for (const { name, skip, fn } of tests) {
    const started = performance.now();
    if (skip) {
      results.push({ name, status: "skip", ms: 0 });
      continue;
    }
    try {
      await fn();
      results.push({ name, status: "pass", ms: performance.now() - started });
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      results.push({ name, status: "fail", error: text, ms: performance.now() - started });
    }
  }
  (globalThis as { __results?: PageResult[] }).__results = results;
}
