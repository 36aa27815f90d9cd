// This module is browser compatible.
/**
 * {@linkcode MappingWrapper}: the base of wrappers that rename keys or
 * collections.
 *
 * @example Usage
 * ```ts
 * import { MappingWrapper } from "@kv/core/wrappers/mapping";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class UpperKeys extends MappingWrapper {
 *   protected innerCollection(collection: string | undefined): string | undefined {
 *     return collection;
 *   }
 *   protected innerKey(_collection: string | undefined, key: string): string {
 *     return key.toUpperCase();
 *   }
 * }
 *
 * const inner = new MemoryStore();
 * await new UpperKeys(inner, []).put("k", { n: 1 });
 * assert.deepEqual(await inner.get("K"), { n: 1 });
 * ```
 *
 * @module
 */

import type { KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { BaseWrapper } from "./base.ts";
import { checkKey, checkKeys, optionalCollection, withCollection } from "./_checks.ts";

/**
 * A wrapper that maps every (collection, key) to another (collection, key)
 * of the inner store. It checks each call's key and collection as a store
 * would before mapping them (a key of `5` must never become `"p__5"`), and
 * keeps any other option. Subclasses define the mapping, and pass the
 * capabilities they can build to the constructor.
 *
 * @example A wrapper that lower-cases collections
 * ```ts
 * import { MappingWrapper } from "@kv/core/wrappers/mapping";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class LowerCollections extends MappingWrapper {
 *   protected innerCollection(collection: string | undefined): string | undefined {
 *     return collection?.toLowerCase();
 *   }
 *   protected innerKey(_collection: string | undefined, key: string): string {
 *     return key;
 *   }
 * }
 *
 * const store = new LowerCollections(new MemoryStore(), []);
 * await store.put("k", { n: 1 }, { collection: "Users" });
 * assert.deepEqual(await store.get("k", { collection: "USERS" }), { n: 1 });
 * ```
 */
export abstract class MappingWrapper extends BaseWrapper {
  /** The inner collection of `collection` (`undefined`: the caller named none). */
  protected abstract innerCollection(collection: string | undefined): string | undefined;
  /** The inner key of `key` in `collection`. */
  protected abstract innerKey(collection: string | undefined, key: string): string;

  #map(key: string, options: KeyOptions | undefined, context: string): [string, KeyOptions] {
    checkKey(key, context);
    const collection = optionalCollection(options, context);
    return [
      this.innerKey(collection, key),
      withCollection(options, this.innerCollection(collection)),
    ];
  }

  #mapMany(
    keys: readonly string[],
    options: KeyOptions | undefined,
    context: string,
  ): [string[], KeyOptions] {
    checkKeys(keys, context);
    const collection = optionalCollection(options, context);
    return [
      keys.map((key) => this.innerKey(collection, key)),
      withCollection(options, this.innerCollection(collection)),
    ];
  }

  /** Reads one value. */
  override async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    return await this.inner.get(...this.#map(key, options, this.context("get")));
  }

  /** Reads many values. */
  override async getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(Value | undefined)[]> {
    return await this.inner.getMany(...this.#mapMany(keys, options, this.context("get")));
  }

  /** Reads a value with its TTL. */
  override async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    return await this.inner.ttl(...this.#map(key, options, this.context("ttl")));
  }

  /** Reads many values with their TTLs. */
  override async ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    return await this.inner.ttlMany(...this.#mapMany(keys, options, this.context("ttl")));
  }

  /** Stores a value. */
  override async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const [innerKey, innerOptions] = this.#map(key, options, this.context("put"));
    return await this.inner.put(innerKey, value, innerOptions);
  }

  /** Stores many values. */
  override async putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const [innerKeys, innerOptions] = this.#mapMany(keys, options, this.context("put"));
    return await this.inner.putMany(innerKeys, values, innerOptions);
  }

  /** Deletes a key. */
  override async delete(key: string, options?: KeyOptions): Promise<boolean> {
    return await this.inner.delete(...this.#map(key, options, this.context("delete")));
  }

  /** Deletes many keys. */
  override async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    return await this.inner.deleteMany(...this.#mapMany(keys, options, this.context("delete")));
  }

  /** Backs `putIfAbsent()` with the mapped name. */
  protected override async doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    const [innerKey, innerOptions] = this.#map(key, options, this.context("put"));
    return await super.doPutIfAbsent(innerKey, value, innerOptions);
  }
}
