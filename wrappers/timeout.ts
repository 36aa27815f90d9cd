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
 * that aborts, with an `OperationTimeoutError` as its reason, when time
 * runs out: a store that supports cancellation stops its work; the others
 * ignore the option, and their late answer is discarded.
 *
 * Cost: the wrapper reads no clock and starts no timer per call. While a
 * call is in flight it keeps one timer that ticks every `timeout` ÷ 16
 * (at least 4 ms, or `timeout` when shorter); the calls started between two
 * ticks share one `AbortController` and expire together, once enough ticks
 * have passed to cover the timeout. So a call times out after at least
 * `timeout` and at most `timeout` plus two ticks (≈ 1.125 × `timeout` for
 * timeouts of 64 ms and more). The shared signal aborts only when one of
 * its calls is still in flight then, with the error of the first such call
 * as its reason; every late call rejects with its own error. The timer is
 * cleared a few microtask hops after the last call settles, so nothing
 * lingers or keeps an idle process alive.
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
  readonly #period: number; // ms between ticks
  readonly #ticks: number; // ticks a call lives: the first may come at once
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
    const ms = seconds * 1000;
    // setTimeout takes at most 2^31 - 1 ms.
    this.#period = Math.min(ms <= 4 ? ms : Math.max(4, ms / 16), 2 ** 31 - 1);
    this.#ticks = Math.ceil(ms / this.#period) + 1;
  }

  /** The timeout in seconds. */
  get timeout(): number {
    return this.#seconds;
  }

  /** Runs a call under the deadline. */
  protected intercept<T>(invocation: Invocation<T>): Promise<T> {
    const batch = this.#current ??= new Batch(this.#tick + this.#ticks);
    let call: Promise<T>;
    try {
      call = invocation.call(this.inner, batch.controller.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { method: invocation.method, reject, done: false };
      this.#watch(batch, entry);
      call.then(
        (value) => {
          if (this.#finish(batch, entry)) resolve(value);
        },
        (error) => {
          // A call that lost the race may still fail later; that failure is moot.
          if (this.#finish(batch, entry)) reject(error);
        },
      );
    });
  }

  #tick = 0; // advances only while the timer runs
  #current: Batch | undefined; // the calls started since the last tick
  #queue: Batch[] = []; // batches with a call in flight, oldest first
  #open = 0; // calls in flight
  #timer: ReturnType<typeof setTimeout> | undefined;

  #watch(batch: Batch, entry: Pending): void {
    batch.calls.push(entry);
    batch.open++;
    this.#open++;
    if (!batch.queued) {
      batch.queued = true;
      this.#queue.push(batch);
    }
    this.#timer ??= setTimeout(this.#fire, this.#period);
  }

  /** Marks a call settled; `false` when it had already timed out. */
  #finish(batch: Batch, entry: Pending): boolean {
    if (entry.done) return false;
    entry.done = true;
    // Settled calls leave the batch's list, so it holds about the calls in flight.
    if (--batch.open === 0) batch.calls.length = 0;
    else if (batch.calls.length > 2 * batch.open + 64) {
      batch.calls = batch.calls.filter((call) => !call.done);
    }
    if (--this.#open === 0 && !this.#idleCheck) {
      this.#idleCheck = true;
      this.#hops = 0;
      queueMicrotask(this.#idle);
    }
    return true;
  }

  // When no call is in flight, the timer is cleared a few microtask hops
  // later rather than at once: a caller that awaits one call and starts the
  // next (the common loop) then keeps the armed timer instead of paying for
  // a clearTimeout and a setTimeout per call (≈3 µs each pair on Deno).
  #idleCheck = false;
  #hops = 0;
  readonly #idle = (): void => {
    if (this.#open > 0) {
      this.#idleCheck = false;
      return;
    }
    if (++this.#hops < IDLE_HOPS) {
      queueMicrotask(this.#idle);
      return;
    }
    this.#idleCheck = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const queued of this.#queue) {
      queued.queued = false;
      queued.calls.length = 0;
    }
    this.#queue.length = 0;
  };

  readonly #fire = (): void => {
    this.#timer = undefined;
    const tick = ++this.#tick;
    this.#current = undefined;
    const queue = this.#queue;
    let expired = 0;
    while (expired < queue.length) {
      const batch = queue[expired]!;
      if (batch.open > 0 && batch.expiry > tick) break;
      expired++;
      batch.queued = false;
      this.#expire(batch);
    }
    queue.splice(0, expired);
    if (this.#open > 0) this.#timer = setTimeout(this.#fire, this.#period);
  };

  #expire(batch: Batch): void {
    const calls = batch.calls;
    batch.calls = [];
    for (const entry of calls) {
      if (entry.done) continue;
      entry.done = true;
      batch.open--;
      this.#open--;
      const error = new OperationTimeoutError(
        `Cannot ${entry.method} through TimeoutWrapper: no answer within ${this.#seconds} s`,
        { extraInfo: { operation: entry.method, timeout: this.#seconds } },
      );
      if (!batch.controller.signal.aborted) batch.controller.abort(error);
      entry.reject(error);
    }
  }
}

/** Microtask hops an idle wrapper waits before clearing its timer. */
const IDLE_HOPS = 4;

/** A call in flight. */
interface Pending {
  readonly method: string;
  readonly reject: (error: unknown) => void;
  done: boolean;
}

/** The calls started between two ticks: one expiry, one signal. */
class Batch {
  readonly controller: AbortController = new AbortController();
  calls: Pending[] = [];
  open = 0;
  queued = false;
  constructor(readonly expiry: number) {}
}
