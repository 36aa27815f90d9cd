// This module is browser compatible.
/**
 * {@linkcode SingleCollectionWrapper}: keeps every collection in one inner
 * collection.
 *
 * @example Usage
 * ```ts
 * import { SingleCollectionWrapper } from "@kv/core/wrappers/single-collection";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const inner = new MemoryStore();
 * const store = new SingleCollectionWrapper(inner, { collection: "app" });
 * await store.put("ada", { admin: true }, { collection: "users" });
 * assert.deepEqual(await inner.keys({ collection: "app" }), ["users__ada"]);
 * assert.deepEqual(await store.collections(), ["users"]);
 * ```
 *
 * @module
 */

import type { CollectionsOptions, EnumerateKeys, KeysOptions } from "../core/capabilities.ts";
import { checkOptions } from "../core/options.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { DEFAULT_COLLECTION } from "../core/protocol.ts";
import { checkLimit, optionalCollection } from "./_checks.ts";
import {
  checkHead,
  checkName,
  frozenRules,
  headOf,
  keepsApart,
  mappedCapabilities,
  SEPARATOR,
  stripHead,
} from "./_names.ts";
import { MappingWrapper } from "./_mapping.ts";
import type { BuiltCapabilities } from "./base.ts";

/**
 * What each capability of a {@linkcode SingleCollectionWrapper} needs of the inner
 * store: the one table behind both its run-time capabilities and their type.
 *
 * @example Usage
 * ```ts
 * import { SINGLE_COLLECTION_RULES } from "@kv/core/wrappers/single-collection";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(SINGLE_COLLECTION_RULES.cull, ["cull"]);
 * ```
 */
export const SINGLE_COLLECTION_RULES: {
  readonly keys: readonly ["keys"];
  readonly collections: readonly ["keys"];
  readonly destroyCollection: readonly ["keys"];
  readonly destroy: readonly ["keys"];
  readonly cull: readonly ["cull"];
  readonly putIfAbsent: readonly ["putIfAbsent"];
} = frozenRules({
  keys: ["keys"],
  collections: ["keys"],
  destroyCollection: ["keys"],
  destroy: ["keys"],
  cull: ["cull"],
  putIfAbsent: ["putIfAbsent"],
});

/** Options of {@linkcode SingleCollectionWrapper}. */
export interface SingleCollectionWrapperOptions {
  /** The inner collection that holds everything. */
  collection: string;
  /**
   * The collection of calls that name none; it follows the naming rule.
   * @default {"default_collection"}
   */
  defaultCollection?: string;
  /** Joins a collection and a key into an inner key. @default {"__"} */
  separator?: string;
}

/**
 * Stores every entry in one inner collection, under the key
 * `collection__key` (py-key-value's layout), for backends where collections
 * are costly (one table or index each).
 *
 * Naming rule: one inner key belongs to at most one (collection, key), so
 * `keys()` and `collections()` give back exactly the names used and
 * `destroyCollection()` never deletes another collection's entries. A
 * collection is refused with `InvalidKeyError` when `collection +
 * separator` holds the separator anywhere but at its start and its end; for
 * `__`, when it holds `__` after its first character (`a__b` + `k` would be
 * `a` + `b__k`) or ends with `_` (`a_` + `k` would be `a` + `_k`); `_` and
 * `__a` are fine. Keys may hold the separator freely. py-key-value accepts
 * those collections, and then reads one entry under two names; every
 * collection we accept is stored as py-key-value stores it. Over a
 * {@linkcode PrefixCollectionsWrapper}-style `prefix__collection`, pick
 * another separator. A key, collection or option holding a lone surrogate
 * is `InvalidKeyError`, refused before any name is built.
 *
 * - `keys()` lists one collection's keys; `collections()` lists the
 *   collections that hold entries; `destroyCollection()` deletes one
 *   collection's entries; `destroy()` deletes every entry this wrapper's
 *   layout holds (inner keys that split into a collection and a key). All
 *   four list the inner collection's keys, so they exist when the inner
 *   store has `keys()`.
 * - `cull()` and `putIfAbsent()` pass through.
 *
 * @example Collections come back as names
 * ```ts
 * import { SingleCollectionWrapper } from "@kv/core/wrappers/single-collection";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new SingleCollectionWrapper(new MemoryStore(), { collection: "all" });
 * await store.put("a__b", { n: 1 }, { collection: "c1" });
 * assert.deepEqual(await store.keys({ collection: "c1" }), ["a__b"]);
 * await assert.rejects(store.put("k", { n: 1 }, { collection: "x__y" }));
 * await assert.rejects(store.put("k", { n: 1 }, { collection: "x_" }));
 * ```
 */
export class SingleCollectionWrapper<S extends AsyncKeyValue = AsyncKeyValue>
  extends MappingWrapper<S, BuiltCapabilities<S, typeof SINGLE_COLLECTION_RULES>> {
  readonly #collection: string;
  readonly #default: string;
  readonly #separator: string;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The inner collection, the default collection and the separator.
   * @throws {TypeError} When an option is unknown, empty or not a string.
   * @throws {InvalidKeyError} When an option is not well-formed, or the default collection breaks the naming rule.
   */
  constructor(inner: S, options: SingleCollectionWrapperOptions) {
    const context = "create SingleCollectionWrapper";
    checkOptions("SingleCollectionWrapper", options, [
      "collection",
      "defaultCollection",
      "separator",
    ]);
    const separator = checkName(options?.separator ?? SEPARATOR, "separator", context);
    const collection = checkName(options?.collection, "collection", context);
    const name = options.defaultCollection ?? DEFAULT_COLLECTION;
    const fallback = checkHead(name, "defaultCollection", context, separator);
    super(
      inner,
      mappedCapabilities(inner, SINGLE_COLLECTION_RULES),
    );
    this.#separator = separator;
    this.#collection = collection;
    this.#default = fallback;
  }

  /** Every inner collection is the single one (the caller's is checked first). */
  protected innerCollection(collection: string | undefined): string {
    this.#name(collection);
    return this.#collection;
  }

  /** Inner keys are `collection__key`. */
  protected innerKey(collection: string | undefined, key: string): string {
    return this.#name(collection) + this.#separator + key;
  }

  #name(collection: string | undefined): string {
    if (collection === undefined) return this.#default;
    if (!keepsApart(collection, this.#separator)) {
      checkHead(collection, "collection", "use SingleCollectionWrapper", this.#separator);
    }
    return collection;
  }

  #innerKeys(): Promise<string[]> {
    const inner = this.inner as AsyncKeyValue & EnumerateKeys;
    return inner.keys({ collection: this.#collection });
  }

  /** Lists one collection's keys. */
  protected override async doKeys(options?: KeysOptions): Promise<string[]> {
    const context = this.context("keys");
    const name = this.#name(optionalCollection(options, context));
    const limit = checkLimit(options?.limit, context);
    return stripHead(await this.#innerKeys(), name, limit, this.#separator);
  }

  /** Lists the collections that hold entries. */
  protected override async doCollections(options?: CollectionsOptions): Promise<string[]> {
    const context = this.context("collections");
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw new TypeError(`Cannot ${context}: options must be an object`);
    }
    const limit = checkLimit(options?.limit, context);
    const names = new Set<string>();
    for (const key of await this.#innerKeys()) {
      const name = headOf(key, this.#separator);
      if (name !== undefined) names.add(name);
      if (names.size === limit) break;
    }
    return [...names];
  }

  /** Deletes one collection's entries. */
  protected override async doDestroyCollection(collection: string): Promise<boolean> {
    const name = optionalCollection({ collection }, this.context("destroy"));
    const keys = await this.doKeys({ collection: name });
    if (keys.length === 0) return false;
    await this.deleteMany(keys, { collection: name });
    return true;
  }

  /** Deletes every entry of this layout in the inner collection. */
  protected override async doDestroy(): Promise<boolean> {
    const separator = this.#separator;
    const mine = (await this.#innerKeys()).filter((key) => headOf(key, separator) !== undefined);
    await this.inner.deleteMany(mine, { collection: this.#collection });
    return true;
  }
}
