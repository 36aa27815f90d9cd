// This module is browser compatible.
/**
 * {@linkcode PrefixCollectionsWrapper}: gives every collection a prefix in
 * the inner store.
 *
 * @example Usage
 * ```ts
 * import { PrefixCollectionsWrapper } from "@kv/core/wrappers/prefix-collections";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const shared = new MemoryStore();
 * const tenant = new PrefixCollectionsWrapper(shared, { prefix: "acme" });
 * await tenant.put("ada", { admin: true }, { collection: "users" });
 * assert.deepEqual(await shared.collections(), ["acme__users"]);
 * assert.deepEqual(await tenant.collections(), ["users"]);
 * ```
 *
 * @module
 */

import type {
  CollectionsOptions,
  DestroyCollection,
  EnumerateCollections,
  KeysOptions,
} from "../core/capabilities.ts";
import { checkOptions } from "../core/options.ts";
import { DEFAULT_COLLECTION } from "../core/protocol.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { checkLimit, optionalCollection, withCollection } from "./_checks.ts";
import {
  checkHead,
  checkName,
  frozenRules,
  mappedCapabilities,
  SEPARATOR,
  stripHead,
} from "./_names.ts";
import { MappingWrapper } from "./_mapping.ts";
import type { BuiltCapabilities } from "./base.ts";
import { resolveCollectionName } from "../core/_validate.ts";

/**
 * What each capability of a {@linkcode PrefixCollectionsWrapper} needs of the inner
 * store: the one table behind both its run-time capabilities and their type.
 *
 * @example Usage
 * ```ts
 * import { PREFIX_COLLECTIONS_RULES } from "@kv/core/wrappers/prefix-collections";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(PREFIX_COLLECTIONS_RULES.cull, ["cull"]);
 * ```
 */
export const PREFIX_COLLECTIONS_RULES: {
  readonly keys: readonly ["keys"];
  readonly collections: readonly ["collections"];
  readonly destroyCollection: readonly ["destroyCollection"];
  readonly destroy: readonly ["collections", "destroyCollection"];
  readonly cull: readonly ["cull"];
  readonly putIfAbsent: readonly ["putIfAbsent"];
} = frozenRules({
  keys: ["keys"],
  collections: ["collections"],
  destroyCollection: ["destroyCollection"],
  destroy: ["collections", "destroyCollection"],
  cull: ["cull"],
  putIfAbsent: ["putIfAbsent"],
});

/** Options of {@linkcode PrefixCollectionsWrapper}. */
export interface PrefixCollectionsWrapperOptions {
  /**
   * The prefix: a non-empty, well-formed string that does not hold `__`
   * after its first character and does not end with `_` (`_` itself is
   * fine). Collections become `prefix__collection`.
   */
  prefix: string;
  /**
   * The collection of calls that name none, before prefixing (the wrapper
   * resolves it, as py-key-value does). @default {"default_collection"}
   */
  defaultCollection?: string;
}

/**
 * Stores every collection as `prefix__collection` (py-key-value's layout),
 * so several tenants can share one store. Keys are unchanged.
 *
 * - `keys()` and `putIfAbsent()` work on the prefixed collection.
 * - `collections()` lists only this prefix's collections, without the prefix.
 * - `destroyCollection()` destroys the prefixed collection; `destroy()`
 *   destroys only this prefix's collections (it needs the inner store's
 *   `collections()` and `destroyCollection()`), never other data.
 * - `cull()` passes through.
 *
 * Naming rule: one inner collection belongs to at most one (prefix,
 * collection), so tenants never see or destroy each other's collections. A
 * prefix is refused with `InvalidKeyError` when `prefix + "__"` holds `__`
 * anywhere but at its start and its end: that is, when it holds `__` after
 * its first character (`t__u` + `c` would be `t` + `u__c`) or ends with `_`
 * (`t_` + `c` would be `t` + `_c`); `_` and `__t` are fine. py-key-value
 * accepts those prefixes, and its tenants then share collections; every
 * prefix we accept is stored as py-key-value stores it. Collections may be
 * any well-formed string. A prefix, key, collection or `defaultCollection`
 * holding a lone surrogate is `InvalidKeyError`, refused before any name is
 * built.
 *
 * @example Tenants do not see each other
 * ```ts
 * import { PrefixCollectionsWrapper } from "@kv/core/wrappers/prefix-collections";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const shared = new MemoryStore();
 * const a = new PrefixCollectionsWrapper(shared, { prefix: "a" });
 * const b = new PrefixCollectionsWrapper(shared, { prefix: "b" });
 * await a.put("k", { n: 1 });
 * await b.put("k", { n: 2 });
 * await a.destroy();
 * assert.equal(await a.get("k"), undefined);
 * assert.deepEqual(await b.get("k"), { n: 2 });
 * ```
 */
export class PrefixCollectionsWrapper<S extends AsyncKeyValue = AsyncKeyValue>
  extends MappingWrapper<S, BuiltCapabilities<S, typeof PREFIX_COLLECTIONS_RULES>> {
  readonly #prefix: string;
  readonly #default: string;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The prefix and the default collection.
   * @throws {TypeError} When an option is unknown, or the prefix or the default collection is empty or not a string.
   * @throws {InvalidKeyError} When the prefix breaks the naming rule, or a name is not well-formed.
   */
  constructor(inner: S, options: PrefixCollectionsWrapperOptions) {
    const context = "create PrefixCollectionsWrapper";
    checkOptions("PrefixCollectionsWrapper", options, ["prefix", "defaultCollection"]);
    const prefix = checkHead(options?.prefix, "prefix", context);
    const name = checkName(
      options.defaultCollection ?? DEFAULT_COLLECTION,
      "defaultCollection",
      context,
    );
    super(
      inner,
      mappedCapabilities(inner, PREFIX_COLLECTIONS_RULES),
    );
    this.#prefix = prefix;
    this.#default = name;
  }

  /** The prefix. */
  get prefix(): string {
    return this.#prefix;
  }

  /** Inner collections are `prefix__collection`. */
  protected innerCollection(collection: string | undefined): string {
    return this.#prefix + SEPARATOR + (collection ?? this.#default);
  }

  /** Inner keys are the caller's. */
  protected innerKey(_collection: string | undefined, key: string): string {
    return key;
  }

  /** Lists the keys of the prefixed collection. */
  protected override async doKeys(options?: KeysOptions): Promise<string[]> {
    const collection = optionalCollection(options, this.context("keys"));
    return await super.doKeys(withCollection(options, this.innerCollection(collection)));
  }

  /** Lists this prefix's collections, without the prefix. */
  protected override async doCollections(options?: CollectionsOptions): Promise<string[]> {
    const context = this.context("collections");
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw new TypeError(`Cannot ${context}: options must be an object`);
    }
    const limit = checkLimit(options?.limit, context);
    const all = await (this.inner as AsyncKeyValue & EnumerateCollections).collections();
    return stripHead(all, this.#prefix, limit);
  }

  /** Destroys the prefixed collection. */
  protected override async doDestroyCollection(collection: string): Promise<boolean> {
    const name = resolveCollectionName({ collection }, this.#default, this.context("destroy"));
    return await super.doDestroyCollection(this.innerCollection(name));
  }

  /** Destroys this prefix's collections. */
  protected override async doDestroy(): Promise<boolean> {
    const inner = this.inner as AsyncKeyValue & DestroyCollection;
    for (const name of await this.doCollections()) {
      await inner.destroyCollection(this.innerCollection(name));
    }
    return true;
  }
}
