import assert from "node:assert/strict";
import { test } from "node:test";
import { BaseStore } from "../../../core/base_store.ts";
import {
  canCull,
  canDestroy,
  canEnumerateKeys,
  canPutIfAbsent,
  capabilitiesOf,
} from "../../../core/capabilities.ts";
import type { Entry } from "../../../core/envelope.ts";
import {
  DecryptionError,
  EncryptionError,
  InvalidKeyError,
  KeyValueError,
  KeyValueOperationError,
  KeyValueStoreError,
  StoreConnectionError,
  StoreSetupError,
} from "../../../core/errors.ts";
import type { TtlEntry } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { NullStore } from "../../../stores/null.ts";

/** A store that records every hook call, for checking what the base does. */
class SpyStore extends BaseStore {
  readonly calls: string[] = [];
  readonly rows = new Map<string, Entry>();
  setupRuns = 0;
  collectionSetups: string[] = [];
  failSetup: Error | undefined;
  protected override async setupStore(): Promise<void> {
    this.setupRuns++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.failSetup) throw this.failSetup;
  }
  protected override setupCollection(collection: string): void {
    this.collectionSetups.push(collection);
  }
  protected getEntry(collection: string, key: string): Promise<Entry | undefined> {
    this.calls.push(`get ${collection}/${key}`);
    return Promise.resolve(this.rows.get(`${collection}/${key}`));
  }
  protected putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    this.calls.push(`put ${collection}/${key}`);
    this.rows.set(`${collection}/${key}`, { ...entry, value: structuredClone(entry.value) });
    return Promise.resolve();
  }
  protected deleteEntry(collection: string, key: string): Promise<boolean> {
    this.calls.push(`delete ${collection}/${key}`);
    return Promise.resolve(this.rows.delete(`${collection}/${key}`));
  }
  forget(collection?: string): void {
    this.forgetCollectionSetup(collection);
  }
}

test("BaseStore runs setup once for concurrent first calls", async () => {
  const store = new SpyStore();
  await Promise.all([store.get("a"), store.put("b", { n: 1 }), store.getMany(["c"])]);
  await store.get("a");
  assert.equal(store.setupRuns, 1);
});

test("BaseStore wraps a setup failure in StoreSetupError and retries on the next call", async () => {
  const store = new SpyStore();
  store.failSetup = new Error("disk full");
  await assert.rejects(store.get("a"), (error: unknown) => {
    assert.ok(error instanceof StoreSetupError);
    assert.match(error.message, /SpyStore: disk full/);
    assert.equal((error.cause as Error).message, "disk full");
    return true;
  });
  store.failSetup = undefined;
  assert.equal(await store.get("a"), undefined);
  assert.equal(store.setupRuns, 2);
});

test("BaseStore passes a StoreConnectionError from setup through unwrapped", async () => {
  const store = new SpyStore();
  store.failSetup = new StoreConnectionError("Cannot connect: refused");
  await assert.rejects(store.get("a"), StoreConnectionError);
});

test("BaseStore sets each collection up once, and again after forgetCollectionSetup()", async () => {
  const store = new SpyStore();
  await store.put("a", { n: 1 });
  await store.put("b", { n: 1 }, { collection: "c1" });
  await store.get("a", { collection: "c1" });
  assert.deepEqual(store.collectionSetups, ["default_collection", "c1"]);
  store.forget("c1");
  await store.get("a", { collection: "c1" });
  assert.deepEqual(store.collectionSetups, ["default_collection", "c1", "c1"]);
});

test("BaseStore validates a whole batch before calling any hook", async () => {
  const store = new SpyStore();
  await assert.rejects(store.putMany(["a", "b"], [{ n: 1 }, { d: new Date() }]));
  await assert.rejects(store.putMany(["a", ""], [{ n: 1 }, { n: 2 }]), InvalidKeyError);
  await assert.rejects(store.put("a", { n: 1 }, { ttl: -5 }));
  assert.deepEqual(store.calls, []);
});

test("BaseStore filters expired entries on every read path", async () => {
  const store = new SpyStore();
  store.rows.set("default_collection/old", { value: { n: 1 }, expiresAt: Date.now() - 1 });
  store.rows.set("default_collection/new", { value: { n: 2 }, expiresAt: Date.now() + 60_000 });
  assert.equal(await store.get("old"), undefined);
  assert.deepEqual(await store.getMany(["old", "new"]), [undefined, { n: 2 }]);
  assert.deepEqual(await store.ttl("old"), [undefined, undefined]);
  const [[, gone], [value, ttl]] = (await store.ttlMany(["old", "new"])) as [TtlEntry, TtlEntry];
  assert.equal(gone, undefined);
  assert.deepEqual(value, { n: 2 });
  assert.ok(ttl! > 59 && ttl! <= 60);
});

test("BaseStore gives putMany one createdAt and expiresAt for the whole batch", async () => {
  const store = new SpyStore();
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { ttl: 10 });
  const a = store.rows.get("default_collection/a")!;
  const b = store.rows.get("default_collection/b")!;
  assert.equal(a.createdAt, b.createdAt);
  assert.equal(a.expiresAt, b.expiresAt);
  assert.equal(a.expiresAt! - a.createdAt!, 10_000);
});

test("error classes form the documented hierarchy and carry name, extraInfo and cause", () => {
  const cause = new Error("ECONNREFUSED");
  const error = new StoreConnectionError("Cannot get from RedisStore: refused", {
    extraInfo: { host: "127.0.0.1" },
    cause,
  });
  assert.ok(error instanceof KeyValueStoreError && error instanceof KeyValueError);
  assert.equal(error.name, "StoreConnectionError");
  assert.equal(error.cause, cause);
  assert.deepEqual(error.extraInfo, { host: "127.0.0.1" });
  assert.ok(new DecryptionError("x") instanceof EncryptionError);
  assert.ok(new DecryptionError("x") instanceof KeyValueOperationError);
  assert.deepEqual(new InvalidKeyError("x").extraInfo, {});
});

test("capability guards report what each store has", () => {
  const memory = new MemoryStore();
  assert.ok(canEnumerateKeys(memory) && canDestroy(memory) && canCull(memory));
  assert.ok(canPutIfAbsent(memory));
  assert.deepEqual(capabilitiesOf(new NullStore()), []);
  assert.deepEqual(capabilitiesOf(new SpyStore()), []);
});
