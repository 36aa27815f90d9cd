// This module is browser compatible.
/**
 * {@linkcode BaseWrapper}: the base of every wrapper. It forwards the eight
 * protocol methods and `close()` to the inner store, and exposes each
 * optional capability (keys, collections, destroyCollection, destroy, cull,
 * putIfAbsent) only when the wrapper supports it, so the type guards of
 * `core/capabilities.ts` work through any stack of wrappers. Their types
 * follow too: a wrapper generic over its inner store
 * (`class W<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S>`)
 * has `keys()` typed over a `MemoryStore` and a type error over a
 * `NullStore`; one with no type parameter types none, and the guards narrow.
 *
 * @example Writing a wrapper
 * ```ts
 * import { BaseWrapper } from "@kv/core/wrappers/base";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import { canEnumerateKeys, canPutIfAbsent } from "@kv/core/core/capabilities";
 * import type { KeyOptions, Value } from "@kv/core/core/protocol";
 * import assert from "node:assert/strict";
 *
 * class CountingWrapper extends BaseWrapper {
 *   reads = 0;
 *   override get(key: string, options?: KeyOptions): Promise<Value | undefined> {
 *     this.reads++;
 *     return super.get(key, options);
 *   }
 * }
 *
 * const store = new CountingWrapper(new MemoryStore());
 * await store.put("k", { n: 1 });
 * assert.deepEqual(await store.get("k"), { n: 1 });
 * assert.equal(store.reads, 1);
 * assert.ok(canEnumerateKeys(store) && canPutIfAbsent(store));
 * ```
 *
 * @module
 */

export * from "../core/_base_wrapper.ts";
