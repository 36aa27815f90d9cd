import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidTTLError } from "../../../core/errors.ts";
import type { KeyOptions, TtlEntry, Value } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { BaseWrapper } from "../../../wrappers/base.ts";
import { DefaultValueWrapper } from "../../../wrappers/default_value.ts";
import { ALL, RUNS, testWrapper } from "./_helpers.ts";

const SENTINEL = { __default__: "a7f3c" };
const DEFAULT_TTL = 42;

/**
 * Turns the wrapper's default back into a miss, asserting on the way that
 * every miss came back as a fresh copy of the default with its TTL. The
 * whole suite then runs through DefaultValueWrapper.
 */
class DefaultAsMiss extends BaseWrapper {
  #seen = new Set<Value>();
  #miss(value: Value | undefined): Value | undefined {
    assert.ok(value !== undefined, "DefaultValueWrapper returned a miss");
    if (value.__default__ !== SENTINEL.__default__) return value;
    assert.deepEqual(value, SENTINEL);
    assert.ok(!this.#seen.has(value), "the default was returned twice as the same object");
    this.#seen.add(value);
    return undefined;
  }
  #missEntry([value, ttl]: TtlEntry): TtlEntry {
    const mapped = this.#miss(value);
    if (mapped === undefined) assert.equal(ttl, DEFAULT_TTL);
    return mapped === undefined ? [undefined, undefined] : [mapped, ttl];
  }
  override async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    return this.#miss(await super.get(key, options));
  }
  override async getMany(keys: readonly string[], options?: KeyOptions) {
    return (await super.getMany(keys, options)).map((value) => this.#miss(value));
  }
  override async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    return this.#missEntry(await super.ttl(key, options));
  }
  override async ttlMany(keys: readonly string[], options?: KeyOptions) {
    return (await super.ttlMany(keys, options)).map((entry) => this.#missEntry(entry));
  }
}

testWrapper("DefaultValueWrapper (its default read back as a miss)", {
  wrap: (inner) =>
    new DefaultAsMiss(new DefaultValueWrapper(inner(), { value: SENTINEL, ttl: DEFAULT_TTL })),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) =>
    new DefaultValueWrapper(inner(), { value: SENTINEL, ttl: DEFAULT_TTL, ...extra }),
});

test("DefaultValueWrapper.get() and getMany() return the default for misses only", async () => {
  const store = new DefaultValueWrapper(new MemoryStore(), { value: { d: 1 } });
  await store.put("hit", { h: 1 });
  assert.deepEqual(await store.get("miss"), { d: 1 });
  assert.deepEqual(await store.get("hit"), { h: 1 });
  assert.deepEqual(await store.getMany(["hit", "miss"]), [{ h: 1 }, { d: 1 }]);
});

test("DefaultValueWrapper.ttl() and ttlMany() return the default TTL for misses", async () => {
  const store = new DefaultValueWrapper(new MemoryStore(), { value: { d: 1 }, ttl: 5 });
  await store.put("hit", { h: 1 });
  assert.deepEqual(await store.ttl("miss"), [{ d: 1 }, 5]);
  assert.deepEqual(await store.ttlMany(["hit", "miss"]), [[{ h: 1 }, undefined], [{ d: 1 }, 5]]);
  const noTtl = new DefaultValueWrapper(new MemoryStore(), { value: { d: 1 } });
  assert.deepEqual(await noTtl.ttl("miss"), [{ d: 1 }, undefined]);
});

test("DefaultValueWrapper returns a fresh default each time, even within one getMany()", async () => {
  const value = { list: [1] };
  const store = new DefaultValueWrapper(new MemoryStore(), { value });
  value.list.push(2);
  const first = (await store.get("a"))!;
  (first.list as number[]).push(3);
  assert.deepEqual(await store.get("a"), { list: [1] });
  const [x, y] = await store.getMany(["a", "b"]);
  assert.notEqual(x, y);
});

test("DefaultValueWrapper never writes the default", async () => {
  const inner = new MemoryStore();
  const store = new DefaultValueWrapper(inner, { value: { d: 1 } });
  await store.get("a");
  await store.ttl("b");
  assert.deepEqual(await inner.keys(), []);
  assert.equal(await store.delete("a"), false);
});

test("DefaultValueWrapper refuses a default JSON cannot carry, or a bad TTL", () => {
  const inner = new MemoryStore();
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new DefaultValueWrapper(inner, { value: [] as any }), TypeError);
  assert.throws(() => new DefaultValueWrapper(inner, { value: { d: new Date() } }));
  assert.throws(() => new DefaultValueWrapper(inner, { value: {}, ttl: 0 }), InvalidTTLError);
});

test("DefaultValueWrapper keeps the default as validated at construction", async () => {
  const value = { tags: ["a"] };
  Object.defineProperty(value, "toJSON", { value: () => ({ lie: true }) });
  const store = new DefaultValueWrapper(new MemoryStore(), { value });
  value.tags.push("b");
  assert.deepEqual(await store.get("missing"), { tags: ["a"] });
});
