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
 *   // The store reads the time from the suite's clock, so TTL cases need no sleep.
 *   factory: ({ clock }) => new MemoryStore({ maxEntriesPerCollection: 500, clock }),
 *   clock: true,
 *   capabilities: ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"],
 *   bound: 500,
 *   construct: (extra) => new MemoryStore({ maxEntriesPerCollection: 500, ...extra }),
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
import { batchRefusalCases } from "./_cases_batch_refusal.ts";
import { capabilityCases } from "./_cases_capabilities.ts";
import { deadlineCases } from "./_cases_deadline.ts";
import { expiredDeleteCases } from "./_cases_expired_delete.ts";
import { isolationCases } from "./_cases_isolation.ts";
import { liveObjectCases } from "./_cases_live_objects.ts";
import { namesCases } from "./_cases_names.ts";
import { checkStrictOptions, type Construct, STRICT_OPTIONS_CASE } from "./_cases_options.ts";
import { ttlCases } from "./_cases_ttl.ts";
import { wellFormedCases } from "./_cases_wellformed.ts";
import { type Case, type CaseContext, closeIfPossible, sleep } from "./_types.ts";
import { ManualClock } from "./_clock.ts";
import { checkAgainstModel } from "./_model.ts";
export type { Case, CaseContext } from "./_types.ts";
export type { Construct } from "./_cases_options.ts";
export { ManualClock } from "./_clock.ts";

/** What the suite hands the factory for one test. */
export interface FactoryContext {
  /**
   * A clock for this test only, running with real time until a case
   * freezes or moves it. Pass it as the store's `clock` option (and declare
   * `clock: true`) so that TTL cases move time instead of sleeping.
   */
  readonly clock: ManualClock;
}

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
  factory: (context: FactoryContext) => S | Promise<S>;
  /**
   * Declares that the factory passes `context.clock` to the store as its
   * `clock` option (every store built on `BaseStore` has one; a wrapper's
   * inner stores get it). Time-dependent cases then move the clock instead
   * of sleeping, and the deadline cases run: an entry exactly at its
   * deadline is expired, one millisecond before it is live.
   * @default {false}
   */
  clock?: boolean;
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
  /** Random name sets of the injective-names property test; 0 turns it off. @default {30} */
  namesRuns?: number;
  /**
   * Keys the store refuses by design (with InvalidKeyError or
   * PathSecurityError), beyond the empty key and lone surrogates: the batch
   * cases check each is refused whole, on every method, changing nothing.
   */
  refusedKeys?: readonly string[];
  /** Collections the store refuses by design (e.g. `a::b` where the layout is `collection::key`). */
  refusedCollections?: readonly string[];
  /**
   * Builds the store (or wrapper) with extra constructor options merged into
   * the ones the factory uses; the strict-options case passes
   * `{ notAnOption: 1 }` and expects a TypeError naming it. What it builds
   * without the extra option is closed again.
   */
  construct?: Construct;
  /** Per-test timeout in milliseconds. @default {120000} */
  timeout?: number;
  /** The registration function. @default {node:test's `test`} */
  test?: RegisterTest;
}

/** Every case of the suite, by group. */
export const CONFORMANCE_CASES: readonly Case[] = [
  ...basicCases,
  ...ttlCases,
  ...deadlineCases,
  ...expiredDeleteCases,
  ...isolationCases,
  ...liveObjectCases,
  ...badInputCases,
  ...wellFormedCases,
  ...batchRefusalCases,
  ...namesCases,
  ...capabilityCases,
];

/**
 * Registers the conformance suite for one store.
 *
 * Every case gets a fresh store from `factory`, built with a fresh clock.
 * Cases for a capability the store does not declare are not registered,
 * nor the deadline cases of a store that does not declare `clock`; cases
 * named in `skip` are registered as skipped with their reason. A
 * model-based property test runs `propertyRuns` random operation sequences
 * against a reference model, and a property test over names runs
 * `namesRuns` sets of names.
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
  const teardown = options.teardown ?? closeIfPossible;
  const clocked = options.clock === true;
  const declared = {
    capabilities,
    bound: options.bound,
    maxValueBytes: options.maxValueBytes ?? 1024 * 1024,
    refusedKeys: options.refusedKeys ?? [],
    refusedCollections: options.refusedCollections ?? [],
    namesRuns: options.namesRuns ?? 30,
  };
  const timeout = options.timeout ?? 120_000;
  let count = 0;
  const registerOne = (title: string, body: () => Promise<void>) => {
    const skip = options.skip?.[title];
    register(`${name}: ${title}`, skip === undefined ? { timeout } : { skip, timeout }, body);
    count++;
  };
  const add = (title: string, run: (store: S, context: CaseContext) => Promise<void>) => {
    registerOne(title, async () => {
      const clock = new ManualClock();
      const context: CaseContext = {
        ...declared,
        clock: clocked ? clock : undefined,
        wait: clocked ? (ms) => Promise.resolve(void clock.advance(ms)) : sleep,
      };
      const store = await options.factory({ clock });
      try {
        await run(store, context);
      } finally {
        await teardown(store);
      }
    });
  };
  const probe: CaseContext = { ...declared, clock: undefined, wait: sleep };
  for (const item of CONFORMANCE_CASES) {
    if (item.needs && !capabilities.has(item.needs)) continue;
    if (item.bounded && options.bound === undefined) continue;
    if (item.clocked && !clocked) continue;
    if (item.applies && !item.applies(probe)) continue;
    add(item.name, (store, context) => item.run(store, context));
  }
  const construct = options.construct;
  if (construct) registerOne(STRICT_OPTIONS_CASE, () => checkStrictOptions(construct));
  const runs = options.propertyRuns ?? 200;
  if (runs > 0) {
    add(
      `agrees with a reference model over ${runs} random operation sequences`,
      async (store, { clock }) => {
        await checkAgainstModel(store, { runs, ...(clock ? { clock } : {}) });
      },
    );
  }
  return count;
}
