// Defect 1: every value-handling wrapper and adapter uses only the copy of a
// value taken (and validated) at the call. The caller's object is never read
// after the call returned: not after an await, not by JSON.stringify (which
// consults toJSON and re-reads getters and Proxy traps).

import assert from "node:assert/strict";
import { test } from "node:test";
import { StoreConnectionError } from "../../../core/errors.ts";
import type { AsyncKeyValue, PutOptions, Value } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { RaiseOnMissingAdapter } from "../../../adapters/raise_on_missing.ts";
import { SchemaAdapter, type StandardSchemaV1 } from "../../../adapters/schema.ts";
import { CollectionRoutingWrapper } from "../../../wrappers/collection_routing.ts";
import { CompressionWrapper } from "../../../wrappers/compression.ts";
import { DefaultValueWrapper } from "../../../wrappers/default_value.ts";
import { EncryptionWrapper } from "../../../wrappers/encryption.ts";
import { FallbackWrapper } from "../../../wrappers/fallback.ts";
import { FernetEncryptionWrapper } from "../../../wrappers/fernet_encryption.ts";
import { LimitSizeWrapper } from "../../../wrappers/limit_size.ts";
import { LoggingWrapper } from "../../../wrappers/logging.ts";
import { PassthroughCacheWrapper } from "../../../wrappers/passthrough_cache.ts";
import { RoutingWrapper } from "../../../wrappers/routing.ts";
import { TTLClampWrapper } from "../../../wrappers/ttl_clamp.ts";
import { Faulty } from "./_helpers.ts";

type Store = AsyncKeyValue & {
  putIfAbsent?: (key: string, value: Value, options?: PutOptions) => Promise<boolean>;
};

const AES_KEY = new Uint8Array(32).map((_, i) => i);
const FERNET_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
const silent = { info: () => {} };
const anything: StandardSchemaV1<Value> = {
  "~standard": { version: 1, vendor: "test", validate: (value) => ({ value: value as Value }) },
};
const down = () => new StoreConnectionError("Cannot reach the primary: refused");

const CASES: Record<string, () => Store> = {
  PassthroughCacheWrapper: () =>
    new PassthroughCacheWrapper(new MemoryStore(), { cache: new MemoryStore() }),
  EncryptionWrapper: () => new EncryptionWrapper(new MemoryStore(), { keys: [AES_KEY] }),
  FernetEncryptionWrapper: () =>
    new FernetEncryptionWrapper(new MemoryStore(), { keys: [FERNET_KEY] }),
  "CompressionWrapper (compressing)": () =>
    new CompressionWrapper(new MemoryStore(), { threshold: 0 }),
  "CompressionWrapper (small values)": () => new CompressionWrapper(new MemoryStore()),
  DefaultValueWrapper: () => new DefaultValueWrapper(new MemoryStore(), { value: { d: 1 } }),
  LimitSizeWrapper: () => new LimitSizeWrapper(new MemoryStore(), { maxSize: 100_000 }),
  "LoggingWrapper (logValues)": () =>
    new LoggingWrapper(new MemoryStore(), { logger: silent, logValues: true }),
  LoggingWrapper: () => new LoggingWrapper(new MemoryStore(), { logger: silent }),
  RoutingWrapper: () => {
    const other = new MemoryStore();
    return new RoutingWrapper(new MemoryStore(), { route: () => other, stores: [other] });
  },
  CollectionRoutingWrapper: () =>
    new CollectionRoutingWrapper(new MemoryStore(), {
      collections: { default_collection: new MemoryStore() },
    }),
  "FallbackWrapper (primary up)": () =>
    new FallbackWrapper(new MemoryStore(), { fallback: new MemoryStore() }),
  "FallbackWrapper (primary down, writes to the fallback)": () =>
    new FallbackWrapper(new Faulty(new MemoryStore()).fail(Infinity, down()), {
      fallback: new MemoryStore(),
      writeToFallback: true,
    }),
  TTLClampWrapper: () => new TTLClampWrapper(new MemoryStore(), { maxTtl: 60 }),
  RaiseOnMissingAdapter: () => new RaiseOnMissingAdapter(new MemoryStore()),
  SchemaAdapter: () => new SchemaAdapter(new MemoryStore(), { schema: anything }) as Store,
};

/** Values that lie: each holds `{ n: 1, list: [1, 2] }` as validated at the call. */
function liars(): Record<string, () => Value> {
  return {
    "a non-enumerable toJSON": () => {
      const value = { n: 1, list: [1, 2] };
      Object.defineProperty(value, "toJSON", { value: () => ({ n: "lie" }) });
      return value;
    },
    "an array with a toJSON property": () => ({
      n: 1,
      list: Object.assign([1, 2], { toJSON: () => "lie" }),
    }),
    "a getter that answers differently on the second read": () => {
      let reads = 0;
      return {
        get n() {
          return reads++ === 0 ? 1 : new Date();
        },
        list: [1, 2],
      } as unknown as Value;
    },
    "a Proxy whose traps change after the first read": () => {
      let reads = 0;
      return new Proxy({ n: 1, list: [1, 2] }, {
        get: (target, name, receiver) =>
          name === "n" && reads++ > 0 ? "lie" : Reflect.get(target, name, receiver),
      });
    },
  };
}

for (const [name, make] of Object.entries(CASES)) {
  test(`${name}.put() stores the value as it was at the call, though the caller changes it before awaiting`, async () => {
    const store = make();
    const value = { balance: 100, nested: { list: [1] } };
    const done = store.put("k", value);
    value.balance = 0;
    value.nested.list.push(2);
    await done;
    assert.deepEqual(await store.get("k"), { balance: 100, nested: { list: [1] } });
  });

  test(`${name}.putMany() stores the batch as it was at the call, though the caller changes it before awaiting`, async () => {
    const store = make();
    // A first call sets the inner stores up: BaseStore reads `keys` after its setup (not ours).
    await store.get("warm-up");
    const keys = ["a", "b"];
    const values = [{ n: 1 }, { n: 2 }];
    const done = store.putMany(keys, values);
    values[0]!.n = 0;
    values[1] = { n: 99 };
    keys[1] = "c";
    await done;
    assert.deepEqual(await store.getMany(["a", "b", "c"]), [
      { n: 1 },
      { n: 2 },
      name === "DefaultValueWrapper" ? { d: 1 } : undefined,
    ]);
  });

  test(`${name}.put() and putMany() use the options as they were at the call`, async () => {
    const store = make();
    const options = { collection: "c1" };
    const done = store.put("k", { n: 1 }, options);
    options.collection = "c2";
    await done;
    const many = { collection: "c1" };
    const batch = store.putMany(["m"], [{ n: 2 }], many);
    many.collection = "c2";
    await batch;
    const miss = name === "DefaultValueWrapper" ? { d: 1 } : undefined;
    assert.deepEqual(await store.getMany(["k", "m"], { collection: "c1" }), [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(await store.getMany(["k", "m"], { collection: "c2" }), [miss, miss]);
  });

  test(`${name}.putIfAbsent() stores the value as it was at the call`, async (t) => {
    const store = make();
    if (typeof store.putIfAbsent !== "function") return t.skip("no putIfAbsent");
    const value = { n: 1 };
    const done = store.putIfAbsent("k", value);
    value.n = 0;
    assert.equal(await done, true);
    assert.deepEqual(await store.get("k"), { n: 1 });
  });

  for (const [kind, lie] of Object.entries(liars())) {
    test(`${name}.put() stores what was validated at the call for ${kind}`, async () => {
      const store = make();
      await store.put("k", lie());
      await store.putMany(["m"], [lie()]);
      assert.deepEqual(await store.get("k"), { n: 1, list: [1, 2] });
      assert.deepEqual(await store.get("m"), { n: 1, list: [1, 2] });
    });
  }
}
