// This module is browser compatible.
/**
 * `@kv/core`: one async key-value protocol, many stores, stackable wrappers.
 *
 * This entry point holds everything that needs no third-party package: the
 * protocol, errors, TTL and serialization helpers, sanitization strategies,
 * the base store, and the in-memory stores. Stores that need a database
 * client live behind their own subpaths (`@kv/core/stores/redis`, ...).
 *
 * ```ts
 * import { MemoryStore } from "@kv/core";
 * import assert from "node:assert/strict";
 *
 * const store = new MemoryStore();
 * await store.put("greeting", { text: "hello" }, { ttl: 60, collection: "demo" });
 * assert.deepEqual(await store.get("greeting", { collection: "demo" }), { text: "hello" });
 * const [, ttl] = await store.ttl("greeting", { collection: "demo" });
 * assert.ok(ttl !== undefined && ttl <= 60);
 * ```
 *
 * @module
 */

export * from "./core/protocol.ts";
export * from "./core/capabilities.ts";
export * from "./core/errors.ts";
export * from "./core/ttl.ts";
export * from "./core/clock.ts";
export * from "./core/options.ts";
export * from "./core/serialization.ts";
export * from "./core/envelope.ts";
export * from "./core/sanitization.ts";

export * from "./core/base_store.ts";
export * from "./stores/memory.ts";
export * from "./stores/null.ts";
export * from "./stores/simple.ts";
export * from "./wrappers/base.ts";
export * from "./wrappers/ttl_clamp.ts";
export * from "./wrappers/default_value.ts";
export * from "./wrappers/prefix_keys.ts";
export * from "./wrappers/prefix_collections.ts";
export * from "./wrappers/single_collection.ts";
export * from "./wrappers/read_only.ts";
export * from "./wrappers/limit_size.ts";
export * from "./wrappers/statistics.ts";
export * from "./wrappers/logging.ts";
export * from "./wrappers/routing.ts";
export * from "./wrappers/collection_routing.ts";
export * from "./wrappers/timeout.ts";
export * from "./wrappers/retry.ts";
export * from "./wrappers/fallback.ts";
export * from "./wrappers/passthrough_cache.ts";
export * from "./wrappers/compression.ts";
export * from "./wrappers/encryption.ts";
export * from "./wrappers/fernet_encryption.ts";
export * from "./adapters/schema.ts";
export * from "./adapters/raise_on_missing.ts";
export * from "./registry.ts";
