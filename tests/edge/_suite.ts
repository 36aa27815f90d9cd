// This module is browser compatible.
// What runs inside the edge runtimes (workerd through Miniflare, Vercel's
// edge-runtime): the conformance suite on MemoryStore and on the wrappers
// and adapters over MemoryStore, with the option sets of
// tests/unit/wrappers/*.test.ts, plus checks of what differs between the two
// runtimes (CompressionStream, PBKDF2). Registered through the node:test
// shim; scripts/test_edge.ts bundles and runs it.

import { gunzipSync, gzipSync } from "fflate";
import type { Capability } from "../../core/capabilities.ts";
import type { AsyncKeyValue } from "../../core/protocol.ts";
import { MemoryStore } from "../../stores/memory.ts";
import {
  type ConformanceOptions,
  type Construct,
  type FactoryContext,
  testConformance,
} from "../../testing/_conformance.ts";
import { RaiseOnMissingAdapter } from "../../adapters/raise_on_missing.ts";
import { CompressionWrapper, type GzipCodec } from "../../wrappers/compression.ts";
import { EncryptionWrapper } from "../../wrappers/encryption.ts";
import { FernetEncryptionWrapper } from "../../wrappers/fernet_encryption.ts";
import { PassthroughCacheWrapper } from "../../wrappers/passthrough_cache.ts";
import { PrefixKeysWrapper } from "../../wrappers/prefix_keys.ts";
import { RetryWrapper } from "../../wrappers/retry.ts";
import { StatisticsWrapper } from "../../wrappers/statistics.ts";
import { TimeoutWrapper } from "../../wrappers/timeout.ts";
import { TTLClampWrapper } from "../../wrappers/ttl_clamp.ts";
import { test } from "../browser/_test_shim.ts";
import { registerRuntimeChecks } from "./_checks.ts";

/** The edge runtimes the suite runs in. */
export type Runtime = "workerd" | "edge-runtime";

const ALL: readonly Capability[] = [
  "keys",
  "collections",
  "destroyCollection",
  "destroy",
  "cull",
  "putIfAbsent",
];
/** Property runs for wrappers, as tests/unit/wrappers/_helpers.ts. */
const RUNS = 40;

/** fflate's gzip as a CompressionWrapper codec (the documented one). */
export const fflateCodec: GzipCodec = { compress: gzipSync, decompress: gunzipSync };

interface Wrapped<S extends AsyncKeyValue>
  extends Omit<ConformanceOptions<S>, "factory" | "clock" | "construct" | "test"> {
  wrap: (inner: () => MemoryStore) => S;
  construct?: (inner: () => MemoryStore) => Construct;
}

function testWrapper<S extends AsyncKeyValue>(name: string, suite: Wrapped<S>): void {
  const { wrap, construct, ...rest } = suite;
  testConformance(`${name} over MemoryStore`, {
    ...rest,
    clock: true,
    test,
    factory: ({ clock }: FactoryContext) => wrap(() => new MemoryStore({ clock })),
    ...(construct ? { construct: construct(() => new MemoryStore()) } : {}),
  });
}

const AES_KEY = new Uint8Array(32).map((_, i) => i);
/** The documented Workers setting (production caps PBKDF2 at 100,000 iterations). */
const PASSWORD = { password: "correct horse", salt: "battery", iterations: 100_000 };
const FERNET_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

/** Registers every edge test for `runtime`. */
export function registerEdgeSuite(runtime: Runtime): void {
  testConformance("MemoryStore", {
    factory: ({ clock }) => new MemoryStore({ clock }),
    clock: true,
    capabilities: ALL,
    construct: (extra) => new MemoryStore(extra),
    test,
  });
  testConformance("MemoryStore (bounded)", {
    factory: ({ clock }) => new MemoryStore({ maxEntriesPerCollection: 500, clock }),
    clock: true,
    capabilities: ALL,
    bound: 500,
    propertyRuns: 50,
    construct: (extra) => new MemoryStore({ maxEntriesPerCollection: 500, ...extra }),
    test,
  });
  if (runtime === "workerd") {
    testWrapper("CompressionWrapper (native streams, threshold 0)", {
      wrap: (inner) => new CompressionWrapper(inner(), { threshold: 0 }),
      capabilities: ALL,
      propertyRuns: RUNS,
      construct: (inner) => (extra) => new CompressionWrapper(inner(), { threshold: 0, ...extra }),
    });
  }
  testWrapper("CompressionWrapper (fflate codec, threshold 0)", {
    wrap: (inner) => new CompressionWrapper(inner(), { threshold: 0, codec: fflateCodec }),
    capabilities: ALL,
    propertyRuns: RUNS,
    construct: (inner) => (extra) =>
      new CompressionWrapper(inner(), { threshold: 0, codec: fflateCodec, ...extra }),
  });
  testWrapper("EncryptionWrapper (raw key)", {
    wrap: (inner) => new EncryptionWrapper(inner(), { keys: [AES_KEY] }),
    capabilities: ALL,
    propertyRuns: RUNS,
    construct: (inner) => (extra) => new EncryptionWrapper(inner(), { keys: [AES_KEY], ...extra }),
  });
  testWrapper("EncryptionWrapper (password, iterations 100_000)", {
    wrap: (inner) => new EncryptionWrapper(inner(), { keys: [PASSWORD] }),
    capabilities: ALL,
    propertyRuns: RUNS,
    construct: (inner) => (extra) => new EncryptionWrapper(inner(), { keys: [PASSWORD], ...extra }),
  });
  testWrapper("FernetEncryptionWrapper (raw key)", {
    wrap: (inner) => new FernetEncryptionWrapper(inner(), { keys: [FERNET_KEY] }),
    capabilities: ALL,
    propertyRuns: RUNS,
    construct: (inner) => (extra) =>
      new FernetEncryptionWrapper(inner(), { keys: [FERNET_KEY], ...extra }),
  });
  testWrapper("TTLClampWrapper", {
    wrap: (inner) => new TTLClampWrapper(inner(), { minTtl: 0.01, maxTtl: 1e6 }),
    capabilities: ALL,
    propertyRuns: RUNS,
    construct: (inner) => (extra) =>
      new TTLClampWrapper(inner(), { minTtl: 0.01, maxTtl: 1e6, ...extra }),
  });
  testWrapper("StatisticsWrapper", {
    wrap: (inner) => new StatisticsWrapper(inner()),
    capabilities: ALL,
    propertyRuns: RUNS,
    // Reflect.construct: its options type has no index signature; an unknown option must still be refused.
    construct: (inner) => (extra) => Reflect.construct(StatisticsWrapper, [inner(), extra]),
  });
  testWrapper("RetryWrapper", {
    wrap: (inner) => new RetryWrapper(inner(), { initialDelay: 0.001 }),
    capabilities: ALL,
    propertyRuns: RUNS,
    construct: (inner) => (extra) => new RetryWrapper(inner(), { initialDelay: 0.001, ...extra }),
  });
  testWrapper("TimeoutWrapper", {
    wrap: (inner) => new TimeoutWrapper(inner(), { timeout: 5 }),
    capabilities: ALL,
    propertyRuns: RUNS,
    construct: (inner) => (extra) => new TimeoutWrapper(inner(), { timeout: 5, ...extra }),
  });
  testWrapper("PassthroughCacheWrapper", {
    wrap: (inner) => new PassthroughCacheWrapper(inner(), { cache: inner() }),
    capabilities: ALL,
    propertyRuns: RUNS,
    construct: (inner) => (extra) =>
      new PassthroughCacheWrapper(inner(), { cache: inner(), ...extra }),
  });
  testWrapper("PrefixKeysWrapper", {
    wrap: (inner) => new PrefixKeysWrapper(inner(), { prefix: "app" }),
    capabilities: ALL,
    propertyRuns: RUNS,
    construct: (inner) => (extra) => new PrefixKeysWrapper(inner(), { prefix: "app", ...extra }),
  });
  testWrapper("RaiseOnMissingAdapter (not raising)", {
    wrap: (inner) => new RaiseOnMissingAdapter(inner()),
    capabilities: ALL,
    propertyRuns: RUNS,
  });
  registerRuntimeChecks(runtime, { aesKey: AES_KEY, password: PASSWORD, codec: fflateCodec });
}
