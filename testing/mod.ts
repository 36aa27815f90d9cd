/**
 * The published conformance suite of `@kv/core`: run it on any store or
 * wrapper, including your own, to check it keeps the protocol's semantics.
 *
 * ```ts ignore
 * import { testConformance } from "@kv/core/testing";
 * import { MemoryStore } from "@kv/core/stores/memory";
 *
 * testConformance("MemoryStore", { factory: () => new MemoryStore() });
 * ```
 *
 * @module
 */

export * from "./_conformance.ts";
export * from "./_model.ts";
