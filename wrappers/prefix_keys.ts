// This module is browser compatible.
/**
 * {@linkcode PrefixKeysWrapper}: gives every key a prefix in the inner store.
 *
 * @example Usage
 * ```ts
 * import { PrefixKeysWrapper } from "@kv/core/wrappers/prefix-keys";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const shared = new MemoryStore();
 * const billing = new PrefixKeysWrapper(shared, { prefix: "billing" });
 * await billing.put("invoice", { total: 10 });
 * assert.deepEqual(await shared.keys(), ["billing__invoice"]);
 * assert.deepEqual(await billing.keys!(), ["invoice"]);
 * ```
 *
 * @module
 */

import type { EnumerateKeys, KeysOptions } from "../core/capabilities.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { checkLimit, optionalCollection } from "./_checks.ts";
import { checkPrefix, mappedCapabilities, SEPARATOR, stripPrefix } from "./_names.ts";
import { MappingWrapper } from "./mapping.ts";

/** Options of {@linkcode PrefixKeysWrapper}. */
export interface PrefixKeysWrapperOptions {
  /** The prefix; a non-empty string without `__`. Keys become `prefix__key`. */
  prefix: string;
}

/**
 * Stores every key as `prefix__key` (py-key-value's layout), so several
 * applications can share one collection. Collections are unchanged.
 *
 * - `keys()` lists only this prefix's keys, without the prefix.
 * - `collections()` passes through (a collection is listed even when it holds
 *   only other prefixes' keys).
 * - `destroyCollection()` and `destroy()` delete only this prefix's keys
 *   (listing them first, so they need the inner store's `keys()`, and
 *   `collections()` for `destroy()`); other data is never touched.
 * - `cull()` and `putIfAbsent()` pass through.
 *
 * A prefix containing `__` is refused: with it, one inner key could belong
 * to two prefixes.
 *
 * @example Two views of one store
 * ```ts
 * import { PrefixKeysWrapper } from "@kv/core/wrappers/prefix-keys";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const shared = new MemoryStore();
 * const a = new PrefixKeysWrapper(shared, { prefix: "a" });
 * const b = new PrefixKeysWrapper(shared, { prefix: "b" });
 * await a.put("k", { from: "a" });
 * await b.put("k", { from: "b" });
 * await a.destroyCollection!("default_collection");
 * assert.deepEqual(await b.get("k"), { from: "b" });
 * ```
 */
export class PrefixKeysWrapper extends MappingWrapper {
  readonly #prefix: string;
  readonly #head: string; // `prefix__`, joined once so each key costs one concatenation

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The prefix.
   * @throws {TypeError} When the prefix is empty, not a string, or contains `__`.
   */
  constructor(inner: AsyncKeyValue, options: PrefixKeysWrapperOptions) {
    super(
      inner,
      mappedCapabilities(inner, {
        keys: ["keys"],
        collections: ["collections"],
        destroyCollection: ["keys"],
        destroy: ["keys", "collections"],
        cull: ["cull"],
        putIfAbsent: ["putIfAbsent"],
      }),
    );
    this.#prefix = checkPrefix(options?.prefix, "prefix", "create PrefixKeysWrapper");
    this.#head = this.#prefix + SEPARATOR;
  }

  /** The prefix. */
  get prefix(): string {
    return this.#prefix;
  }

  /** Inner collections are the caller's. */
  protected innerCollection(collection: string | undefined): string | undefined {
    return collection;
  }

  /** Inner keys are `prefix__key`. */
  protected innerKey(_collection: string | undefined, key: string): string {
    return this.#head + key;
  }

  /** Lists this prefix's keys, without the prefix. */
  protected override async doKeys(options?: KeysOptions): Promise<string[]> {
    const context = this.context("keys");
    const collection = optionalCollection(options, context);
    const limit = checkLimit(options?.limit, context);
    const all = await (this.inner as AsyncKeyValue & EnumerateKeys).keys({ collection });
    return stripPrefix(all, this.#prefix, limit);
  }

  /** Deletes this prefix's keys in one collection. */
  protected override async doDestroyCollection(collection: string): Promise<boolean> {
    const name = optionalCollection({ collection }, this.context("destroy"));
    const keys = await this.doKeys({ collection: name });
    if (keys.length === 0) return false;
    await this.deleteMany(keys, { collection: name });
    return true;
  }

  /** Deletes this prefix's keys in every collection. */
  protected override async doDestroy(): Promise<boolean> {
    const names = await this.doCollections();
    for (const name of names) await this.doDestroyCollection(name);
    return true;
  }
}
