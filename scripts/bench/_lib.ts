/**
 * The one module through which the benchmarks reach the library. Under Deno
 * it re-exports the TypeScript sources; `node.ts` bundles the benchmarks for
 * Node with this module replaced by one that re-exports the npm build.
 *
 * RedisStore comes through `_lib_redis.ts`, so that only the Redis group's
 * process loads ioredis. The wrapper scenario treats each wrapper as
 * optional (it runs without the missing ones).
 *
 * @module
 */

export { MemoryStore } from "../../mod.ts";
export { StatisticsWrapper } from "../../wrappers/statistics.ts";
export { TTLClampWrapper } from "../../wrappers/ttl_clamp.ts";
export { PrefixKeysWrapper } from "../../wrappers/prefix_keys.ts";
export { TimeoutWrapper } from "../../wrappers/timeout.ts";
export { RetryWrapper } from "../../wrappers/retry.ts";
export type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../../mod.ts";

/** Which build of the library the benchmarks run on (`node.ts` sets it for the npm build). */
export const LIBRARY_BUILD: string =
  (globalThis as { KV_BENCH_LIBRARY?: string }).KV_BENCH_LIBRARY ?? "TypeScript sources";
