import assert from "node:assert/strict";
import { test } from "node:test";
import { RaiseOnMissingAdapter } from "../../../adapters/raise_on_missing.ts";
import { MissingKeyError } from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { testConformance } from "../../../testing/_conformance.ts";

testConformance("RaiseOnMissingAdapter (not raising)", {
  factory: () => new RaiseOnMissingAdapter(new MemoryStore()),
  capabilities: ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"],
  propertyRuns: 40,
});

async function seeded(options?: { raiseOnMissing?: boolean }) {
  const store = new RaiseOnMissingAdapter(new MemoryStore(), options);
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { collection: "c" });
  return store;
}

function missing(key: string, operation: string) {
  return (error: unknown) => {
    assert.ok(error instanceof MissingKeyError);
    assert.deepEqual(error.extraInfo, { operation, collection: "c", key });
    return true;
  };
}

test("RaiseOnMissingAdapter.get() returns a present key and raises on a missing one", async () => {
  const store = await seeded();
  const value = await store.get("a", { collection: "c", raiseOnMissing: true });
  assert.equal(value.n, 1);
  await assert.rejects(
    store.get("x", { collection: "c", raiseOnMissing: true }),
    missing("x", "get"),
  );
  assert.equal(await store.get("x", { collection: "c" }), undefined);
});

test("RaiseOnMissingAdapter.getMany() raises at the first missing key", async () => {
  const store = await seeded();
  assert.deepEqual(await store.getMany(["a", "b"], { collection: "c", raiseOnMissing: true }), [
    { n: 1 },
    { n: 2 },
  ]);
  await assert.rejects(
    store.getMany(["a", "x", "y"], { collection: "c", raiseOnMissing: true }),
    missing("x", "getMany"),
  );
});

test("RaiseOnMissingAdapter.ttl() and ttlMany() raise on a missing key", async () => {
  const store = await seeded();
  const [value] = await store.ttl("a", { collection: "c", raiseOnMissing: true });
  assert.equal(value.n, 1);
  await assert.rejects(
    store.ttl("x", { collection: "c", raiseOnMissing: true }),
    missing("x", "ttl"),
  );
  assert.equal((await store.ttlMany(["a"], { collection: "c", raiseOnMissing: true })).length, 1);
  await assert.rejects(
    store.ttlMany(["a", "z"], { collection: "c", raiseOnMissing: true }),
    missing("z", "ttlMany"),
  );
});

test("RaiseOnMissingAdapter raises by default when built with raiseOnMissing", async () => {
  const store = await seeded({ raiseOnMissing: true });
  await assert.rejects(store.get("x", { collection: "c" }), MissingKeyError);
  assert.equal(await store.get("x", { collection: "c", raiseOnMissing: false }), undefined);
});
