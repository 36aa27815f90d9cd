// This module is browser compatible.
/**
 * {@linkcode TransformWrapper}: the base of wrappers that change values on
 * the way in and out, such as compression and encryption.
 *
 * @example Usage
 * ```ts
 * import { TransformWrapper } from "./_transform.ts";
 * import type { Value } from "@kv/core/core/protocol";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class Boxed extends TransformWrapper {
 *   protected encode(value: Value): Promise<Value> {
 *     return Promise.resolve({ box: value });
 *   }
 *   protected decode(stored: Value): Promise<Value | undefined> {
 *     return Promise.resolve(stored.box as Value);
 *   }
 * }
 *
 * const inner = new MemoryStore();
 * const store = new Boxed(inner);
 * await store.put("k", { n: 1 });
 * assert.deepEqual(await inner.get("k"), { box: { n: 1 } });
 * assert.deepEqual(await store.get("k"), { n: 1 });
 * ```
 *
 * @module
 */

import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { BaseWrapper } from "./base.ts";
import { checkPut, checkPutMany, defaultCollectionOf } from "./_checks.ts";

/**
 * A wrapper that stores `encode(value)` instead of each value and returns
 * `decode(stored)` on every read. Values are checked (plain, JSON-safe
 * objects; valid key, collection and TTL) before `encode` sees them, so bad
 * input gets a store's usual errors. `encode` receives a private copy of the
 * value, validated and taken synchronously at the call (as are the keys of
 * a batch and the options), so `encode` may await and may serialize it: the
 * caller's object is never read again, and no `toJSON`, getter or Proxy of
 * it is ever consulted. `decode` may resolve `undefined` to
 * turn an unreadable stored value into a miss. Other capabilities pass
 * through.
 *
 * @example Refusing bad input before encoding
 * ```ts
 * import { TransformWrapper } from "./_transform.ts";
 * import type { Value } from "@kv/core/core/protocol";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class Identity extends TransformWrapper {
 *   protected encode(value: Value): Promise<Value> {
 *     return Promise.resolve(value);
 *   }
 *   protected decode(stored: Value): Promise<Value | undefined> {
 *     return Promise.resolve(stored);
 *   }
 * }
 * await assert.rejects(new Identity(new MemoryStore()).put("k", { d: new Date() }));
 * ```
 *
 * @internal Not exported by the package: the base of some public wrappers.
 */
export abstract class TransformWrapper<S extends AsyncKeyValue = AsyncKeyValue>
  extends BaseWrapper<S> {
  /**
   * The stored form of a value.
   *
   * @param value A validated private copy of the caller's value.
   * @returns What the inner store keeps.
   */
  protected abstract encode(value: Value): Promise<Value>;

  /**
   * The value of a stored form.
   *
   * @param stored What the inner store returned.
   * @returns The value, or `undefined` to report a miss.
   */
  protected abstract decode(stored: Value): Promise<Value | undefined>;

  /** The collection of calls that name none: the inner store's default collection. */
  get defaultCollection(): string {
    return defaultCollectionOf(this.inner);
  }

  #decode(stored: Value | undefined): Promise<Value | undefined> | undefined {
    return stored === undefined ? undefined : this.decode(stored);
  }

  /** Reads and decodes one value. */
  override async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    return await this.#decode(await super.get(key, options));
  }

  /** Reads and decodes many values. */
  override async getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(Value | undefined)[]> {
    const values = await super.getMany(keys, options);
    return await Promise.all(values.map((value) => this.#decode(value)));
  }

  /** Reads and decodes a value with its TTL. */
  override async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    const [stored, ttl] = await super.ttl(key, options);
    const value = await this.#decode(stored);
    return value === undefined ? [undefined, undefined] : [value, ttl];
  }

  /** Reads and decodes many values with their TTLs. */
  override async ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    const entries = await super.ttlMany(keys, options);
    return await Promise.all(entries.map(async ([stored, ttl]): Promise<TtlEntry> => {
      const value = await this.#decode(stored);
      return value === undefined ? [undefined, undefined] : [value, ttl];
    }));
  }

  /** Encodes and stores a value: the copy validated at the call, never the caller's object. */
  override async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const call = checkPut(key, value, options, this.context("put"));
    await super.put(key, await this.encode(call.value), call.options);
  }

  /** Encodes and stores many values (copied and validated at the call, the whole batch first). */
  override async putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const call = checkPutMany(keys, values, options, this.context("put"));
    const encoded = await Promise.all(call.values.map((v) => this.encode(v)));
    await super.putMany(call.keys, encoded, call.options);
  }

  /** Backs `putIfAbsent()`, encoding the copy validated at the call. */
  protected override async doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    const call = checkPut(key, value, options, this.context("put"));
    return await super.doPutIfAbsent(key, await this.encode(call.value), call.options);
  }
}
