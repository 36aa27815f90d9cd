import assert from "node:assert/strict";
import { test } from "node:test";
import { BaseStore } from "../../../core/base_store.ts";
import { capabilitiesOf } from "../../../core/capabilities.ts";
import type { Entry } from "../../../core/envelope.ts";
import { InvalidKeyError } from "../../../core/errors.ts";

/** A store with two capability hooks and an async setup it records. */
class TwoHooks extends BaseStore {
  readonly rows = new Map<string, Entry>();
  readonly log: string[] = [];
  constructor() {
    super({}, []);
  }
  protected override async setupStore(): Promise<void> {
    await null;
    this.log.push("setup");
  }
  protected getEntry(collection: string, key: string): Promise<Entry | undefined> {
    return Promise.resolve(this.rows.get(`${collection}\0${key}`));
  }
  protected putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    this.rows.set(`${collection}\0${key}`, entry);
    return Promise.resolve();
  }
  protected deleteEntry(collection: string, key: string): Promise<boolean> {
    return Promise.resolve(this.rows.delete(`${collection}\0${key}`));
  }
  protected override listKeys(collection: string, limit: number | undefined): Promise<string[]> {
    this.log.push(`listKeys ${collection} ${limit}`);
    const keys = [...this.rows.keys()].filter((row) => row.startsWith(`${collection}\0`))
      .map((row) => row.slice(collection.length + 1));
    return Promise.resolve(keys.slice(0, limit));
  }
  protected override putEntryIfAbsent(
    collection: string,
    key: string,
    entry: Entry,
  ): Promise<boolean> {
    const row = `${collection}\0${key}`;
    if (this.rows.has(row)) return Promise.resolve(false);
    this.rows.set(row, entry);
    return Promise.resolve(true);
  }
}

test("BaseStore installs the public method of each capability hook a store implements, and only those", () => {
  const store = new TwoHooks();
  assert.deepEqual(capabilitiesOf(store), ["keys", "putIfAbsent"]);
  assert.equal(Object.keys(store).includes("keys"), false, "installed methods are not enumerable");
});

test("BaseStore's keys() checks its options and runs setup before the hook", async () => {
  const store = new TwoHooks() as TwoHooks & { keys(o?: unknown): Promise<string[]> };
  await assert.rejects(store.keys({ limit: 0 }), RangeError);
  await assert.rejects(store.keys({ collection: "\ud800" }), InvalidKeyError);
  assert.deepEqual(await store.keys(), []);
  assert.deepEqual(store.log, ["setup", "listKeys default_collection undefined"]);
});

test("BaseStore's putIfAbsent() copies the value at the call and passes the hook a resolved entry", async () => {
  const store = new TwoHooks() as TwoHooks & {
    putIfAbsent(k: string, v: Record<string, unknown>, o?: unknown): Promise<boolean>;
  };
  const value = { n: 1, nested: { m: 2 } };
  const first = store.putIfAbsent("k", value, { ttl: 10 });
  value.n = 99; // mutated before the setup finished
  value.nested.m = 99;
  assert.equal(await first, true);
  assert.equal(await store.putIfAbsent("k", { n: 2 }), false);
  assert.deepEqual(await store.get("k"), { n: 1, nested: { m: 2 } });
  await assert.rejects(store.putIfAbsent("", { n: 1 }), InvalidKeyError);
});

test("BaseStore.putMany() and deleteMany() use the keys as they were at the call, even across a pending setup", async () => {
  const store = new TwoHooks();
  const keys = ["a", "b"];
  const writing = store.putMany(keys, [{ n: 1 }, { n: 2 }]);
  keys[0] = "x"; // changed while the first call waits for setup
  await writing;
  assert.deepEqual(await store.getMany(["a", "b", "x"]), [{ n: 1 }, { n: 2 }, undefined]);
  const fresh = new TwoHooks();
  await fresh.putMany(["a"], [{ n: 1 }]);
  const doomed = ["a"];
  const deleting = fresh.deleteMany(doomed);
  doomed[0] = "zzz";
  assert.equal(await deleting, 1);
});

test("BaseStore's keys() calls the listKeys hook the instance has at call time (a spy replacing it is honoured)", async () => {
  const store = new TwoHooks() as TwoHooks & { keys(o?: unknown): Promise<string[]> };
  const seen: string[] = [];
  Object.defineProperty(store, "listKeys", {
    configurable: true,
    writable: true,
    value: (collection: string, limit: number | undefined) => {
      seen.push(`${collection} ${limit}`);
      return Promise.resolve(["spied"]);
    },
  });
  assert.deepEqual(await store.keys({ collection: "c", limit: 2 }), ["spied"]);
  assert.deepEqual(seen, ["c 2"]);
  assert.equal(store.log.includes("listKeys c 2"), false, "the original hook is not called");
});

test("MemoryStore's public keys() goes through its listKeys hook, and a public method replaced on the instance is honoured", async () => {
  const { MemoryStore } = await import("../../../stores/memory.ts");
  const store = new MemoryStore();
  const hooks = store as unknown as { listKeys(c: string, l?: number): Promise<string[]> };
  const original = hooks.listKeys.bind(store);
  const calls: string[] = [];
  hooks.listKeys = (collection, limit) => {
    calls.push(collection);
    return original(collection, limit);
  };
  await store.put("a", { n: 1 });
  assert.deepEqual(await store.keys(), ["a"]);
  assert.deepEqual(calls, ["default_collection"]);
  store.keys = () => Promise.resolve(["replaced"]);
  assert.deepEqual(await store.keys(), ["replaced"]);
});
