// Conformance case: options are strict (SPEC.md section 4). A store or
// wrapper that lets the suite build it (`construct`) must refuse an unknown
// constructor option with a TypeError that names it, and accept the same
// construction without it.

import assert from "node:assert/strict";
import { closeIfPossible, describe } from "./_types.ts";

/** Builds the store or wrapper with extra options; the suite passes an unknown one. */
export type Construct = (options: Record<string, unknown>) => unknown;

/** The name of the strict-options case. */
export const STRICT_OPTIONS_CASE = "an unknown constructor option is a TypeError naming it";

async function build(construct: Construct, options: Record<string, unknown>): Promise<unknown> {
  return await construct(options);
}

/**
 * Checks that `construct({})` builds and `construct({ notAnOption: 1 })`
 * throws (or rejects with) a TypeError whose message names `notAnOption`.
 */
export async function checkStrictOptions(construct: Construct): Promise<void> {
  await closeIfPossible(await build(construct, {}));
  let built: unknown;
  try {
    built = await build(construct, { notAnOption: 1 });
  } catch (error) {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${describe(error)}`);
    assert.match(error.message, /notAnOption/, "the message must name the unknown option");
    return;
  }
  await closeIfPossible(built);
  assert.fail("the unknown option notAnOption was accepted silently");
}
