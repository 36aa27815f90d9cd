// The reference model of testing/_model.ts: one random sequence run against
// the store and a Map, answer by answer.

import assert from "node:assert/strict";
import { canEnumerateKeys, canPutIfAbsent } from "../core/capabilities.ts";
import type { AsyncKeyValue, TtlEntry, Value } from "../core/protocol.ts";
import type { ManualClock } from "./_clock.ts";
import { isRefusal } from "./_types.ts";

/** Which TTL a write uses: none, long (1,000 s), or short (10 s, only with a clock). */
export type Ttl = 0 | 1 | 2;

export type Op =
  | { op: "put"; key: number; col: number; value: Value; ttl: Ttl }
  | { op: "putMany"; keys: number[]; col: number; values: Value[]; ttl: Ttl }
  | { op: "get" | "ttl" | "delete"; key: number; col: number }
  | { op: "getMany" | "ttlMany" | "deleteMany"; keys: number[]; col: number }
  | { op: "putIfAbsent"; key: number; col: number; value: Value; ttl: Ttl }
  | { op: "keys"; col: number }
  | { op: "tick"; ms: number };

export const KEYS = ["a", "b", "c", "b::c", ":b", "é", "S_b"];
export const COLLECTIONS = ["a", "a:", "a::b"];
export const TTLS = [null, 1_000, 10] as const;
/** Clock moves that reach the short TTL's deadline exactly, or one millisecond short of it. */
export const TICKS = [1, 999, 1_000, 4_999, 5_000, 9_999, 10_000];

interface ModelEntry {
  value: Value;
  /** Epoch ms by the clock; `Infinity`-free: undefined for no expiry. */
  expiresAt: number | undefined;
  /** Without a clock, only whether it has a (long) TTL is known. */
  expires: boolean;
}

/** One sequence against the store and the model. */
export class Sequence {
  readonly #model = new Map<string, ModelEntry>();
  readonly #refused = new Set<string>();
  constructor(
    readonly store: AsyncKeyValue,
    readonly prefix: string,
    readonly clock: ManualClock | undefined,
  ) {}

  col(c: number) {
    return { collection: this.prefix + COLLECTIONS[c]! };
  }
  id(key: number, c: number): string {
    return `${c}\u0000${key}`;
  }
  now(): number {
    return this.clock?.now() ?? Date.now();
  }
  live(key: number, c: number): ModelEntry | undefined {
    const entry = this.#model.get(this.id(key, c));
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) return undefined;
    return entry;
  }
  /**
   * Whether a call naming `keys` in collection `c` must be refused: `true`
   * when a pair is refused; `"either"` for an empty batch in a collection
   * whose every pair is refused (the store may refuse it or answer it).
   */
  refused(keys: readonly number[], c: number): boolean | "either" {
    if (keys.length === 0) return this.collectionRefused(c) ? "either" : false;
    return keys.some((key) => this.#refused.has(this.id(key, c)));
  }
  collectionRefused(c: number): boolean {
    return KEYS.every((_, key) => this.#refused.has(this.id(key, c)));
  }

  /** Asks `get` for every pair; a refused pair must be refused by everything after. */
  async probe(): Promise<void> {
    for (const c of COLLECTIONS.keys()) {
      for (const key of KEYS.keys()) {
        try {
          await this.store.get(KEYS[key]!, this.col(c));
        } catch (error) {
          if (!isRefusal(error)) throw error;
          this.#refused.add(this.id(key, c));
        }
      }
    }
  }

  /** Runs `call`; when the names are refused it must reject with a refusal, else it must not. */
  async expect<T>(
    refused: boolean | "either",
    call: () => Promise<T>,
    check: (result: T) => void,
  ) {
    if (refused === "either") {
      const result = await call().then((value) => ({ value }), (error) => {
        if (isRefusal(error)) return undefined;
        throw error;
      });
      return result && check(result.value);
    }
    if (!refused) return check(await call());
    await assert.rejects(call(), (error) => isRefusal(error), "a refused name was accepted");
  }

  write(keys: readonly number[], c: number, values: readonly Value[], ttl: Ttl): void {
    const seconds = TTLS[ttl];
    const expiresAt = seconds === null || !this.clock ? undefined : this.now() + seconds * 1000;
    keys.forEach((key, i) => {
      this.#model.set(this.id(key, c), { value: values[i]!, expiresAt, expires: seconds !== null });
    });
  }

  expectTtl(entry: ModelEntry | undefined, [value, ttl]: TtlEntry): void {
    assert.deepStrictEqual(value, entry?.value);
    if (!entry?.expires) return assert.equal(ttl, undefined);
    if (entry.expiresAt === undefined) {
      return assert.ok(ttl !== undefined && ttl > 0 && ttl <= TTLS[1], `ttl ${ttl}`);
    }
    const expected = (entry.expiresAt - this.now()) / 1000;
    assert.ok(ttl !== undefined && Math.abs(ttl - expected) < 0.002, `ttl ${ttl}, not ${expected}`);
  }

  remove(keys: readonly number[], c: number): number {
    let count = 0;
    for (const key of new Set(keys)) {
      if (this.live(key, c)) count++;
      this.#model.delete(this.id(key, c));
    }
    return count;
  }

  async step(step: Op): Promise<void> {
    const { store } = this;
    switch (step.op) {
      case "tick":
        this.clock!.advance(step.ms);
        return;
      case "put":
        return await this.expect(
          this.refused([step.key], step.col),
          () =>
            store.put(KEYS[step.key]!, step.value, { ...this.col(step.col), ttl: TTLS[step.ttl] }),
          () => this.write([step.key], step.col, [step.value], step.ttl),
        );
      case "putMany":
        return await this.expect(
          this.refused(step.keys, step.col),
          () =>
            store.putMany(step.keys.map((k) => KEYS[k]!), step.values, {
              ...this.col(step.col),
              ttl: TTLS[step.ttl],
            }),
          () => this.write(step.keys, step.col, step.values, step.ttl),
        );
      case "get":
        return await this.expect(
          this.refused([step.key], step.col),
          () => store.get(KEYS[step.key]!, this.col(step.col)),
          (value) => assert.deepStrictEqual(value, this.live(step.key, step.col)?.value),
        );
      case "ttl":
        return await this.expect(
          this.refused([step.key], step.col),
          () => store.ttl(KEYS[step.key]!, this.col(step.col)),
          (entry) => this.expectTtl(this.live(step.key, step.col), entry),
        );
      case "delete":
        return await this.expect(
          this.refused([step.key], step.col),
          () => store.delete(KEYS[step.key]!, this.col(step.col)),
          (deleted) => assert.equal(deleted, this.remove([step.key], step.col) === 1),
        );
      case "getMany":
        return await this.expect(
          this.refused(step.keys, step.col),
          () => store.getMany(step.keys.map((k) => KEYS[k]!), this.col(step.col)),
          (values) =>
            assert.deepStrictEqual(values, step.keys.map((k) => this.live(k, step.col)?.value)),
        );
      case "ttlMany":
        return await this.expect(
          this.refused(step.keys, step.col),
          () => store.ttlMany(step.keys.map((k) => KEYS[k]!), this.col(step.col)),
          (entries) => {
            assert.equal(entries.length, step.keys.length);
            step.keys.forEach((k, i) => this.expectTtl(this.live(k, step.col), entries[i]!));
          },
        );
      case "deleteMany":
        return await this.expect(
          this.refused(step.keys, step.col),
          () => store.deleteMany(step.keys.map((k) => KEYS[k]!), this.col(step.col)),
          (count) => assert.equal(count, this.remove(step.keys, step.col)),
        );
      case "putIfAbsent": {
        if (!canPutIfAbsent(store)) return;
        const options = { ...this.col(step.col), ttl: TTLS[step.ttl] };
        return await this.expect(
          this.refused([step.key], step.col),
          () => store.putIfAbsent(KEYS[step.key]!, step.value, options),
          (stored) => {
            assert.equal(stored, this.live(step.key, step.col) === undefined);
            if (stored) this.write([step.key], step.col, [step.value], step.ttl);
          },
        );
      }
      case "keys": {
        if (!canEnumerateKeys(store)) return;
        if (this.collectionRefused(step.col)) {
          const listed = await store.keys(this.col(step.col)).catch((
            e,
          ) => (isRefusal(e) ? [] : Promise.reject(e)));
          return assert.deepStrictEqual(listed, []);
        }
        const expected = KEYS.filter((_, k) => this.live(k, step.col)).sort();
        assert.deepStrictEqual((await store.keys(this.col(step.col))).sort(), expected);
      }
    }
  }
}
