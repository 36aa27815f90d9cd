/**
 * A model-based property test: random sequences of operations run against a
 * store and against a tiny reference model, and every answer must agree.
 * fast-check shrinks a failing sequence to a minimal one.
 *
 * @example Usage
 * ```ts ignore
 * import { checkAgainstModel } from "@kv/core/testing/model";
 * import { MemoryStore } from "@kv/core/stores/memory";
 *
 * await checkAgainstModel(new MemoryStore(), { runs: 50 });
 * ```
 *
 * @module
 */

import fc from "fast-check"; // the property-testing library with shrinking; dev/test only
import assert from "node:assert/strict";
import { canEnumerateKeys, canPutIfAbsent } from "../core/capabilities.ts";
import type { AsyncKeyValue, Value } from "../core/protocol.ts";

/** Options of {@linkcode checkAgainstModel}. */
export interface ModelCheckOptions {
  /** How many random sequences to run. @default {200} */
  runs?: number;
  /** The longest sequence. @default {30} */
  maxOperations?: number;
  /** A seed, to replay a failure. */
  seed?: number;
}

type Op =
  | { op: "put"; key: number; col: number; value: Value; ttl: boolean }
  | { op: "putMany"; keys: number[]; col: number; values: Value[]; ttl: boolean }
  | { op: "get" | "ttl" | "delete" | "putIfAbsent-check"; key: number; col: number }
  | { op: "getMany" | "ttlMany" | "deleteMany"; keys: number[]; col: number }
  | { op: "putIfAbsent"; key: number; col: number; value: Value }
  | { op: "keys"; col: number };

const KEYS = ["a", "b", "c::d", "é"];
const LONG_TTL = 1_000;

const valueArb: fc.Arbitrary<Value> = fc
  .dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
  .map((value) => JSON.parse(JSON.stringify(value)) as Value);
const keyArb = fc.integer({ min: 0, max: KEYS.length - 1 });
const colArb = fc.integer({ min: 0, max: 1 });
const keysArb = fc.array(keyArb, { maxLength: 4 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant("put" as const),
    key: keyArb,
    col: colArb,
    value: valueArb,
    ttl: fc.boolean(),
  }),
  keysArb.chain((keys) =>
    fc.record({
      op: fc.constant("putMany" as const),
      keys: fc.constant(keys),
      col: colArb,
      values: fc.array(valueArb, { minLength: keys.length, maxLength: keys.length }),
      ttl: fc.boolean(),
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
  fc.record({ op: fc.constant("putIfAbsent" as const), key: keyArb, col: colArb, value: valueArb }),
  fc.record({ op: fc.constant("keys" as const), col: colArb }),
);

interface ModelEntry {
  value: Value;
  expires: boolean;
}

/**
 * Runs random operation sequences against `store` and a reference model.
 * Each sequence uses two collections of its own, so runs never see each
 * other's data and the store needs no cleanup between them.
 *
 * @param store The store under test.
 * @param options Runs, sequence length and seed.
 * @returns The number of sequences run.
 */
export async function checkAgainstModel(
  store: AsyncKeyValue,
  options: ModelCheckOptions = {},
): Promise<number> {
  let run = 0;
  const runs = options.runs ?? 200;
  const property = fc.asyncProperty(
    fc.array(opArb, { maxLength: options.maxOperations ?? 30 }),
    async (ops) => {
      const prefix = `model_${Date.now().toString(36)}_${run++}_`;
      const model = new Map<string, ModelEntry>();
      const col = (i: number) => ({ collection: `${prefix}${i}` });
      const id = (key: number, c: number) => `${c}\u0000${key}`;
      const expectTtl = (entry: ModelEntry | undefined, ttl: number | undefined) => {
        if (!entry) return assert.equal(ttl, undefined);
        if (!entry.expires) return assert.equal(ttl, undefined);
        assert.ok(ttl !== undefined && ttl > 0 && ttl <= LONG_TTL, `ttl ${ttl}`);
      };
      for (const step of ops) {
        switch (step.op) {
          case "put":
            await store.put(KEYS[step.key]!, step.value, {
              ...col(step.col),
              ttl: step.ttl ? LONG_TTL : null,
            });
            model.set(id(step.key, step.col), { value: step.value, expires: step.ttl });
            break;
          case "putMany":
            await store.putMany(step.keys.map((k) => KEYS[k]!), step.values, {
              ...col(step.col),
              ttl: step.ttl ? LONG_TTL : undefined,
            });
            step.keys.forEach((k, i) =>
              model.set(id(k, step.col), { value: step.values[i]!, expires: step.ttl })
            );
            break;
          case "get":
            assert.deepStrictEqual(
              await store.get(KEYS[step.key]!, col(step.col)),
              model.get(id(step.key, step.col))?.value,
            );
            break;
          case "ttl": {
            const [value, ttl] = await store.ttl(KEYS[step.key]!, col(step.col));
            const entry = model.get(id(step.key, step.col));
            assert.deepStrictEqual(value, entry?.value);
            expectTtl(entry, ttl);
            break;
          }
          case "delete":
            assert.equal(
              await store.delete(KEYS[step.key]!, col(step.col)),
              model.delete(id(step.key, step.col)),
            );
            break;
          case "getMany":
            assert.deepStrictEqual(
              await store.getMany(step.keys.map((k) => KEYS[k]!), col(step.col)),
              step.keys.map((k) => model.get(id(k, step.col))?.value),
            );
            break;
          case "ttlMany": {
            const got = await store.ttlMany(step.keys.map((k) => KEYS[k]!), col(step.col));
            step.keys.forEach((k, i) => {
              const entry = model.get(id(k, step.col));
              assert.deepStrictEqual(got[i]![0], entry?.value);
              expectTtl(entry, got[i]![1]);
            });
            break;
          }
          case "deleteMany": {
            let expected = 0;
            for (const k of step.keys) if (model.delete(id(k, step.col))) expected++;
            assert.equal(
              await store.deleteMany(step.keys.map((k) => KEYS[k]!), col(step.col)),
              expected,
            );
            break;
          }
          case "putIfAbsent": {
            if (!canPutIfAbsent(store)) break;
            const key = id(step.key, step.col);
            const stored = await store.putIfAbsent(KEYS[step.key]!, step.value, col(step.col));
            assert.equal(stored, !model.has(key));
            if (stored) model.set(key, { value: step.value, expires: false });
            break;
          }
          case "keys": {
            if (!canEnumerateKeys(store)) break;
            const expected = KEYS.filter((_, k) => model.has(id(k, step.col))).sort();
            assert.deepStrictEqual((await store.keys(col(step.col))).sort(), expected);
            break;
          }
        }
      }
    },
  );
  await fc.assert(property, {
    numRuns: runs,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  return runs;
}
