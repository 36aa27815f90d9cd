// This module is browser compatible.
/**
 * {@linkcode TTLClampWrapper}: keeps every write's TTL within bounds.
 *
 * @example Usage
 * ```ts
 * import { TTLClampWrapper } from "@kv/core/wrappers/ttl-clamp";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new TTLClampWrapper(new MemoryStore(), { maxTtl: 60, missingTtl: 30 });
 * await store.put("k", { n: 1 }, { ttl: 3600 });
 * const [, ttl] = await store.ttl("k");
 * assert.ok(ttl !== undefined && ttl <= 60);
 * ```
 *
 * @module
 */

import type { AsyncKeyValue, PutOptions, Value } from "../core/protocol.ts";
import { validateTtl } from "../core/ttl.ts";
import { BaseWrapper } from "./base.ts";
import { checkOptions } from "../core/options.ts";
import { checkTtl, defaultCollectionOf } from "./_checks.ts";

/** Options of {@linkcode TTLClampWrapper}; every TTL is in seconds. */
export interface TTLClampWrapperOptions {
  /** The smallest TTL a write gets; shorter TTLs are raised to it. @default {no minimum} */
  minTtl?: number;
  /** The largest TTL a write gets; longer TTLs are lowered to it. @default {no maximum} */
  maxTtl?: number;
  /**
   * The TTL of a write that gives none (clamped like any other); `undefined`
   * keeps such entries forever. @default {undefined}
   */
  missingTtl?: number;
}

/**
 * Clamps the TTL of every write (`put`, `putMany`, `putIfAbsent`) to
 * `[minTtl, maxTtl]`, and gives writes without a TTL `missingTtl`. A TTL is
 * validated before it is clamped, so a bad TTL is still an `InvalidTTLError`.
 * Reads, deletes and capabilities pass through.
 *
 * @example A floor and a default
 * ```ts
 * import { TTLClampWrapper } from "@kv/core/wrappers/ttl-clamp";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new TTLClampWrapper(new MemoryStore(), { minTtl: 10, missingTtl: 100 });
 * await store.put("short", { n: 1 }, { ttl: 1 });
 * await store.put("forever", { n: 2 });
 * const [, a] = await store.ttl("short");
 * const [, b] = await store.ttl("forever");
 * assert.ok(a! > 9 && a! <= 10);
 * assert.ok(b! > 99 && b! <= 100);
 * ```
 */
export class TTLClampWrapper<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S> {
  readonly #min: number;
  readonly #max: number;
  readonly #missing: number | undefined;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The bounds and the default TTL.
   * @throws {InvalidTTLError} When a bound is not a positive finite number.
   * @throws {RangeError} When `minTtl` exceeds `maxTtl`.
   * @throws {TypeError} When an option is unknown.
   */
  constructor(inner: S, options: TTLClampWrapperOptions = {}) {
    checkOptions("TTLClampWrapper", options, ["minTtl", "maxTtl", "missingTtl"]);
    super(inner);
    const context = "create TTLClampWrapper";
    this.#min = validateTtl(options.minTtl, context) ?? 0;
    this.#max = validateTtl(options.maxTtl, context) ?? Infinity;
    this.#missing = validateTtl(options.missingTtl, context);
    if (this.#min > this.#max) {
      throw new RangeError(`Cannot ${context}: minTtl ${this.#min} exceeds maxTtl ${this.#max}`);
    }
  }

  /** The collection of calls that name none: the inner store's default collection. */
  get defaultCollection(): string {
    return defaultCollectionOf(this.inner);
  }

  /**
   * The TTL a write with `ttl` gets.
   *
   * @param ttl The TTL the caller gave.
   * @returns The clamped TTL, or `undefined` for no expiry.
   * @throws {InvalidTTLError} When `ttl` is not a valid TTL.
   */
  clamp(ttl: number | null | undefined): number | undefined {
    const seconds = checkTtl(ttl, this.context("put")) ?? this.#missing;
    if (seconds === undefined) return undefined;
    return Math.min(this.#max, Math.max(this.#min, seconds));
  }

  // No async functions: the inner promise is returned as it is, and a
  // refused TTL or options object becomes a rejection, as before.

  /** Stores a value with its TTL clamped. */
  override put(key: string, value: Value, options?: PutOptions): Promise<void> {
    try {
      return super.put(key, value, this.#clamped(options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Stores many values with their TTL clamped. */
  override putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    try {
      return super.putMany(keys, values, this.#clamped(options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Backs `putIfAbsent()` with the TTL clamped. */
  protected override doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    try {
      return super.doPutIfAbsent(key, value, this.#clamped(options));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #clamped(options: PutOptions | undefined): PutOptions {
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw new TypeError(`Cannot ${this.context("put")}: options must be an object`);
    }
    return { ...options, ttl: this.clamp(options?.ttl) };
  }
}
