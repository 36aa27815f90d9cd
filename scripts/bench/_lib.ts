/**
 * The one module through which the benchmarks reach the library. Under Deno
 * it is the TypeScript source; the Node run (`node.ts`) bundles the scenarios
 * with every import of the library's source redirected to the npm build.
 *
 * @module
 */

export { MemoryStore } from "../../mod.ts";
export type { AsyncKeyValue, Value } from "../../mod.ts";
