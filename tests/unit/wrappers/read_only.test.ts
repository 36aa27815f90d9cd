import assert from "node:assert/strict";
import { test } from "node:test";
import { capabilitiesOf } from "../../../core/capabilities.ts";
import { InvalidKeyError, ReadOnlyError } from "../../../core/errors.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../../../core/protocol.ts";
import { validatedCopy } from "../../../core/serialization.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { BaseWrapper } from "../../../wrappers/base.ts";
import { ReadOnlyWrapper } from "../../../wrappers/read_only.ts";
import { type Inner, RUNS, testWrapper } from "./_helpers.ts";

/**
 * Sends every write through the ReadOnlyWrapper first: it must refuse it
 * with ReadOnlyError (or with the error a store gives bad input, which is
 * then the result); only then is the write made through the inner store,
 * with the keys and values as they were at the call (`atCall`), as a store
 * would take them. Every read goes through the wrapper, so the whole suite
 * checks its reads, its argument checks and its refusals.
 */
class WriteAround extends BaseWrapper {
  readonly #raw: AsyncKeyValue;
  constructor(raw: Inner) {
    super(new ReadOnlyWrapper(raw));
    this.#raw = raw;
  }
  async #refused(write: Promise<unknown>): Promise<void> {
    try {
      await write;
    } catch (error) {
      if (error instanceof ReadOnlyError) return;
      throw error;
    }
    assert.fail("ReadOnlyWrapper accepted a write");
  }
  override async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const copy = atCall(value);
    await this.#refused(this.inner.put(key, copy, options));
    await this.#raw.put(key, copy, options);
  }
  override async putMany(keys: readonly string[], values: readonly Value[], options?: PutOptions) {
    const [keysNow, valuesNow] = [
      atCall(keys),
      Array.isArray(values) ? values.map(atCall) : values,
    ];
    await this.#refused(this.inner.putMany(keys, valuesNow, options));
    await this.#raw.putMany(keysNow, valuesNow, options);
  }
  override async delete(key: string, options?: KeyOptions): Promise<boolean> {
    await this.#refused(this.inner.delete(key, options));
    return await this.#raw.delete(key, options);
  }
  override async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    const keysNow = atCall(keys);
    await this.#refused(this.inner.deleteMany(keys, options));
    return await this.#raw.deleteMany(keysNow, options);
  }
}

/** A copy as a store takes it at the call; what it cannot copy is passed on, to be refused. */
function atCall<T>(input: T): T {
  if (Array.isArray(input)) return [...input] as T;
  try {
    return validatedCopy(input) as T;
  } catch {
    return input;
  }
}

testWrapper("ReadOnlyWrapper (writes refused, then made around it)", {
  wrap: (inner) => new WriteAround(inner()),
  capabilities: ["keys", "collections"],
  propertyRuns: RUNS,
  construct: (inner) => (extra) => new ReadOnlyWrapper(inner(), extra),
});

test("ReadOnlyWrapper passes reads through", async () => {
  const inner = new MemoryStore();
  await inner.put("k", { n: 1 }, { ttl: 100 });
  const store = new ReadOnlyWrapper(inner);
  assert.deepEqual(await store.get("k"), { n: 1 });
  assert.deepEqual(await store.getMany(["k", "x"]), [{ n: 1 }, undefined]);
  const [value, ttl] = await store.ttl("k");
  assert.deepEqual(value, { n: 1 });
  assert.ok(ttl! > 99);
  assert.deepEqual(await store.keys(), ["k"]);
});

test("ReadOnlyWrapper rejects every write with ReadOnlyError naming the operation and key", async () => {
  const inner = new MemoryStore();
  await inner.put("k", { n: 1 }, { collection: "c" });
  const store = new ReadOnlyWrapper(inner);
  await assert.rejects(store.put("k", { n: 2 }, { collection: "c" }), (error: unknown) => {
    assert.ok(error instanceof ReadOnlyError);
    assert.deepEqual(error.extraInfo, { operation: "put", collection: "c", key: "k" });
    return true;
  });
  await assert.rejects(store.putMany(["a", "b"], [{}, {}]), (error: unknown) => {
    assert.ok(error instanceof ReadOnlyError);
    assert.equal(error.extraInfo.key, "2 keys");
    return true;
  });
  await assert.rejects(store.delete("k", { collection: "c" }), ReadOnlyError);
  await assert.rejects(store.deleteMany(["k"], { collection: "c" }), ReadOnlyError);
  assert.deepEqual(await inner.get("k", { collection: "c" }), { n: 1 });
});

test("ReadOnlyWrapper checks arguments before refusing", async () => {
  const store = new ReadOnlyWrapper(new MemoryStore());
  await assert.rejects(store.put("", { n: 1 }), InvalidKeyError);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(store.put("k", [] as any), TypeError);
  await assert.rejects(store.put("k", { n: 1 }, { ttl: 0 }), /ttl/);
});

test("ReadOnlyWrapper in silent mode ignores writes", async () => {
  const inner = new MemoryStore();
  await inner.put("k", { n: 1 });
  const store = new ReadOnlyWrapper(inner, { raiseOnWrite: false });
  await store.put("k", { n: 2 });
  await store.putMany(["a"], [{ n: 3 }]);
  assert.equal(await store.delete("k"), false);
  assert.equal(await store.deleteMany(["k", "a"]), 0);
  assert.deepEqual(await inner.get("k"), { n: 1 });
  assert.equal(await inner.get("a"), undefined);
});

test("ReadOnlyWrapper exposes only the read capabilities", () => {
  const store = new ReadOnlyWrapper(new MemoryStore());
  assert.deepEqual(capabilitiesOf(store).sort(), ["collections", "keys"]);
});
