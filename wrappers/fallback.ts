// This module is browser compatible.
/**
 * {@linkcode FallbackWrapper}: answers from a second store when the first is down.
 *
 * @example Usage
 * ```ts
 * import { FallbackWrapper } from "@kv/core/wrappers/fallback";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new FallbackWrapper(new MemoryStore(), { fallback: new MemoryStore() });
 * await store.put("k", { n: 1 });
 * assert.deepEqual(await store.get("k"), { n: 1 });
 * ```
 *
 * @module
 */

import { OperationTimeoutError, StoreConnectionError, StoreSetupError } from "../core/errors.ts";
import { checkOptions } from "../core/options.ts";
import type { AsyncKeyValue, KeyOptions } from "../core/protocol.ts";
import { closeStore } from "./base.ts";
import { InterceptWrapper, type Invocation, type MethodName } from "./_intercept.ts";

/** The name of the protocol method or capability a fallback happened in (see `onFallback`). */
export type { MethodName } from "./_intercept.ts";

/** Options of {@linkcode FallbackWrapper}. */
export interface FallbackWrapperOptions {
  /** The store that answers when the primary fails. */
  fallback: AsyncKeyValue;
  /**
   * Which primary errors send a call to the fallback.
   * @default {`StoreConnectionError`, `StoreSetupError` and `OperationTimeoutError`}
   */
  fallbackOn?: (error: unknown) => boolean;
  /** Send a write the primary failed to the fallback too. @default {false} */
  writeToFallback?: boolean;
  /** Called each time a call goes to the fallback, with the primary's error. */
  onFallback?: (error: unknown, method: MethodName) => void;
}

/** The default fallback predicate: the primary is unreachable, failed to set up, or too slow. */
export function isUnavailableError(error: unknown): boolean {
  return error instanceof StoreConnectionError || error instanceof StoreSetupError ||
    error instanceof OperationTimeoutError;
}

/**
 * Sends every call to the primary store (the first argument); when it fails
 * with a matching error, a read (get, getMany, ttl, ttlMany, keys,
 * collections) is made again on the fallback store. Writes go to the
 * primary only and its errors propagate, unless `writeToFallback` is set,
 * in which case a failed write is made on the fallback instead. Errors
 * that do not match — bad input, corrupted data — are never hidden.
 *
 * Capabilities are the primary's; a capability call goes to the fallback
 * only when the fallback has it too. `close()` closes both stores.
 *
 * A call that names no collection is made on both stores with the
 * primary's default collection (its `defaultCollection`), so the fallback
 * reads and writes the same entries whatever its own default. A write's
 * value is copied and validated at the call, and the fallback is given that
 * copy: the caller's object is never read again.
 *
 * @example A primary that is down
 * ```ts
 * import { FallbackWrapper } from "@kv/core/wrappers/fallback";
 * import { StoreConnectionError } from "@kv/core/core/errors";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class Down extends MemoryStore {
 *   override get(): never {
 *     throw new StoreConnectionError("Cannot get from Down: refused");
 *   }
 * }
 * const backup = new MemoryStore();
 * await backup.put("k", { from: "backup" });
 * const store = new FallbackWrapper(new Down(), { fallback: backup });
 * assert.deepEqual(await store.get("k"), { from: "backup" });
 * ```
 */
export class FallbackWrapper<S extends AsyncKeyValue = AsyncKeyValue> extends InterceptWrapper<S> {
  readonly #fallback: AsyncKeyValue;
  readonly #matches: (error: unknown) => boolean;
  readonly #writes: boolean;
  readonly #onFallback: ((error: unknown, method: MethodName) => void) | undefined;

  /**
   * Creates the wrapper.
   *
   * @param primary The store that answers first.
   * @param options The fallback store and when to use it.
   * @throws {TypeError} When `fallback` is not a store, or an option is unknown.
   */
  constructor(primary: S, options: FallbackWrapperOptions) {
    checkOptions("FallbackWrapper", options, [
      "fallback",
      "fallbackOn",
      "writeToFallback",
      "onFallback",
    ]);
    super(primary);
    const fallback = options?.fallback;
    if (typeof fallback !== "object" || fallback === null || typeof fallback.get !== "function") {
      throw new TypeError("Cannot create FallbackWrapper: fallback must be an AsyncKeyValue");
    }
    this.#fallback = fallback;
    this.#matches = options.fallbackOn ?? isUnavailableError;
    this.#writes = options.writeToFallback ?? false;
    this.#onFallback = options.onFallback;
  }

  /**
   * The options of every run of a call: a copy taken at the call, naming the
   * primary's default collection when the call names none, so that the
   * fallback answers for the same collection even when its own default
   * collection differs.
   *
   * @param options The options the caller passed.
   * @returns The options both stores get.
   */
  protected override callOptions<T extends KeyOptions>(options: T | undefined): T | undefined {
    if (options !== undefined && (typeof options !== "object" || options === null)) return options;
    const named = options?.collection;
    if (named !== undefined && named !== null && named !== "") return { ...options } as T;
    return { ...options, collection: this.defaultCollection } as T;
  }

  /** Runs a call on the primary, then on the fallback when allowed. */
  protected async intercept<T>(invocation: Invocation<T>): Promise<T> {
    try {
      return await invocation.call(this.inner);
    } catch (error) {
      const fallback = this.#fallback as unknown as Record<string, unknown>;
      if (
        !this.#matches(error) || (invocation.write && !this.#writes) ||
        typeof fallback[invocation.method] !== "function"
      ) {
        throw error;
      }
      this.#onFallback?.(error, invocation.method);
      return await invocation.call(this.#fallback);
    }
  }

  /** Closes both stores. */
  override async close(): Promise<void> {
    await Promise.all([closeStore(this.inner), closeStore(this.#fallback)]);
  }
}
