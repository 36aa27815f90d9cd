// Defect 12 (this area's part): a wrapper calls what the inner store is at
// call time. None captures `inner.get`, `inner.put` (or a bound method) at
// construction, so a method replaced on the inner store afterwards (a spy, a
// patched client) is the one that runs.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { AsyncKeyValue } from "../../../core/protocol.ts";
import { RaiseOnMissingAdapter } from "../../../adapters/raise_on_missing.ts";
import { SchemaAdapter, type StandardSchemaV1 } from "../../../adapters/schema.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { CollectionRoutingWrapper } from "../../../wrappers/collection_routing.ts";
import { CompressionWrapper } from "../../../wrappers/compression.ts";
import { DefaultValueWrapper } from "../../../wrappers/default_value.ts";
import { EncryptionWrapper } from "../../../wrappers/encryption.ts";
import { FallbackWrapper } from "../../../wrappers/fallback.ts";
import { FernetEncryptionWrapper } from "../../../wrappers/fernet_encryption.ts";
import { LimitSizeWrapper } from "../../../wrappers/limit_size.ts";
import { LoggingWrapper } from "../../../wrappers/logging.ts";
import { PassthroughCacheWrapper } from "../../../wrappers/passthrough_cache.ts";
import { ReadOnlyWrapper } from "../../../wrappers/read_only.ts";
import { RoutingWrapper } from "../../../wrappers/routing.ts";
import { TTLClampWrapper } from "../../../wrappers/ttl_clamp.ts";

const schema: StandardSchemaV1 = {
  "~standard": { version: 1, vendor: "test", validate: (value) => ({ value }) },
};
const METHODS = ["get", "getMany", "ttl", "ttlMany", "put", "putMany", "delete", "deleteMany"];
const WRITES = ["put", "putMany", "delete", "deleteMany"];

const CASES: Record<string, (inner: AsyncKeyValue) => AsyncKeyValue> = {
  PassthroughCacheWrapper: (inner) =>
    new PassthroughCacheWrapper(inner, { cache: new MemoryStore() }),
  EncryptionWrapper: (inner) => new EncryptionWrapper(inner, { keys: [new Uint8Array(32)] }),
  FernetEncryptionWrapper: (inner) =>
    new FernetEncryptionWrapper(inner, { keys: [FernetEncryptionWrapper.generateKey()] }),
  CompressionWrapper: (inner) => new CompressionWrapper(inner),
  DefaultValueWrapper: (inner) => new DefaultValueWrapper(inner, { value: {} }),
  LimitSizeWrapper: (inner) => new LimitSizeWrapper(inner, { maxSize: 1000 }),
  LoggingWrapper: (inner) => new LoggingWrapper(inner, { logger: { info: () => {} } }),
  RoutingWrapper: (inner) => new RoutingWrapper(inner, { route: () => undefined }),
  CollectionRoutingWrapper: (inner) =>
    new CollectionRoutingWrapper(new MemoryStore(), { collections: { default_collection: inner } }),
  FallbackWrapper: (inner) => new FallbackWrapper(inner, { fallback: new MemoryStore() }),
  ReadOnlyWrapper: (inner) => new ReadOnlyWrapper(inner, { raiseOnWrite: false }),
  TTLClampWrapper: (inner) => new TTLClampWrapper(inner, { maxTtl: 60 }),
  RaiseOnMissingAdapter: (inner) => new RaiseOnMissingAdapter(inner),
  SchemaAdapter: (inner) => new SchemaAdapter(inner, { schema }) as unknown as AsyncKeyValue,
};

/** Replaces every protocol method of `store` by a spy that records its name and calls the original. */
function spyOn(store: AsyncKeyValue): string[] {
  const calls: string[] = [];
  const target = store as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of METHODS) {
    const original = target[method]!.bind(store);
    target[method] = (...args: unknown[]) => {
      calls.push(method);
      return original(...args);
    };
  }
  return calls;
}

for (const [name, make] of Object.entries(CASES)) {
  test(`${name} calls the inner store's methods as they are at call time`, async () => {
    const inner = new MemoryStore();
    const store = make(inner);
    const calls = spyOn(inner); // after construction
    const run: Record<string, () => Promise<unknown>> = {
      put: () => store.put("k", { n: 1 }),
      putMany: () => store.putMany(["a"], [{ n: 2 }]),
      get: () => store.get("k"),
      getMany: () => store.getMany(["k", "a"]),
      ttl: () => store.ttl("k"),
      ttlMany: () => store.ttlMany(["k"]),
      delete: () => store.delete("k"),
      deleteMany: () => store.deleteMany(["a"]),
    };
    for (const [method, call] of Object.entries(run)) {
      const before = calls.length;
      await call();
      if (name === "ReadOnlyWrapper" && WRITES.includes(method)) continue; // never reaches the store
      assert.ok(calls.length > before, `${method}() reached the spy`);
    }
  });
}
