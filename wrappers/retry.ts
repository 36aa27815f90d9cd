// This module is browser compatible.
/**
 * {@linkcode RetryWrapper}: retries calls that fail with a transient error.
 *
 * @example Usage
 * ```ts
 * import { RetryWrapper } from "@kv/core/wrappers/retry";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new RetryWrapper(new MemoryStore(), { maxRetries: 5, initialDelay: 0.05 });
 * await store.put("k", { n: 1 });
 * assert.deepEqual(await store.get("k"), { n: 1 });
 * ```
 *
 * @module
 */

import { OperationTimeoutError, StoreConnectionError } from "../core/errors.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../core/protocol.ts";
import { InterceptWrapper, type Invocation } from "./_intercept.ts";
import { LATER, readThrough, type SyncRead, syncReadOf } from "../core/_read_now.ts";
import { checkOptions } from "../core/options.ts";

const OPTIONS = ["maxRetries", "initialDelay", "maxDelay", "exponentialBase", "jitter", "retryOn"];

/** Options of {@linkcode RetryWrapper}; delays are in seconds. */
export interface RetryWrapperOptions {
  /** Retries after the first attempt (so at most `maxRetries + 1` attempts). @default {3} */
  maxRetries?: number;
  /** The delay cap of the first retry. @default {0.1} */
  initialDelay?: number;
  /** The largest delay cap. @default {10} */
  maxDelay?: number;
  /** How much the cap grows per retry. @default {2} */
  exponentialBase?: number;
  /**
   * `true` waits a random time between 0 and the cap ("full jitter"), so
   * many clients do not retry in lockstep; `false` waits the cap. @default {true}
   */
  jitter?: boolean;
  /**
   * Which errors to retry. @default {`StoreConnectionError` and `OperationTimeoutError`}
   */
  retryOn?: (error: unknown) => boolean;
}

/** The default retry predicate: a connection failure or a timeout. */
export function isTransientError(error: unknown): boolean {
  return error instanceof StoreConnectionError || error instanceof OperationTimeoutError;
}

/**
 * Retries a call that fails with a transient error, up to `maxRetries`
 * times, waiting between attempts with exponential backoff and full jitter:
 * before retry `n` (from 0) it waits a random time in
 * `[0, min(maxDelay, initialDelay × exponentialBase^n)]`. Other errors,
 * and the last one, are thrown as they are.
 *
 * Every store reports a lost connection as `StoreConnectionError`, and
 * `TimeoutWrapper` a slow call as `OperationTimeoutError`, so the defaults
 * retry both. Note that retrying a write whose first attempt reached the
 * backend can change its answer: a retried `delete` may resolve `false`,
 * and a retried `putIfAbsent` may resolve `false` for a value it stored.
 *
 * @example Retrying a flaky store
 * ```ts
 * import { RetryWrapper } from "@kv/core/wrappers/retry";
 * import { StoreConnectionError } from "@kv/core/core/errors";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * let failures = 2;
 * class Flaky extends MemoryStore {
 *   override get(key: string) {
 *     if (failures-- > 0) return Promise.reject(new StoreConnectionError("Cannot get: reset"));
 *     return super.get(key);
 *   }
 * }
 * const store = new RetryWrapper(new Flaky(), { initialDelay: 0.001 });
 * assert.equal(await store.get("k"), undefined);
 * ```
 */
export class RetryWrapper<S extends AsyncKeyValue = AsyncKeyValue> extends InterceptWrapper<S> {
  readonly #retries: number;
  readonly #initial: number;
  readonly #max: number;
  readonly #base: number;
  readonly #jitter: boolean;
  readonly #retryOn: (error: unknown) => boolean;
  readonly #sync: SyncRead | undefined;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options How often and how long to retry.
   * @throws {RangeError} When a number is out of range.
   * @throws {TypeError} When `options` names an unknown option.
   */
  constructor(inner: S, options: RetryWrapperOptions = {}) {
    checkOptions("RetryWrapper", options, OPTIONS);
    super(inner);
    this.#retries = options.maxRetries ?? 3;
    if (!Number.isInteger(this.#retries) || this.#retries < 0) {
      throw new RangeError("Cannot create RetryWrapper: maxRetries must be a non-negative integer");
    }
    this.#initial = nonNegative(options.initialDelay ?? 0.1, "initialDelay");
    this.#max = nonNegative(options.maxDelay ?? 10, "maxDelay");
    this.#base = nonNegative(options.exponentialBase ?? 2, "exponentialBase");
    this.#jitter = options.jitter ?? true;
    this.#retryOn = options.retryOn ?? isTransientError;
    this.#sync = syncReadOf(inner);
  }

  /**
   * The longest wait, in seconds, before retry `attempt` (from 0).
   *
   * @param attempt The retry's number, from 0.
   * @returns `min(maxDelay, initialDelay × exponentialBase^attempt)`.
   */
  delayCap(attempt: number): number {
    return Math.min(this.#max, this.#initial * this.#base ** attempt);
  }

  // `get` and `put` build their Invocation only when a retry needs it: the
  // success path is the inner call and one `.catch`.

  /** Reads one value, retrying transient failures. */
  override get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    let first: Promise<Value | undefined>;
    try {
      // Over a store that answers at once, that answer is the first attempt
      // (and a throw a failed one). Wrappers above this one take the async
      // path: a retry waits.
      const value = readThrough(this.inner, this.#sync, key, options);
      if (value !== LATER) return Promise.resolve(value);
      first = this.inner.get(key, options);
    } catch (error) {
      first = Promise.reject(error);
    }
    return first.catch((error) =>
      this.#retry({ method: "get", write: false, call: (s) => s.get(key, options) }, error)
    );
  }

  /** Stores a value, retrying transient failures. */
  override put(key: string, value: Value, options?: PutOptions): Promise<void> {
    let first: Promise<void>;
    try {
      first = this.inner.put(key, value, options);
    } catch (error) {
      first = Promise.reject(error);
    }
    return first.catch((error) =>
      this.#retry({ method: "put", write: true, call: (s) => s.put(key, value, options) }, error)
    );
  }

  /**
   * Runs a call, retrying it on transient errors. The success path costs
   * one `.catch` on the inner promise; the retry loop is attached only on a
   * rejection (a synchronous throw counts as one).
   */
  protected intercept<T>(invocation: Invocation<T>): Promise<T> {
    let first: Promise<T>;
    try {
      first = invocation.call(this.inner);
    } catch (error) {
      first = Promise.reject(error);
    }
    return first.catch((error) => this.#retry(invocation, error));
  }

  async #retry<T>(invocation: Invocation<T>, error: unknown): Promise<T> {
    for (let attempt = 0;; attempt++) {
      if (attempt >= this.#retries || !this.#retryOn(error)) throw error;
      const cap = this.delayCap(attempt);
      const seconds = this.#jitter ? Math.random() * cap : cap;
      if (seconds > 0) await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      try {
        return await invocation.call(this.inner);
      } catch (next) {
        error = next;
      }
    }
  }
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== "number" || !(value >= 0) || value === Infinity) {
    throw new RangeError(
      `Cannot create RetryWrapper: ${name} must be a non-negative finite number`,
    );
  }
  return value;
}
