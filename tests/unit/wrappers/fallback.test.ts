import assert from "node:assert/strict";
import { test } from "node:test";
import {
  InvalidKeyError,
  OperationTimeoutError,
  StoreConnectionError,
  StoreSetupError,
} from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { SimpleStore } from "../../../stores/simple.ts";
import { FallbackWrapper } from "../../../wrappers/fallback.ts";
import { ALL, Faulty, RUNS, testWrapper } from "./_helpers.ts";

const down = () => new StoreConnectionError("Cannot reach the primary: refused");

testWrapper("FallbackWrapper (primary up)", {
  wrap: (inner) => new FallbackWrapper(inner(), { fallback: inner() }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) => new FallbackWrapper(inner(), { fallback: inner(), ...extra }),
});
testWrapper("FallbackWrapper (primary down, writes to the fallback)", {
  wrap: (inner) =>
    new FallbackWrapper(new Faulty(inner()).fail(Infinity, down()), {
      fallback: inner(),
      writeToFallback: true,
    }),
  capabilities: ALL,
  propertyRuns: RUNS,
});

test("FallbackWrapper reads from the fallback when the primary is down", async () => {
  const backup = new MemoryStore();
  await backup.put("k", { from: "backup" }, { ttl: 100 });
  const seen: string[] = [];
  const store = new FallbackWrapper(new Faulty(new MemoryStore()).fail(Infinity, down()), {
    fallback: backup,
    onFallback: (error, method) => {
      assert.ok(error instanceof StoreConnectionError);
      seen.push(method);
    },
  });
  assert.deepEqual(await store.get("k"), { from: "backup" });
  assert.deepEqual(await store.getMany(["k", "x"]), [{ from: "backup" }, undefined]);
  assert.deepEqual((await store.ttl("k"))[0], { from: "backup" });
  assert.equal((await store.ttlMany(["k"])).length, 1);
  assert.deepEqual(await store.keys(), ["k"]);
  assert.deepEqual(await store.collections(), ["default_collection"]);
  assert.deepEqual(seen, ["get", "getMany", "ttl", "ttlMany", "keys", "collections"]);
});

test("FallbackWrapper does not use the fallback while the primary works", async () => {
  const backup = new MemoryStore();
  await backup.put("k", { from: "backup" });
  const store = new FallbackWrapper(new MemoryStore(), { fallback: backup });
  assert.equal(await store.get("k"), undefined);
  await store.put("k", { from: "primary" });
  assert.deepEqual(await backup.get("k"), { from: "backup" });
});

test("FallbackWrapper does not send writes to the fallback by default", async () => {
  const backup = new MemoryStore();
  const store = new FallbackWrapper(new Faulty(new MemoryStore()).fail(Infinity, down()), {
    fallback: backup,
  });
  await assert.rejects(store.put("k", { n: 1 }), StoreConnectionError);
  await assert.rejects(store.delete("k"), StoreConnectionError);
  await assert.rejects(store.putIfAbsent("k", { n: 1 }), StoreConnectionError);
  assert.deepEqual(await backup.keys(), []);
});

test("FallbackWrapper sends a failed write to the fallback with writeToFallback", async () => {
  const backup = new MemoryStore();
  const store = new FallbackWrapper(new Faulty(new MemoryStore()).fail(Infinity, down()), {
    fallback: backup,
    writeToFallback: true,
  });
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }]);
  assert.equal(await store.delete("a"), true);
  assert.deepEqual(await backup.getMany(["a", "b"]), [undefined, { n: 2 }]);
});

test("FallbackWrapper falls back on setup failures and timeouts, never on other errors", async () => {
  for (const error of [new StoreSetupError("x"), new OperationTimeoutError("y")]) {
    const store = new FallbackWrapper(new Faulty(new MemoryStore()).fail(1, error), {
      fallback: new MemoryStore({ seed: { default_collection: { k: { n: 1 } } } }),
    });
    assert.deepEqual(await store.get("k"), { n: 1 });
  }
  const bad = new FallbackWrapper(
    new Faulty(new MemoryStore()).fail(1, new InvalidKeyError("Cannot get: bad key")),
    { fallback: new MemoryStore() },
  );
  await assert.rejects(bad.get("k"), InvalidKeyError);
  const custom = new FallbackWrapper(new Faulty(new MemoryStore()).fail(1, new Error("any")), {
    fallback: new MemoryStore(),
    fallbackOn: () => true,
  });
  assert.equal(await custom.get("k"), undefined);
});

test("FallbackWrapper uses the fallback for a capability only when the fallback has it", async () => {
  const store = new FallbackWrapper(new Faulty(new MemoryStore()).fail(Infinity, down()), {
    fallback: new SimpleStore(),
    writeToFallback: true,
  });
  await assert.rejects(store.putIfAbsent("k", { n: 1 }), StoreConnectionError);
});

test("FallbackWrapper closes both stores", async () => {
  const closed: string[] = [];
  class Closing extends MemoryStore {
    constructor(readonly label: string) {
      super();
    }
    close() {
      closed.push(this.label);
      return Promise.resolve();
    }
  }
  await new FallbackWrapper(new Closing("primary"), { fallback: new Closing("fallback") }).close();
  assert.deepEqual(closed.sort(), ["fallback", "primary"]);
});

test("FallbackWrapper reads and writes the primary's default collection on the fallback", async () => {
  class Down extends MemoryStore {
    override get(): never {
      throw down();
    }
    override put(): never {
      throw down();
    }
  }
  const backup = new MemoryStore({ defaultCollection: "backup_default" });
  await backup.put("k", { from: "backup" }, { collection: "main" });
  const store = new FallbackWrapper(new Down({ defaultCollection: "main" }), {
    fallback: backup,
    writeToFallback: true,
  });
  assert.equal(store.defaultCollection, "main");
  assert.deepEqual(await store.get("k"), { from: "backup" });
  await store.put("j", { n: 1 });
  assert.deepEqual(await backup.get("j", { collection: "main" }), { n: 1 });
  assert.equal(await backup.get("j"), undefined);
});

test("FallbackWrapper refuses a bad write as a store does: a bad key before a bad value", async () => {
  const backup = new MemoryStore();
  const store = new FallbackWrapper(new MemoryStore(), {
    fallback: backup,
    fallbackOn: () => true,
    writeToFallback: true,
  });
  await assert.rejects(store.put("", { when: new Date() } as never), { name: "InvalidKeyError" });
  await assert.rejects(store.put("k", { when: new Date() } as never), {
    name: "SerializationError",
  });
  await assert.rejects(store.putMany(["k"], [{ n: 1n }] as never), { name: "SerializationError" });
  await assert.rejects(store.putMany(["k"], [] as never), RangeError);
  assert.deepEqual(await backup.keys(), []);
});
