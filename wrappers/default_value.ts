// This module is browser compatible.
/**
 * {@linkcode DefaultValueWrapper}: answers misses with a default value.
 *
 * @example Usage
 * ```ts
 * import { DefaultValueWrapper } from "@kv/core/wrappers/default-value";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const settings = new DefaultValueWrapper(new MemoryStore(), { value: { theme: "light" } });
 * assert.deepEqual(await settings.get("ada"), { theme: "light" });
 * await settings.put("ada", { theme: "dark" });
 * assert.deepEqual(await settings.get("ada"), { theme: "dark" });
 * ```
 *
 * @module
 */

import type { AsyncKeyValue, KeyOptions, TtlEntry, Value } from "../core/protocol.ts";
import { checkOptions } from "../core/options.ts";
import { copyValue, validatedCopy } from "../core/serialization.ts";
import { validateTtl } from "../core/ttl.ts";
import { BaseWrapper } from "./base.ts";
import { defaultCollectionOf } from "./_checks.ts";

/** Options of {@linkcode DefaultValueWrapper}. */
export interface DefaultValueWrapperOptions {
  /** The value a miss returns (copied, as validated, when the wrapper is built, and on every miss). */
  value: Value;
  /** The TTL, in seconds, `ttl()` reports for a miss. @default {undefined} */
  ttl?: number;
}

/**
 * Returns a default value instead of a miss: `get`, `getMany`, `ttl` and
 * `ttlMany` answer a missing key with a fresh copy of the default (never a
 * shared object), and `ttl` reports the default's TTL. The default is never
 * written; writes, deletes and capabilities pass through.
 *
 * @example Every miss is a fresh copy
 * ```ts
 * import { DefaultValueWrapper } from "@kv/core/wrappers/default-value";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new DefaultValueWrapper(new MemoryStore(), { value: { tags: [] }, ttl: 60 });
 * const [a, b] = await store.getMany(["x", "y"]);
 * (a!.tags as string[]).push("changed");
 * assert.deepEqual(b, { tags: [] });
 * assert.deepEqual(await store.ttl("x"), [{ tags: [] }, 60]);
 * ```
 */
export class DefaultValueWrapper<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S> {
  readonly #value: Value;
  readonly #ttl: number | undefined;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The default value and its TTL.
   * @throws {TypeError} When the default is not a plain object.
   * @throws {SerializationError} When JSON cannot carry the default.
   * @throws {InvalidTTLError} When the TTL is not a positive finite number.
   * @throws {TypeError} When an option is unknown.
   */
  constructor(inner: S, options: DefaultValueWrapperOptions) {
    checkOptions("DefaultValueWrapper", options, ["value", "ttl"]);
    super(inner);
    // Copied once, as validated: no toJSON, getter or later change of the caller's object counts.
    this.#value = validatedCopy(options?.value, "create DefaultValueWrapper");
    this.#ttl = validateTtl(options.ttl, "create DefaultValueWrapper");
  }

  /** The collection of calls that name none: the inner store's default collection. */
  get defaultCollection(): string {
    return defaultCollectionOf(this.inner);
  }

  /** Reads one value, or a copy of the default. */
  override async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    return (await super.get(key, options)) ?? this.#fresh();
  }

  /** Reads many values, with a copy of the default in place of each miss. */
  override async getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(Value | undefined)[]> {
    return (await super.getMany(keys, options)).map((value) => value ?? this.#fresh());
  }

  /** Reads a value and its TTL, or a copy of the default and the default TTL. */
  override async ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    const entry = await super.ttl(key, options);
    return entry[0] === undefined ? [this.#fresh(), this.#ttl] : entry;
  }

  /** Reads many values and TTLs, with the default in place of each miss. */
  override async ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    return (await super.ttlMany(keys, options)).map((entry) =>
      entry[0] === undefined ? [this.#fresh(), this.#ttl] : entry
    );
  }

  #fresh(): Value {
    return copyValue(this.#value);
  }
}
