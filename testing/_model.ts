/**
 * A model-based property test: random sequences of operations run against a
 * store and against a tiny reference model, and every answer must agree.
 * fast-check shrinks a failing sequence to a minimal one.
 *
 * The names are chosen around separators (`c::d`, `:b`, collections `a`,
 * `a:` and `a::b`), so that a layout that is not injective shows; a store
 * may refuse some of them (a collection with `::` on Redis): each sequence
 * first asks `get` for every name pair, and a pair refused there
 * (InvalidKeyError or PathSecurityError) must be refused by every operation
 * that names it, leaving the model unchanged. Given the store's clock (a
 * {@linkcode ManualClock} the store was built with), sequences also move
 * time and write entries that expire within them, exactly at their
 * deadlines included.
 *
 * @example Usage
 * ```ts ignore
 * import { checkAgainstModel, ManualClock } from "@kv/core/testing";
 * import { MemoryStore } from "@kv/core/stores/memory";
 *
 * const clock = new ManualClock();
 * await checkAgainstModel(new MemoryStore({ clock }), { runs: 50, clock });
 * ```
 *
 * @module
 */

import fc from "fast-check"; // the property-testing library with shrinking; dev/test only
import type { AsyncKeyValue, Value } from "../core/protocol.ts";
import type { ManualClock } from "./_clock.ts";
import { COLLECTIONS, KEYS, type Op, Sequence, TICKS, type Ttl } from "./_model_sequence.ts";

/** Options of {@linkcode checkAgainstModel}. */
export interface ModelCheckOptions {
  /** How many random sequences to run. @default {200} */
  runs?: number;
  /** The longest sequence. @default {30} */
  maxOperations?: number;
  /** A seed, to replay a failure. */
  seed?: number;
  /** The clock the store was built with: sequences then move time and expire entries. */
  clock?: ManualClock;
}

const valueArb: fc.Arbitrary<Value> = fc
  .dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
  .map((value) => JSON.parse(JSON.stringify(value)) as Value);
// Mostly the first names, so that sequences often meet the same entry again.
const keyArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: 2, max: KEYS.length - 1 }) },
);
const colArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: COLLECTIONS.length - 1 }) },
);
const keysArb = fc.array(keyArb, { maxLength: 4 });

function opArb(clocked: boolean): fc.Arbitrary<Op> {
  const ttlArb: fc.Arbitrary<Ttl> = clocked ? fc.constantFrom(0, 1, 2) : fc.constantFrom(0, 1);
  const ops: fc.Arbitrary<Op>[] = [
    fc.record({
      op: fc.constant("put" as const),
      key: keyArb,
      col: colArb,
      value: valueArb,
      ttl: ttlArb,
    }),
    keysArb.chain((keys) =>
      fc.record({
        op: fc.constant("putMany" as const),
        keys: fc.constant(keys),
        col: colArb,
        values: fc.array(valueArb, { minLength: keys.length, maxLength: keys.length }),
        ttl: ttlArb,
      })
    ),
    fc.record({
      op: fc.constantFrom("get" as const, "ttl" as const, "delete" as const),
      key: keyArb,
      col: colArb,
    }),
    fc.record({
      op: fc.constantFrom("getMany" as const, "ttlMany" as const, "deleteMany" as const),
      keys: keysArb,
      col: colArb,
    }),
    fc.record({
      op: fc.constant("putIfAbsent" as const),
      key: keyArb,
      col: colArb,
      value: valueArb,
      ttl: ttlArb,
    }),
    fc.record({ op: fc.constant("keys" as const), col: colArb }),
  ];
  if (clocked) {
    ops.push(fc.record({ op: fc.constant("tick" as const), ms: fc.constantFrom(...TICKS) }));
  }
  return fc.oneof(...ops);
}

/**
 * Runs random operation sequences against `store` and a reference model.
 * Each sequence uses collections of its own, so runs never see each other's
 * data and the store needs no cleanup between them.
 *
 * @param store The store under test.
 * @param options Runs, sequence length, seed, and the store's clock.
 * @returns The number of sequences run.
 */
export async function checkAgainstModel(
  store: AsyncKeyValue,
  options: ModelCheckOptions = {},
): Promise<number> {
  let run = 0;
  const runs = options.runs ?? 200;
  const clock = options.clock;
  const property = fc.asyncProperty(
    fc.array(opArb(clock !== undefined), { maxLength: options.maxOperations ?? 30 }),
    async (ops) => {
      if (clock) {
        // Frozen, and never behind real time, so a native expiry cannot strike first.
        clock.freeze();
        if (clock.now() < Date.now()) clock.set(Date.now());
      }
      const sequence = new Sequence(store, `model_${Date.now().toString(36)}_${run++}_`, clock);
      await sequence.probe();
      for (const step of ops) await sequence.step(step);
    },
  );
  try {
    await fc.assert(property, {
      numRuns: runs,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
  } finally {
    clock?.resume();
  }
  return runs;
}
