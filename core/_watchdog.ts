// This module is browser compatible.
// Internal: the per-call deadline shared by TimeoutWrapper and the stores
// that bound their own commands (RedisStore, ValkeyStore).

/** The longest time between ticks, in ms: also how long the timer outlives the last call. */
const MAX_PERIOD = 50;

/**
 * The calls started between two ticks: one expiry, and one `AbortSignal`
 * made only when someone asks for it.
 */
export class WatchdogBatch {
  /** When the batch's calls expire (clock ms); set when the batch closes at a tick. */
  deadline = Infinity;
  calls: WatchedCall[] = [];
  open = 0;
  queued = false;
  #controller: AbortController | undefined;
  #signal: AbortSignal | undefined;
  #options: { readonly signal: AbortSignal } | undefined;

  /** The signal that aborts when one of this batch's calls times out. */
  get signal(): AbortSignal {
    return this.#signal ??= (this.#controller = new AbortController()).signal;
  }

  /** A frozen `{ signal }`, shared by the calls of the batch that bring no options. */
  get options(): { readonly signal: AbortSignal } {
    return this.#options ??= Object.freeze({ signal: this.signal });
  }

  abort(reason: Error): void {
    if (this.#controller !== undefined && !this.#controller.signal.aborted) {
      this.#controller.abort(reason);
    }
  }
}

/** A call in flight. */
class WatchedCall {
  done = false;
  constructor(readonly label: string, readonly reject: (error: unknown) => void) {}
}

/**
 * Rejects calls that take longer than `ms`, without a timer or a clock read
 * per call. Deadlines are measured by the clock, not by counting ticks, so
 * a busy event loop delays a timeout by at most the time it kept the timer
 * from firing, never by a multiple of it.
 *
 * While a call is in flight one timer ticks every `ms ÷ 16`, kept within
 * 4..50 ms (or `ms` when shorter than 4 ms); the calls started between two
 * ticks form a batch, which closes at the second tick with the deadline
 * `now + ms` (one clock read per tick), so every call gets at least `ms`.
 * A tick expires every batch whose deadline has passed; a call fails after
 * at least `ms` and at most `ms` plus two ticks on an idle loop. The timer
 * stops at the first tick that finds nothing in flight, so after the last
 * call it lingers at most 50 ms.
 *
 * Per call: one promise and one `then` on the watched call.
 */
export class Watchdog {
  readonly #ms: number; // each call's deadline
  readonly #period: number; // ms between ticks
  readonly #expired: (label: string) => Error;
  #current: WatchdogBatch | undefined; // the calls started since the last tick
  #queue: WatchdogBatch[] = []; // batches with a call in flight, oldest first
  #open = 0; // calls in flight
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param ms The deadline of each call, in milliseconds (> 0).
   * @param expired Makes the error a late call rejects with, from its label.
   */
  constructor(ms: number, expired: (label: string) => Error) {
    this.#ms = ms;
    this.#period = ms <= 4 ? ms : Math.min(Math.max(4, ms / 16), MAX_PERIOD);
    this.#expired = expired;
  }

  /** The batch a call started now joins; its `signal` aborts when the call times out. */
  batch(): WatchdogBatch {
    return this.#current ??= new WatchdogBatch();
  }

  /**
   * Settles like `call`, or rejects with `expired(label)` when `call` has
   * not settled by the batch's expiry (its late result is then dropped,
   * a late failure too, without an unhandled rejection).
   */
  watch<T>(batch: WatchdogBatch, call: Promise<T>, label: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = new WatchedCall(label, reject);
      batch.calls.push(entry);
      batch.open++;
      this.#open++;
      if (!batch.queued) {
        batch.queued = true;
        this.#queue.push(batch);
      }
      if (this.#timer === undefined) this.#arm();
      call.then(
        (value) => {
          if (this.#settle(batch, entry)) resolve(value);
        },
        (error) => {
          if (this.#settle(batch, entry)) reject(error);
        },
      );
    });
  }

  /** Marks a call settled; `false` when it had already timed out. */
  #settle(batch: WatchdogBatch, entry: WatchedCall): boolean {
    if (entry.done) return false;
    entry.done = true;
    this.#open--;
    // Settled calls leave the batch's list now and then, so it holds about
    // the calls in flight (and at most 64 settled ones).
    if (batch.calls.length > 2 * --batch.open + 64) {
      batch.calls = batch.calls.filter((call) => !call.done);
    }
    return true;
  }

  #arm(): void {
    this.#timer = setTimeout(this.#fire, this.#period);
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = Date.now();
    const current = this.#current;
    if (current !== undefined) {
      // Every call of this batch started before now: now + ms is late enough for all.
      current.deadline = now + this.#ms;
      this.#current = undefined;
    }
    const queue = this.#queue;
    let gone = 0;
    while (gone < queue.length) {
      const batch = queue[gone]!;
      if (batch.open > 0 && batch.deadline > now) break;
      gone++;
      batch.queued = false;
      if (batch.open > 0) this.#expire(batch);
    }
    queue.splice(0, gone);
    if (this.#open > 0) this.#arm();
  };

  #expire(batch: WatchdogBatch): void {
    const calls = batch.calls;
    batch.calls = [];
    for (const entry of calls) {
      if (entry.done) continue;
      entry.done = true;
      batch.open--;
      this.#open--;
      const error = this.#expired(entry.label);
      batch.abort(error);
      entry.reject(error);
    }
  }
}
