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
 * assert.deepEqual(await store.collections!(), ["users"]);
 * ```
 *
 * @module
 */

import type { CollectionsOptions, EnumerateKeys, KeysOptions } from "../core/capabilities.ts";
import { InvalidKeyError } from "../core/errors.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { DEFAULT_COLLECTION } from "../core/protocol.ts";
import { checkLimit, optionalCollection } from "./_checks.ts";
import { checkPrefix, mappedCapabilities, SEPARATOR, stripPrefix } from "./_names.ts";
import { MappingWrapper } from "./mapping.ts";

/** Options of {@linkcode SingleCollectionWrapper}. */
export interface SingleCollectionWrapperOptions {
  /** The inner collection that holds everything. */
  collection: string;
  /** The collection of calls that name none. @default {"default_collection"} */
  defaultCollection?: string;
  /** Joins a collection and a key into an inner key. @default {"__"} */
  separator?: string;
}

/**
 * Stores every entry in one inner collection, under the key
 * `collection__key` (py-key-value's layout), for backends where collections
 * are costly (one table or index each).
 *
 * A collection name that contains the separator is refused with
 * `InvalidKeyError`, so every inner key maps back to exactly one
 * (collection, key); keys may contain it freely.
 *
 * - `keys()` lists one collection's keys; `collections()` lists the
 *   collections that hold entries; `destroyCollection()` deletes one
 *   collection's entries; `destroy()` deletes every entry this wrapper's
 *   layout holds. All four list the inner collection's keys, so they exist
 *   when the inner store has `keys()`.
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
 * assert.deepEqual(await store.keys!({ collection: "c1" }), ["a__b"]);
 * await assert.rejects(store.put("k", { n: 1 }, { collection: "x__y" }));
 * ```
 */
export class SingleCollectionWrapper extends MappingWrapper {
  readonly #collection: string;
  readonly #default: string;
  readonly #separator: string;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The inner collection, the default collection and the separator.
   * @throws {TypeError} When an option is empty or the default collection contains the separator.
   */
  constructor(inner: AsyncKeyValue, options: SingleCollectionWrapperOptions) {
    super(
      inner,
      mappedCapabilities(inner, {
        keys: ["keys"],
        collections: ["keys"],
        destroyCollection: ["keys"],
        destroy: ["keys"],
        cull: ["cull"],
        putIfAbsent: ["putIfAbsent"],
      }),
    );
    const context = "create SingleCollectionWrapper";
    const separator = options?.separator ?? SEPARATOR;
    if (typeof separator !== "string" || separator === "") {
      throw new TypeError(`Cannot ${context}: separator must be a non-empty string`);
    }
    this.#separator = separator;
    if (typeof options.collection !== "string" || options.collection === "") {
      throw new TypeError(`Cannot ${context}: collection must be a non-empty string`);
    }
    this.#collection = options.collection;
    this.#default = checkPrefix(
      options.defaultCollection ?? DEFAULT_COLLECTION,
      "defaultCollection",
      context,
      separator,
    );
  }

  /** Every inner collection is the single one. */
  protected innerCollection(_collection: string | undefined): string {
    return this.#collection;
  }

  /** Inner keys are `collection__key`. */
  protected innerKey(collection: string | undefined, key: string): string {
    return this.#name(collection) + this.#separator + key;
  }

  #name(collection: string | undefined): string {
    if (collection === undefined) return this.#default;
    if (collection.includes(this.#separator)) {
      throw new InvalidKeyError(
        `Cannot use collection ${JSON.stringify(collection)} with SingleCollectionWrapper: ` +
          `it contains the separator ${JSON.stringify(this.#separator)}`,
        { extraInfo: { collection, separator: this.#separator } },
      );
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
    return stripPrefix(await this.#innerKeys(), name, limit, this.#separator);
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
      const at = key.indexOf(this.#separator);
      if (at > 0) names.add(key.slice(0, at));
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
    const mine = (await this.#innerKeys()).filter((key) => key.indexOf(this.#separator) > 0);
    await this.inner.deleteMany(mine, { collection: this.#collection });
    return true;
  }
}
