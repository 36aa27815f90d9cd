// This module is browser compatible.
// node:test's `test` for the browser test's page bundle: registrations are
// collected, and the page runs them itself.

/** A registered test. */
export interface Registered {
  /** Its name. */
  readonly name: string;
  /** The skip reason, if skipped. */
  readonly skip?: string | boolean | undefined;
  /** Its body. */
  readonly fn: () => Promise<void>;
}

/** Every test registered so far. */
export const registered: Registered[] = [];

/** Registers a test. */
export function test(
  name: string,
  options: { skip?: string | boolean } | (() => Promise<void>),
  fn?: () => Promise<void>,
): void {
  if (typeof options === "function") registered.push({ name, fn: options });
  else registered.push({ name, skip: options.skip, fn: fn! });
}
