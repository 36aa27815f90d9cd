// Shared helpers of the wrapper tests.

import type { Capability } from "../../../core/capabilities.ts";

/** Every capability, as MemoryStore has them. */
export const ALL: readonly Capability[] = [
  "keys",
  "collections",
  "destroyCollection",
  "destroy",
  "cull",
  "putIfAbsent",
];

/** Property runs for wrappers (the memory store runs the full count). */
export const RUNS = 40;

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
