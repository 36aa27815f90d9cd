/**
 * The conformance suite every store and wrapper runs, and that a third
 * party can run on their own store.
 *
 * @example Usage
 * ```ts ignore
 * import { testConformance } from "@kv/core/testing";
 * import { MemoryStore } from "@kv/core/stores/memory";
 *
 * testConformance("MemoryStore", {
 *   factory: () => new MemoryStore({ maxEntriesPerCollection: 500 }),
 *   capabilities: ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"],
 *   bound: 500,
 * });
 * ```
 *
 * @module
 */

import { test as nodeTest } from "node:test";
import type { Capability } from "../core/capabilities.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { badInputCases } from "./_cases_bad_input.ts";
import { basicCases } from "./_cases_basic.ts";
import { capabilityCases } from "./_cases_capabilities.ts";
import { isolationCases } from "./_cases_isolation.ts";
import { ttlCases } from "./_cases_ttl.ts";
import type { Case, CaseContext } from "./_types.ts";
export type { Case, CaseContext } from "./_types.ts";
import { checkAgainstModel } from "./model.ts";

/** A test registration function with `node:test`'s signature. */
export type RegisterTest = (
  name: string,
  options: { skip?: string | boolean; timeout?: number },
  fn: () => Promise<void>,
) => unknown;

/** Options of {@linkcode testConformance}. */
export interface ConformanceOptions<S extends AsyncKeyValue = AsyncKeyValue> {
  /**
   * Returns a store for one test. Each call must give an empty store (or a
   * store over data no other test sees), ready to use.
   */
  factory: () => S | Promise<S>;
  /** Runs after each test; by default calls `store.close()` when it exists. */
  teardown?: (store: S) => void | Promise<void>;
  /** The capabilities the store declares (checked against the type guards). */
  capabilities?: readonly Capability[];
  /** The per-collection bound of a bounded store; enables the eviction test. */
  bound?: number;
  /** The largest value, in JSON bytes, the backend accepts. @default {1048576} */
  maxValueBytes?: number;
  /**
   * Cases this store changes on purpose, by case name, with the reason
   * (e.g. a DefaultValueWrapper never misses). They are registered as skipped.
   */
  skip?: Readonly<Record<string, string>>;
  /** Random sequences of the model-based property test; 0 turns it off. @default {200} */
  propertyRuns?: number;
  /** Per-test timeout in milliseconds. @default {120000} */
  timeout?: number;
  /** The registration function. @default {node:test's `test`} */
  test?: RegisterTest;
}

/** Every case of the suite, by group. */
export const CONFORMANCE_CASES: readonly Case[] = [
  ...basicCases,
  ...ttlCases,
  ...isolationCases,
  ...badInputCases,
  ...capabilityCases,
];

/**
 * Registers the conformance suite for one store.
 *
 * Every case gets a fresh store from `factory`. Cases for a capability the
 * store does not declare are not registered; cases named in `skip` are
 * registered as skipped with their reason. A model-based property test runs
 * `propertyRuns` random operation sequences against a reference model.
 *
 * @param name The store's name, prefixed to every test name.
 * @param options The factory and what the store declares.
 * @returns The number of tests registered.
 */
export function testConformance<S extends AsyncKeyValue>(
  name: string,
  options: ConformanceOptions<S>,
): number {
  const register = options.test ?? (nodeTest as unknown as RegisterTest);
  const capabilities = new Set(options.capabilities ?? []);
  const teardown = options.teardown ?? defaultTeardown;
  const context: CaseContext = {
    capabilities,
    bound: options.bound,
    maxValueBytes: options.maxValueBytes ?? 1024 * 1024,
  };
  const timeout = options.timeout ?? 120_000;
  let count = 0;
  const add = (title: string, run: (store: S) => Promise<void>) => {
    const skip = options.skip?.[title];
    register(
      `${name}: ${title}`,
      skip === undefined ? { timeout } : { skip, timeout },
      async () => {
        const store = await options.factory();
        try {
          await run(store);
        } finally {
          await teardown(store);
        }
      },
    );
    count++;
  };
  for (const item of CONFORMANCE_CASES) {
    if (item.needs && !capabilities.has(item.needs)) continue;
    if (item.bounded && options.bound === undefined) continue;
    add(item.name, (store) => item.run(store, context));
  }
  const runs = options.propertyRuns ?? 200;
  if (runs > 0) {
    add(`agrees with a reference model over ${runs} random operation sequences`, async (store) => {
      await checkAgainstModel(store, { runs });
    });
  }
  return count;
}

async function defaultTeardown(store: AsyncKeyValue): Promise<void> {
  const close = (store as { close?: () => unknown }).close;
  if (typeof close === "function") await close.call(store);
}
