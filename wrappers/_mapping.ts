// This module is browser compatible.
/**
 * {@linkcode MappingWrapper}: the base of wrappers that rename keys or
 * collections.
 *
 * @example Usage
 * ```ts
 * import { MappingWrapper } from "./_mapping.ts";
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
 * const store = new UpperKeys(inner);
 * await store.put("k", { n: 1 });
 * assert.deepEqual(await inner.get("K"), { n: 1 });
 * assert.equal(store.keys, undefined); // UpperKeys does not map keys()
 * ```
 *
 * @module
 */

import { type CapabilitiesOf, capabilitiesOf, type Capability } from "../core/capabilities.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { BaseWrapper } from "./base.ts";
import { checkKey, checkKeys, optionalCollection, withCollection } from "./_checks.ts";

// The hooks of the capabilities that forward names as they are: a mapping
// wrapper offers one only when its subclass overrides the hook.
const UNMAPPED: Partial<Record<Capability, string>> = {
  keys: "doKeys",
  collections: "doCollections",
  destroyCollection: "doDestroyCollection",
  destroy: "doDestroy",
};

/** `capabilities` without those whose hook `prototype` inherits from BaseWrapper unchanged. */
function mapped(prototype: object, capabilities: readonly Capability[]): Capability[] {
  const base = BaseWrapper.prototype as unknown as Record<string, unknown>;
  const own = prototype as Record<string, unknown>;
  return capabilities.filter((name) => {
    const hook = UNMAPPED[name];
    return hook === undefined || own[hook] !== base[hook];
  });
}

/**
 * A wrapper that maps every (collection, key) to another (collection, key)
 * of the inner store. It checks each call's key and collection as a store
 * would before mapping them (a key of `5` must never become `"p__5"`), and
 * keeps any other option. Subclasses define the mapping, which must be
 * injective (two names never meet in the inner store).
 *
 * Safe by default: the eight protocol methods and `putIfAbsent()` are
 * mapped here, and `cull()` (it renames nothing) is forwarded. `keys()`,
 * `collections()`, `destroyCollection()` and `destroy()` cannot be forwarded
 * through a renaming (they would list other names, or delete other data),
 * so each is offered only when the subclass overrides its hook (`doKeys`,
 * `doCollections`, `doDestroyCollection`, `doDestroy`) and it is among the
 * constructor's `capabilities` (by default, the inner store's). Its type
 * offers `C`, by default every capability of `S`: a generic subclass that
 * does not override all four hooks names what it offers in `C`.
 *
 * @example A wrapper that lower-cases collections
 * ```ts
 * import { MappingWrapper } from "./_mapping.ts";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import { capabilitiesOf } from "@kv/core/core/capabilities";
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
 * const store = new LowerCollections(new MemoryStore());
 * await store.put("k", { n: 1 }, { collection: "Users" });
 * assert.deepEqual(await store.get("k", { collection: "USERS" }), { n: 1 });
 * assert.deepEqual(capabilitiesOf(store), ["cull", "putIfAbsent"]);
 * ```
 *
 * @internal Not exported by the package: the base of some public wrappers.
 */
export abstract class MappingWrapper<
  S extends AsyncKeyValue = AsyncKeyValue,
  C extends Capability = CapabilitiesOf<S>,
> extends BaseWrapper<S, C> {
  /** The inner collection of `collection` (`undefined`: the caller named none). */
  protected abstract innerCollection(collection: string | undefined): string | undefined;
  /** The inner key of `key` in `collection`. */
  protected abstract innerKey(collection: string | undefined, key: string): string;

  // The hot paths below avoid work a plain forward does not need: no async
  // functions (the inner promise is returned as it is, and a refused
  // argument becomes a rejection, as before), no tuple per call, and the
  // caller's options object passed on unchanged when the collection does not
  // change (it keeps any other option, such as `signal`, either way).

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param capabilities The capabilities to offer (default: the inner
   * store's); a listing or destroying one only when the subclass maps it.
   */
  constructor(inner: S, capabilities?: readonly Capability[]) {
    super(inner, mapped(new.target.prototype, capabilities ?? capabilitiesOf(inner)));
  }

  #options<T extends KeyOptions>(options: T | undefined, context: string): T | undefined {
    return this.#pass(options, optionalCollection(options, context));
  }

  #pass<T extends KeyOptions>(
    options: T | undefined,
    collection: string | undefined,
  ): T | undefined {
    const inner = this.innerCollection(collection);
    return inner === options?.collection ? options : withCollection(options, inner);
  }

  #key(key: string, options: KeyOptions | undefined, context: string): string {
    checkKey(key, context);
    return this.innerKey(optionalCollection(options, context), key);
  }

  #keys(keys: readonly string[], options: KeyOptions | undefined, context: string): string[] {
    checkKeys(keys, context);
    const collection = optionalCollection(options, context);
    return keys.map((key) => this.innerKey(collection, key));
  }

  /** Maps a get's key and collection (BaseWrapper's `get` calls it on either read path). */
  protected override readInner<R>(
    key: string,
    options: KeyOptions | undefined,
    read: (key: string, options: KeyOptions | undefined) => R,
  ): R {
    const context = this.context("get");
    checkKey(key, context);
    const collection = optionalCollection(options, context);
    return read(this.innerKey(collection, key), this.#pass(options, collection));
  }

  /** Reads many values. */
  override getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(Value | undefined)[]> {
    try {
      const context = this.context("get");
      return this.inner.getMany(
        this.#keys(keys, options, context),
        this.#options(options, context),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Reads a value with its TTL. */
  override ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    try {
      const context = this.context("ttl");
      return this.inner.ttl(this.#key(key, options, context), this.#options(options, context));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Reads many values with their TTLs. */
  override ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    try {
      const context = this.context("ttl");
      return this.inner.ttlMany(
        this.#keys(keys, options, context),
        this.#options(options, context),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Stores a value. */
  override put(key: string, value: Value, options?: PutOptions): Promise<void> {
    try {
      const context = this.context("put");
      checkKey(key, context);
      const collection = optionalCollection(options, context);
      return this.inner.put(this.innerKey(collection, key), value, this.#pass(options, collection));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Stores many values. */
  override putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    try {
      const context = this.context("put");
      const innerKeys = this.#keys(keys, options, context);
      return this.inner.putMany(innerKeys, values, this.#options(options, context));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Deletes a key. */
  override delete(key: string, options?: KeyOptions): Promise<boolean> {
    try {
      const context = this.context("delete");
      return this.inner.delete(this.#key(key, options, context), this.#options(options, context));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Deletes many keys. */
  override deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    try {
      const context = this.context("delete");
      const innerKeys = this.#keys(keys, options, context);
      return this.inner.deleteMany(innerKeys, this.#options(options, context));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Backs `putIfAbsent()` with the mapped name. */
  protected override async doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    const context = this.context("put");
    const innerKey = this.#key(key, options, context);
    return await super.doPutIfAbsent(innerKey, value, this.#options(options, context));
  }
}
