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
 * assert.deepEqual(await billing.keys(), ["invoice"]);
 * ```
 *
 * @module
 */

import type {
  CollectionsOptions,
  EnumerateCollections,
  EnumerateKeys,
  KeysOptions,
} from "../core/capabilities.ts";
import { checkOptions } from "../core/options.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { checkLimit, optionalCollection } from "./_checks.ts";
import { checkHead, frozenRules, mappedCapabilities, SEPARATOR, stripHead } from "./_names.ts";
import { MappingWrapper } from "./_mapping.ts";
import type { BuiltCapabilities } from "./base.ts";

/**
 * What each capability of a {@linkcode PrefixKeysWrapper} needs of the inner
 * store: the one table behind both its run-time capabilities and their type.
 *
 * @example Usage
 * ```ts
 * import { PREFIX_KEYS_RULES } from "@kv/core/wrappers/prefix-keys";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(PREFIX_KEYS_RULES.cull, ["cull"]);
 * ```
 */
export const PREFIX_KEYS_RULES: {
  readonly keys: readonly ["keys"];
  readonly collections: readonly ["keys", "collections"];
  readonly destroyCollection: readonly ["keys"];
  readonly destroy: readonly ["keys", "collections"];
  readonly cull: readonly ["cull"];
  readonly putIfAbsent: readonly ["putIfAbsent"];
} = frozenRules({
  keys: ["keys"],
  collections: ["keys", "collections"],
  destroyCollection: ["keys"],
  destroy: ["keys", "collections"],
  cull: ["cull"],
  putIfAbsent: ["putIfAbsent"],
});

/** Options of {@linkcode PrefixKeysWrapper}. */
export interface PrefixKeysWrapperOptions {
  /**
   * The prefix: a non-empty, well-formed string that does not hold `__`
   * after its first character and does not end with `_` (`_` itself is
   * fine). Keys become `prefix__key`.
   */
  prefix: string;
}

/**
 * Stores every key as `prefix__key` (py-key-value's layout), so several
 * applications can share one collection. Collections are unchanged.
 *
 * - `keys()` lists only this prefix's keys, without the prefix.
 * - `collections()` lists only the collections that hold this prefix's keys
 *   (it lists the keys of every inner collection, so it needs the inner
 *   store's `keys()` and `collections()`): other tenants' collections stay
 *   unseen.
 * - `destroyCollection()` and `destroy()` delete only this prefix's keys
 *   (listing them first, so they need the inner store's `keys()`, and
 *   `collections()` for `destroy()`); other data is never touched.
 * - `cull()` and `putIfAbsent()` pass through.
 *
 * Naming rule: one inner key belongs to at most one (prefix, key), so
 * tenants never see or delete each other's keys. A prefix is refused with
 * `InvalidKeyError` when `prefix + "__"` holds `__` anywhere but at its
 * start and its end: that is, when it holds `__` after its first character
 * (`a__b` + `k` would be `a` + `b__k`) or ends with `_` (`app_` + `k` would
 * be `app` + `_k`); `_` and `__app` are fine. py-key-value accepts those
 * prefixes, and its tenants then share keys; every prefix we accept is
 * stored as py-key-value stores it. Keys may be any well-formed string. A
 * prefix, key or collection holding a lone surrogate is `InvalidKeyError`,
 * refused before any name is built.
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
 * await a.destroyCollection("default_collection");
 * assert.deepEqual(await b.get("k"), { from: "b" });
 * ```
 */
export class PrefixKeysWrapper<S extends AsyncKeyValue = AsyncKeyValue>
  extends MappingWrapper<S, BuiltCapabilities<S, typeof PREFIX_KEYS_RULES>> {
  readonly #prefix: string;
  readonly #head: string; // `prefix__`, joined once so each key costs one concatenation

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The prefix.
   * @throws {TypeError} When an option is unknown, or the prefix is empty or not a string.
   * @throws {InvalidKeyError} When the prefix breaks the naming rule or is not well-formed.
   */
  constructor(inner: S, options: PrefixKeysWrapperOptions) {
    checkOptions("PrefixKeysWrapper", options, ["prefix"]);
    const prefix = checkHead(options?.prefix, "prefix", "create PrefixKeysWrapper");
    super(
      inner,
      mappedCapabilities(inner, PREFIX_KEYS_RULES),
    );
    this.#prefix = prefix;
    this.#head = prefix + SEPARATOR;
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
    return stripHead(all, this.#prefix, limit);
  }

  /** Lists the collections that hold this prefix's keys. */
  protected override async doCollections(options?: CollectionsOptions): Promise<string[]> {
    const context = this.context("collections");
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw new TypeError(`Cannot ${context}: options must be an object`);
    }
    const limit = checkLimit(options?.limit, context);
    const inner = this.inner as AsyncKeyValue & EnumerateKeys & EnumerateCollections;
    const out: string[] = [];
    for (const collection of await inner.collections()) {
      if (stripHead(await inner.keys({ collection }), this.#prefix, 1).length === 0) continue;
      if (out.push(collection) === limit) break;
    }
    return out;
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
    const names = await (this.inner as AsyncKeyValue & EnumerateCollections).collections();
    for (const name of names) await this.doDestroyCollection(name);
    return true;
  }
}
