/**
 * The one module through which the benchmarks reach the library. Under Deno
 * it re-exports the TypeScript sources; `node.ts` bundles the benchmarks for
 * Node with this module replaced by one that re-exports the npm build.
 *
 * Pieces still being built on other branches (RedisStore, the wrappers) are
 * added here when they land; `main.ts` treats each as optional.
 *
 * @module
 */

export { MemoryStore } from "../../mod.ts";
export type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../../mod.ts";

/** Which build of the library the benchmarks run on (`node.ts` sets it for the npm build). */
export const LIBRARY_BUILD: string =
  (globalThis as { KV_BENCH_LIBRARY?: string }).KV_BENCH_LIBRARY ?? "TypeScript sources";
