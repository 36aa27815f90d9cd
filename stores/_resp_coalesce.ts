// Coalesces the single-key reads issued in one tick into one MGET (one per
// hash slot on a cluster). The reads of a batch are contiguous in the
// connection's command order: the store flushes the batch before it sends
// any other command, so a read is never moved after a later write. Each read
// gets its own reply, so one undecodable value fails only its own read.

import type { RespClient } from "./_resp_client.ts";
import { groupBySlot } from "./_resp_slots.ts";

// An MGET larger than this is sent at once and a new batch begins.
const MAX_BATCH = 512;

interface Waiter {
  resolve(text: unknown): void;
  reject(error: unknown): void;
}

/** Batches reads of one client; see the file comment. */
export class GetCoalescer {
  readonly #client: RespClient;
  #names: string[] = [];
  #waiters: Waiter[] = [];
  #scheduled = false;
  readonly #onTick = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  /**
   * Creates a coalescer over a client.
   *
   * @param client The client the reads go to.
   */
  constructor(client: RespClient) {
    this.#client = client;
  }

  /**
   * Queues a read of `name`, sent at the end of the tick (or by
   * {@linkcode GetCoalescer.prototype.flush}).
   *
   * @param name The full Redis key.
   * @returns Its stored text, or `null` when missing or not a string.
   */
  get(name: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#names.push(name);
      this.#waiters.push({ resolve, reject });
      if (this.#names.length >= MAX_BATCH) this.flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(this.#onTick);
      }
    });
  }

  /** Sends the queued reads now; call it before sending any other command. */
  flush(): void {
    const names = this.#names;
    if (names.length === 0) return;
    const waiters = this.#waiters;
    this.#names = [];
    this.#waiters = [];
    if (!this.#client.isCluster || names.length === 1) {
      this.#send(names, waiters);
      return;
    }
    for (const indices of groupBySlot(names)) {
      this.#send(indices.map((i) => names[i]!), indices.map((i) => waiters[i]!));
    }
  }

  #send(names: string[], waiters: Waiter[]): void {
    let sent: Promise<unknown>;
    try {
      sent = this.#client.call("MGET", names);
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      (reply) => {
        const texts = reply as unknown[];
        for (let i = 0; i < waiters.length; i++) waiters[i]!.resolve(texts[i]);
      },
      (error) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  }
}
