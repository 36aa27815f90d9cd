// This module is browser compatible.
/**
 * {@linkcode LimitSizeWrapper}: refuses (or drops) values outside a size range.
 *
 * @example Usage
 * ```ts
 * import { LimitSizeWrapper } from "@kv/core/wrappers/limit-size";
 * import { EntryTooLargeError } from "@kv/core/core/errors";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new LimitSizeWrapper(new MemoryStore(), { maxSize: 100 });
 * await store.put("small", { text: "hi" });
 * await assert.rejects(store.put("big", { text: "x".repeat(200) }), EntryTooLargeError);
 * ```
 *
 * @module
 */

import { EntryTooLargeError, EntryTooSmallError } from "../core/errors.ts";
import type { AsyncKeyValue, PutOptions, Value } from "../core/protocol.ts";
import { BaseWrapper } from "./base.ts";
import { checkOptions } from "../core/options.ts";
import { checkPut, checkPutMany, defaultCollectionOf } from "./_checks.ts";

/** Options of {@linkcode LimitSizeWrapper}; sizes are bytes of compact UTF-8 JSON. */
export interface LimitSizeWrapperOptions {
  /** The smallest size stored. @default {no minimum} */
  minSize?: number;
  /** The largest size stored. @default {no maximum} */
  maxSize?: number;
  /** `true` rejects a too-small value with `EntryTooSmallError`; `false` drops it. @default {false} */
  raiseOnTooSmall?: boolean;
  /** `true` rejects a too-large value with `EntryTooLargeError`; `false` drops it. @default {true} */
  raiseOnTooLarge?: boolean;
}

const encoder = new TextEncoder();
const OPTIONS = ["minSize", "maxSize", "raiseOnTooSmall", "raiseOnTooLarge"];

/**
 * Keeps values whose size lies in `[minSize, maxSize]`. The size is the
 * number of UTF-8 bytes of the value's compact JSON — bytes, not
 * characters, so `"é"` counts 2 and an emoji 4, as a backend's limit does.
 *
 * - `put` and `putIfAbsent` of an out-of-range value reject (with
 *   `EntryTooLargeError`/`EntryTooSmallError`, carrying size, limit,
 *   collection and key) or are dropped silently (`putIfAbsent` then
 *   resolves `false`).
 * - `putMany` checks the whole batch first: when raising, nothing is
 *   written; when dropping, only the in-range items are written.
 * - The size is measured on the copy of the value validated at the call,
 *   and that copy is what is stored, so a `toJSON`, a getter or a Proxy
 *   cannot make the measured value differ from the stored one.
 * - Reads, deletes and the other capabilities pass through.
 *
 * @example Dropping instead of raising
 * ```ts
 * import { LimitSizeWrapper } from "@kv/core/wrappers/limit-size";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new LimitSizeWrapper(new MemoryStore(), { maxSize: 20, raiseOnTooLarge: false });
 * await store.putMany(["a", "b"], [{ s: "ok" }, { s: "far too long for the limit" }]);
 * assert.deepEqual(await store.getMany(["a", "b"]), [{ s: "ok" }, undefined]);
 * ```
 */
export class LimitSizeWrapper<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S> {
  readonly #min: number;
  readonly #max: number;
  readonly #raiseSmall: boolean;
  readonly #raiseLarge: boolean;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The size range and what to do outside it.
   * @throws {RangeError} When a size is not a non-negative integer, or `minSize > maxSize`.
   * @throws {TypeError} When an option is unknown.
   */
  constructor(inner: S, options: LimitSizeWrapperOptions = {}) {
    checkOptions("LimitSizeWrapper", options, OPTIONS);
    super(inner);
    this.#min = checkSize(options.minSize, 0, "minSize");
    this.#max = checkSize(options.maxSize, Infinity, "maxSize");
    if (this.#min > this.#max) {
      throw new RangeError(`Cannot create LimitSizeWrapper: minSize exceeds maxSize`);
    }
    this.#raiseSmall = options.raiseOnTooSmall ?? false;
    this.#raiseLarge = options.raiseOnTooLarge ?? true;
  }

  /** The collection of calls that name none: the inner store's default collection. */
  get defaultCollection(): string {
    return defaultCollectionOf(this.inner);
  }

  /** Stores a value when its size is in range. */
  override async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const call = checkPut(key, value, options, this.context("put"));
    if (this.#fits(call.value, call.collection, key)) {
      await this.inner.put(key, call.value, call.options);
    }
  }

  /** Stores the values whose size is in range. */
  override async putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const call = checkPutMany(keys, values, options, this.context("put"));
    const fit = call.values.map((value, i) => this.#fits(value, call.collection, call.keys[i]!));
    if (fit.every(Boolean)) return await this.inner.putMany(call.keys, call.values, call.options);
    const keep = call.keys.filter((_, i) => fit[i]);
    if (keep.length === 0) return;
    await this.inner.putMany(keep, call.values.filter((_, i) => fit[i]), call.options);
  }

  /** Backs `putIfAbsent()`: `false` for a value dropped for its size. */
  protected override async doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    const call = checkPut(key, value, options, this.context("put"));
    if (!this.#fits(call.value, call.collection, key)) return false;
    return await super.doPutIfAbsent(key, call.value, call.options);
  }

  #fits(value: Value, collection: string | undefined, key: string): boolean {
    const size = encoder.encode(JSON.stringify(value)).byteLength;
    if (size < this.#min) {
      if (!this.#raiseSmall) return false;
      throw new EntryTooSmallError(
        `Cannot ${
          this.context("put")
        }: the value of ${key} is ${size} bytes, below the minimum of ${this.#min}`,
        { extraInfo: { size, minSize: this.#min, collection, key } },
      );
    }
    if (size > this.#max) {
      if (!this.#raiseLarge) return false;
      throw new EntryTooLargeError(
        `Cannot ${
          this.context("put")
        }: the value of ${key} is ${size} bytes, above the maximum of ${this.#max}`,
        { extraInfo: { size, maxSize: this.#max, collection, key } },
      );
    }
    return true;
  }
}

function checkSize(size: unknown, fallback: number, name: string): number {
  if (size === undefined) return fallback;
  if (typeof size !== "number" || !Number.isInteger(size) || size < 0) {
    throw new RangeError(`Cannot create LimitSizeWrapper: ${name} must be a non-negative integer`);
  }
  return size;
}
