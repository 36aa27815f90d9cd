// The capability types of every wrapper and adapter, checked twice: by the
// type checker (`deno task check` compiles this file, so a `@ts-expect-error`
// that no longer errs, or an `offers()` list that differs from the type,
// fails the check) and at run time (`offers()` asserts the same list is what
// the wrapper really has, so the type and the object cannot drift apart).

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  canDestroy,
  canEnumerateKeys,
  capabilitiesOf,
  type Capability,
  type CapabilityMethods,
} from "../../../core/capabilities.ts";
import type { AsyncKeyValue, Value } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { NullStore } from "../../../stores/null.ts";
import { SimpleStore } from "../../../stores/simple.ts";
import { RaiseOnMissingAdapter } from "../../../adapters/raise_on_missing.ts";
import { SchemaAdapter, type StandardSchemaV1 } from "../../../adapters/schema.ts";
import { BaseWrapper } from "../../../wrappers/base.ts";
import { CollectionRoutingWrapper } from "../../../wrappers/collection_routing.ts";
import { CompressionWrapper } from "../../../wrappers/compression.ts";
import { DefaultValueWrapper } from "../../../wrappers/default_value.ts";
import { EncryptionWrapper } from "../../../wrappers/encryption.ts";
import { FallbackWrapper } from "../../../wrappers/fallback.ts";
import { FernetEncryptionWrapper } from "../../../wrappers/fernet_encryption.ts";
import { LimitSizeWrapper } from "../../../wrappers/limit_size.ts";
import { LoggingWrapper } from "../../../wrappers/logging.ts";
import { PassthroughCacheWrapper } from "../../../wrappers/passthrough_cache.ts";
import { PrefixCollectionsWrapper } from "../../../wrappers/prefix_collections.ts";
import { PrefixKeysWrapper } from "../../../wrappers/prefix_keys.ts";
import { ReadOnlyWrapper } from "../../../wrappers/read_only.ts";
import { RetryWrapper } from "../../../wrappers/retry.ts";
import { RoutingWrapper } from "../../../wrappers/routing.ts";
import { SingleCollectionWrapper } from "../../../wrappers/single_collection.ts";
import { StatisticsWrapper } from "../../../wrappers/statistics.ts";
import { TimeoutWrapper } from "../../../wrappers/timeout.ts";
import { TTLClampWrapper } from "../../../wrappers/ttl_clamp.ts";

/** The capabilities the type of `W` offers (a member of type `unknown` is none). */
type OfferedBy<W> = {
  [K in Capability]: K extends keyof W ? W[K] extends CapabilityMethods[K] ? K : never : never;
}[Capability];
type Equal<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false;
/** `unknown` when every member of the union `W` offers exactly `E`, else `never`. */
type Exactly<W, E> = [W extends unknown ? Equal<OfferedBy<W>, E> : never] extends [true] ? unknown
  : never;

const ORDER: readonly Capability[] = [
  "keys",
  "collections",
  "destroyCollection",
  "destroy",
  "cull",
  "putIfAbsent",
];

/**
 * Compiles only when `expected` names exactly the capabilities in the type
 * of `store` (of each member, when it is a union).
 */
function typed<W extends AsyncKeyValue, const E extends readonly Capability[]>(
  _store: W,
  _expected: E & Exactly<W, E[number]>,
): void {}

/**
 * Compiles only when `expected` names exactly the capabilities in the type
 * of `store`; passes only when they are exactly those `store` has.
 */
function offers<W extends AsyncKeyValue, const E extends readonly Capability[]>(
  store: W,
  expected: E & Exactly<W, E[number]>,
): void {
  typed<W, E>(store, expected as never);
  const sorted = ORDER.filter((name) => expected.includes(name));
  assert.deepEqual(capabilitiesOf(store), sorted);
}

const ALL = ORDER;
const SIMPLE = ["keys", "collections", "destroy"] as const;
const AES_KEY = new Uint8Array(32).map((_, i) => i);
const FERNET_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
const silent = { info: () => {} };
const anything: StandardSchemaV1<Value> = {
  "~standard": { version: 1, vendor: "test", validate: (value) => ({ value: value as Value }) },
};
/** A store typed as the bare protocol (a MemoryStore at run time). */
const bare = (): AsyncKeyValue => new MemoryStore();

/** Every wrapper that forwards exactly what its inner store has, built over `inner`. */
function forwarding<S extends AsyncKeyValue>(inner: () => S) {
  return {
    CompressionWrapper: new CompressionWrapper(inner()),
    DefaultValueWrapper: new DefaultValueWrapper(inner(), { value: { d: 1 } }),
    EncryptionWrapper: new EncryptionWrapper(inner(), { keys: [AES_KEY] }),
    FallbackWrapper: new FallbackWrapper(inner(), { fallback: new MemoryStore() }),
    FernetEncryptionWrapper: new FernetEncryptionWrapper(inner(), { keys: [FERNET_KEY] }),
    LimitSizeWrapper: new LimitSizeWrapper(inner()),
    LoggingWrapper: new LoggingWrapper(inner(), { logger: silent }),
    RetryWrapper: new RetryWrapper(inner()),
    StatisticsWrapper: new StatisticsWrapper(inner()),
    TimeoutWrapper: new TimeoutWrapper(inner(), { timeout: 5 }),
    TTLClampWrapper: new TTLClampWrapper(inner(), { maxTtl: 60 }),
    RaiseOnMissingAdapter: new RaiseOnMissingAdapter(inner()),
  };
}

test("wrappers over a MemoryStore type and have all six capabilities", async () => {
  for (const [name, store] of Object.entries(forwarding(() => new MemoryStore()))) {
    offers(store, ALL);
    await store.put("k", { n: 1 });
    assert.deepEqual(await store.keys(), ["k"], name);
    assert.equal((await store.collections()).length, 1, name);
    assert.equal(await store.putIfAbsent("k", { n: 2 }), false, name);
    assert.equal(typeof await store.cull(), "number", name);
    assert.equal(await store.destroyCollection("none"), false, name);
    assert.equal(await store.destroy(), true, name);
  }
});

test("wrappers over a SimpleStore type and have only its keys, collections and destroy", async () => {
  for (const [name, store] of Object.entries(forwarding(() => new SimpleStore()))) {
    offers(store, SIMPLE);
    await store.put("k", { n: 1 });
    assert.deepEqual(await store.keys(), ["k"], name);
    assert.equal(await store.destroy(), true, name);
    // @ts-expect-error putIfAbsent is not offered over a SimpleStore
    assert.throws(() => store.putIfAbsent("k", { n: 1 }), TypeError);
    // @ts-expect-error cull is not offered over a SimpleStore
    assert.throws(() => store.cull(), TypeError);
    assert.equal(store.destroyCollection, undefined, name);
  }
});

test("wrappers over a NullStore or a bare AsyncKeyValue type no capability", () => {
  for (const store of Object.values(forwarding(() => new NullStore()))) {
    offers(store, []);
    // @ts-expect-error keys is not offered over a NullStore
    assert.throws(() => store.keys(), TypeError);
  }
  for (const store of Object.values(forwarding(bare))) {
    typed(store, []);
    assert.deepEqual(capabilitiesOf(store), ALL); // a MemoryStore at run time...
    // @ts-expect-error ...but its type does not say so, and neither does the wrapper's
    store.keys();
    // @ts-expect-error destroy is not offered over a bare AsyncKeyValue
    store.destroy();
  }
});

test("PrefixKeys, PrefixCollections and SingleCollection type what they build from the inner store", async () => {
  const prefixKeys = (inner: AsyncKeyValue) => new PrefixKeysWrapper(inner, { prefix: "p" });
  offers(new PrefixKeysWrapper(new MemoryStore(), { prefix: "p" }), ALL);
  offers(new PrefixCollectionsWrapper(new MemoryStore(), { prefix: "p" }), ALL);
  offers(new SingleCollectionWrapper(new MemoryStore(), { collection: "one" }), ALL);
  // Over a SimpleStore, listing keys is enough to delete one collection...
  const keys = new PrefixKeysWrapper(new SimpleStore(), { prefix: "p" });
  offers(keys, ["keys", "collections", "destroyCollection", "destroy"]);
  await keys.put("k", { n: 1 }, { collection: "c" });
  assert.equal(await keys.destroyCollection("c"), true);
  const single = new SingleCollectionWrapper(new SimpleStore(), { collection: "one" });
  offers(single, ["keys", "collections", "destroyCollection", "destroy"]);
  // ...but renamed collections cannot be destroyed without destroyCollection.
  const collections = new PrefixCollectionsWrapper(new SimpleStore(), { prefix: "p" });
  offers(collections, ["keys", "collections"]);
  // @ts-expect-error PrefixCollectionsWrapper needs destroyCollection for destroy
  assert.throws(() => collections.destroy(), TypeError);
  offers(new PrefixKeysWrapper(new NullStore(), { prefix: "p" }), []);
  offers(new PrefixCollectionsWrapper(new NullStore(), { prefix: "p" }), []);
  offers(new SingleCollectionWrapper(new NullStore(), { collection: "one" }), []);
  typed(prefixKeys(new MemoryStore()), []);
});

test("a capability guard narrows a wrapper whose type does not offer it", async () => {
  const store = new TTLClampWrapper(bare(), { maxTtl: 60 });
  await store.put("k", { n: 1 });
  assert.ok(canEnumerateKeys(store));
  assert.deepEqual(await store.keys(), ["k"]);
});

test("wrappers over wrappers keep the innermost store's capability types", async () => {
  const store = new RetryWrapper(new TTLClampWrapper(new MemoryStore(), { maxTtl: 60 }));
  offers(store, ALL);
  await store.put("k", { n: 1 });
  assert.deepEqual(await store.keys(), ["k"]);
  const simple = new LoggingWrapper(new StatisticsWrapper(new SimpleStore()), { logger: silent });
  offers(simple, SIMPLE);
  // @ts-expect-error SimpleStore has no putIfAbsent, two layers down
  assert.throws(() => simple.putIfAbsent("k", { n: 1 }), TypeError);
});

test("ReadOnlyWrapper types and has only keys and collections", async () => {
  const store = new ReadOnlyWrapper(new MemoryStore());
  offers(store, ["keys", "collections"]);
  assert.deepEqual(await store.keys(), []);
  assert.deepEqual(await store.collections(), []);
  assert.equal(canDestroy(store), false);
  // @ts-expect-error a read-only view has no destroy
  assert.throws(() => store.destroy(), TypeError);
  // @ts-expect-error a read-only view has no putIfAbsent
  assert.throws(() => store.putIfAbsent("k", { n: 1 }), TypeError);
  offers(new ReadOnlyWrapper(new NullStore()), []);
});

test("RoutingWrapper types and has the capabilities every store has", async () => {
  const both = new RoutingWrapper(new MemoryStore(), { route: () => undefined });
  offers(both, ALL);
  const simple = new SimpleStore();
  const mixed = new RoutingWrapper(new MemoryStore(), { route: () => simple, stores: [simple] });
  offers(mixed, SIMPLE);
  assert.deepEqual(await mixed.keys(), []);
  // @ts-expect-error the SimpleStore has no putIfAbsent
  assert.throws(() => mixed.putIfAbsent("k", { n: 1 }), TypeError);
  const none = new RoutingWrapper(new MemoryStore(), {
    route: () => undefined,
    stores: [new MemoryStore(), new NullStore()],
  });
  offers(none, []);
});

test("CollectionRoutingWrapper types and has the capabilities every store has", async () => {
  const one = new CollectionRoutingWrapper(new MemoryStore(), {
    collections: { users: new MemoryStore() },
  });
  offers(one, ALL);
  await one.put("a", { n: 1 }, { collection: "users" });
  assert.deepEqual(await one.collections(), ["users"]);
  const mixed = new CollectionRoutingWrapper(new MemoryStore(), {
    collections: { users: new MemoryStore(), logs: new SimpleStore() },
  });
  offers(mixed, SIMPLE);
  // @ts-expect-error the SimpleStore cannot cull
  assert.throws(() => mixed.cull(), TypeError);
  offers(new CollectionRoutingWrapper(new SimpleStore(), { collections: {} }), SIMPLE);
});

test("PassthroughCacheWrapper offers destroy and destroyCollection only when the cache has them", async () => {
  const store = new PassthroughCacheWrapper(new MemoryStore(), { cache: new MemoryStore() });
  offers(store, ALL);
  assert.equal(await store.destroy(), true);
  const simple = new PassthroughCacheWrapper(new MemoryStore(), { cache: new SimpleStore() });
  offers(simple, ["keys", "collections", "destroy", "cull", "putIfAbsent"]);
  // @ts-expect-error the SimpleStore cache cannot destroy one collection
  assert.throws(() => simple.destroyCollection("c"), TypeError);
  const nul = new PassthroughCacheWrapper(new MemoryStore(), { cache: new NullStore() });
  offers(nul, ["keys", "collections", "cull", "putIfAbsent"]);
  assert.equal(await nul.putIfAbsent("k", { n: 1 }), true);
  offers(new PassthroughCacheWrapper(new SimpleStore(), { cache: new MemoryStore() }), SIMPLE);
});

test("SchemaAdapter has no capability, in its type or at run time", () => {
  const adapter = new SchemaAdapter(new MemoryStore(), { schema: anything });
  assert.equal("keys" in adapter, false);
  // @ts-expect-error an adapter is not a store: use the store directly
  void adapter.keys;
  // @ts-expect-error an adapter is not a store: use the store directly
  void adapter.putIfAbsent;
});

test("a BaseWrapper subclass generic over its inner store types its capabilities", async () => {
  class Counting<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S> {
    reads = 0;
    override get(key: string): Promise<Value | undefined> {
      this.reads++;
      return super.get(key);
    }
  }
  const store = new Counting(new MemoryStore());
  offers(store, ALL);
  await store.put("k", { n: 1 });
  assert.deepEqual(await store.keys(), ["k"]);
  offers(new Counting(new SimpleStore()), SIMPLE);
});

test("a BaseWrapper subclass with no type parameter types no capability but has them", async () => {
  class Plain extends BaseWrapper {}
  const store = new Plain(new MemoryStore());
  typed(store, []);
  assert.deepEqual(capabilitiesOf(store), ALL);
  // @ts-expect-error not typed: declare the class generic, or use a guard
  store.keys();
  if (!canEnumerateKeys(store)) assert.fail("keys is forwarded at run time");
  assert.deepEqual(await store.keys(), []);
});
