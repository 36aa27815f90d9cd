// This module is browser compatible.
/**
 * {@linkcode TimeoutWrapper}: fails any call that takes too long.
 *
 * @example Usage
 * ```ts
 * import { TimeoutWrapper } from "@kv/core/wrappers/timeout";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new TimeoutWrapper(new MemoryStore(), { timeout: 0.5 });
 * await store.put("k", { n: 1 });
 * assert.deepEqual(await store.get("k"), { n: 1 });
 * ```
 *
 * @module
 */

import { OperationTimeoutError } from "../core/errors.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { InterceptWrapper, type Invocation } from "./intercept.ts";

/** Options of {@linkcode TimeoutWrapper}. */
export interface TimeoutWrapperOptions {
  /** The most seconds a call may take (fractions allowed). @default {5} */
  timeout?: number;
}

/**
 * Rejects a call with `OperationTimeoutError` when the inner store has not
 * answered within `timeout` seconds — per call, for the protocol methods
 * and every capability (keyv#1679 asks for exactly this).
 *
 * Each call gets an `AbortSignal` in its options (`{ collection, signal }`)
 * that aborts, with the `OperationTimeoutError` as its reason, when time
 * runs out: a store that supports cancellation stops its work; the others
 * ignore the option, and their late answer is discarded. The timer is
 * cleared as soon as the call settles, so nothing lingers or keeps a
 * process alive.
 *
 * Stack it under a `RetryWrapper` to retry slow calls, and under a
 * `FallbackWrapper` to answer from another store.
 *
 * @example A slow store times out
 * ```ts
 * import { TimeoutWrapper } from "@kv/core/wrappers/timeout";
 * import { OperationTimeoutError } from "@kv/core/core/errors";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class SlowStore extends MemoryStore {
 *   override async get(key: string) {
 *     await new Promise((resolve) => setTimeout(resolve, 200));
 *     return await super.get(key);
 *   }
 * }
 * const store = new TimeoutWrapper(new SlowStore(), { timeout: 0.05 });
 * await assert.rejects(store.get("k"), OperationTimeoutError);
 * ```
 */
export class TimeoutWrapper extends InterceptWrapper {
  readonly #ms: number;
  readonly #seconds: number;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The timeout.
   * @throws {RangeError} When the timeout is not a positive finite number.
   */
  constructor(inner: AsyncKeyValue, options: TimeoutWrapperOptions = {}) {
    super(inner);
    const seconds = options.timeout ?? 5;
    if (typeof seconds !== "number" || !(seconds > 0) || seconds === Infinity) {
      throw new RangeError(
        `Cannot create TimeoutWrapper: timeout must be a positive number of seconds: received ${seconds}`,
      );
    }
    this.#seconds = seconds;
    this.#ms = seconds * 1000;
  }

  /** The timeout in seconds. */
  get timeout(): number {
    return this.#seconds;
  }

  /** Runs a call under the deadline. */
  protected intercept<T>(invocation: Invocation<T>): Promise<T> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new OperationTimeoutError(
          `Cannot ${invocation.method} through TimeoutWrapper: no answer within ${this.#seconds} s`,
          { extraInfo: { operation: invocation.method, timeout: this.#seconds } },
        );
        controller.abort(error);
        reject(error);
      }, this.#ms);
    });
    let call: Promise<T>;
    try {
      call = invocation.call(this.inner, controller.signal);
    } catch (error) {
      clearTimeout(timer);
      return Promise.reject(error);
    }
    // A call that loses the race may still fail later; that failure is moot.
    call.catch(() => {});
    return Promise.race([call, deadline]).finally(() => clearTimeout(timer));
  }
}
