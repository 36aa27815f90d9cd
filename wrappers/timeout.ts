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
import type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../core/protocol.ts";
import { Watchdog, type WatchdogBatch } from "../core/_watchdog.ts";
import { answersNow } from "../core/_read_now.ts";
import { checkOptions } from "../core/options.ts";
import { InterceptWrapper, type Invocation } from "./_intercept.ts";

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
 * that aborts, with an `OperationTimeoutError` as its reason, when time
 * runs out: a store that supports cancellation stops its work; the others
 * ignore the option, and their late answer is discarded.
 *
 * Cost: no timer and no clock read per call, and no microtask hops after
 * one. While a call is in flight one timer ticks every `timeout` ÷ 16, kept
 * within 4..50 ms; the calls started between two ticks share one
 * `AbortSignal` and expire together, at the first tick after their
 * deadline, which is measured by the clock (one clock read per tick), not
 * by counting ticks. So a call times out after at least `timeout` and, on
 * an idle loop, at most `timeout` plus two ticks (≈ 1.125 × `timeout` up to
 * 0.8 s, `timeout` + 0.1 s above); a busy loop delays it only by the time it
 * kept the timer from firing (with the loop busy in 100 ms chunks, a 0.5 s
 * timeout fires after about 0.6 s). A call answered at once by the inner
 * store (see BaseWrapper's `get`) needs no deadline. The shared signal aborts only when one of its calls is
 * still in flight then, with the error of the first such call as its
 * reason; every late call rejects with its own error. The timer stops at
 * the first tick that finds no call in flight, so it outlives the last call
 * by at most 50 ms.
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
export class TimeoutWrapper<S extends AsyncKeyValue = AsyncKeyValue> extends InterceptWrapper<S> {
  readonly #seconds: number;
  readonly #watchdog: Watchdog;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The timeout.
   * @throws {RangeError} When the timeout is not a positive finite number.
   * @throws {TypeError} When `options` names an unknown option.
   */
  constructor(inner: S, options: TimeoutWrapperOptions = {}) {
    checkOptions("TimeoutWrapper", options, ["timeout"]);
    super(inner);
    const seconds = options.timeout ?? 5;
    if (typeof seconds !== "number" || !(seconds > 0) || seconds === Infinity) {
      throw new RangeError(
        `Cannot create TimeoutWrapper: timeout must be a positive number of seconds: received ${seconds}`,
      );
    }
    this.#seconds = seconds;
    this.#watchdog = new Watchdog(
      seconds * 1000,
      (operation) =>
        new OperationTimeoutError(
          `Cannot ${operation} through TimeoutWrapper: no answer within ${seconds} s`,
          { extraInfo: { operation, timeout: seconds } },
        ),
    );
  }

  /** The timeout in seconds. */
  get timeout(): number {
    return this.#seconds;
  }

  // `get` and `put` skip the Invocation of the other methods: one promise
  // and one `then` per call, and no options object when the caller passed none.

  /**
   * Reads one value, or rejects with `OperationTimeoutError`. An inner
   * store that answers at once (see BaseWrapper's `get`) needs no deadline:
   * its answer is this one, so wrappers above read through this one at once
   * too.
   */
  override get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    const now = this.answerNow(key, options);
    if (now !== undefined) return now;
    const batch = this.#watchdog.batch();
    let call: Promise<Value | undefined>;
    try {
      call = this.inner.get(key, withSignal(options, batch));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#watchdog.watch(batch, call, "get");
  }

  /** Stores a value, or rejects with `OperationTimeoutError`. */
  override put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const batch = this.#watchdog.batch();
    let call: Promise<void>;
    try {
      call = this.inner.put(key, value, withSignal(options, batch));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#watchdog.watch(batch, call, "put");
  }

  /** Runs a call under the deadline. */
  protected intercept<T>(invocation: Invocation<T>): Promise<T> {
    const batch = this.#watchdog.batch();
    let call: Promise<T>;
    try {
      call = invocation.call(this.inner, batch.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#watchdog.watch(batch, call, invocation.method);
  }
}

answersNow(TimeoutWrapper.prototype.get);

/** The caller's options with the batch's signal added. */
function withSignal<T extends KeyOptions>(
  options: T | undefined,
  batch: WatchdogBatch,
): T | undefined {
  if (options === undefined) return batch.options as unknown as T;
  // A malformed `options` is left as it is, for the store to refuse.
  if (typeof options !== "object" || options === null) return options;
  return { ...options, signal: batch.signal };
}
