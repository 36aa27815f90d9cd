import assert from "node:assert/strict";
import { test } from "node:test";
import { StoreRegistry } from "../../registry.ts";
import { MemoryStore } from "../../stores/memory.ts";

test("StoreRegistry.get() returns a registered store", () => {
  const store = new MemoryStore();
  const registry = new StoreRegistry({ stores: { sessions: store } });
  assert.equal(registry.get("sessions"), store);
  assert.ok(registry.has("sessions"));
  assert.deepEqual(registry.names(), ["sessions"]);
});

test("StoreRegistry.get() makes an unknown store with the default factory once", () => {
  const made: string[] = [];
  const registry = new StoreRegistry({
    defaultFactory: (name) => {
      made.push(name);
      return new MemoryStore();
    },
  });
  const first = registry.get("cache");
  assert.equal(registry.get("cache"), first);
  assert.deepEqual(made, ["cache"]);
  assert.ok(registry.has("cache"));
});

test("StoreRegistry makes a MemoryStore per unknown name by default, as Litestar does", async () => {
  const registry = new StoreRegistry();
  const a = registry.get("a");
  assert.ok(a instanceof MemoryStore);
  assert.notEqual(registry.get("b"), a);
  await a.put("k", { n: 1 });
  assert.equal(await registry.get("b").get("k"), undefined);
});

test("StoreRegistry.get() of an unknown name throws when the factory is null", () => {
  assert.throws(() => new StoreRegistry({ defaultFactory: null }).get("nope"), /no defaultFactory/);
});

test("StoreRegistry.register() refuses to replace a store unless allowOverride", () => {
  const registry = new StoreRegistry({ stores: new Map([["a", new MemoryStore()]]) });
  const other = new MemoryStore();
  assert.throws(() => registry.register("a", other), /already registered/);
  registry.register("a", other, true);
  assert.equal(registry.get("a"), other);
  assert.throws(() => registry.register("", other), TypeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => registry.register("b", {} as any), TypeError);
});

test("StoreRegistry.close() closes only the stores its factory made", async () => {
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
  const registry = new StoreRegistry({
    stores: { given: new Closing("given") },
    defaultFactory: (name) => new Closing(name),
  });
  registry.get("made");
  await registry.close();
  assert.deepEqual(closed, ["made"]);
});
