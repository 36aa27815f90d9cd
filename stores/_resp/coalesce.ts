// Coalesces the single-key reads issued in one tick: the first goes out at
// once as a GET, the later ones of the same tick share one MGET (one per
// hash slot on a cluster) sent at the end of the tick. So a caller that
// awaits each read pays no deferral, and 100 reads started together cost
// two commands. The reads of a batch are contiguous in the connection's
// command order: the store flushes the batch before it sends any other
// command, so a read is never moved after a later write. Each read gets its
// own reply, so one undecodable value fails only its own read.

import type { RespClient } from "./types.ts";
import { isWrongType } from "./errors.ts";
import { groupBySlot } from "./slots.ts";

// An MGET larger than this is sent at once and a new batch begins.
const MAX_BATCH = 512;

/** Turns one read's reply into its result; a throw rejects only that read. */
export type Decode<T> = (text: unknown, collection: string, key: string) => T;

interface Waiter<T> {
  readonly collection: string;
  readonly key: string;
  resolve(result: T): void;
  reject(error: unknown): void;
}

/** Batches reads of one client; see the file comment. */
export class GetCoalescer<T> {
  readonly #client: RespClient;
  readonly #decode: Decode<T>;
  readonly #fail: (error: unknown) => Error;
  #names: string[] = [];
  #waiters: Waiter<T>[] = [];
  #scheduled = false;
  #sentAlone = false; // a read of this tick went out alone
  readonly #endTick = (): void => {
    this.#sentAlone = false;
  };
  readonly #onTick = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  /**
   * Creates a coalescer over a client.
   *
   * @param client The client the reads go to.
   * @param decode Turns a stored text into a read's result (decoding here,
   * not in a `then` of the caller's, saves a promise per read).
   * @param fail Turns the error of a failed MGET or GET into each read's error.
   */
  constructor(client: RespClient, decode: Decode<T>, fail: (error: unknown) => Error) {
    this.#client = client;
    this.#decode = decode;
    this.#fail = fail;
  }

  /**
   * Reads `name`: at once when it is the first read of the tick, else
   * queued and sent at the end of the tick (or by
   * {@linkcode GetCoalescer.prototype.flush}).
   *
   * @param name The full Redis key.
   * @param collection Handed to `decode` with the key.
   * @param key Handed to `decode` with the collection.
   * @returns What `decode` makes of its stored text (`null` when missing or
   * not a string).
   */
  get(name: string, collection: string, key: string): Promise<T> {
    if (!this.#sentAlone && this.#names.length === 0) {
      this.#sentAlone = true;
      queueMicrotask(this.#endTick);
      return this.#readAlone(name, collection, key);
    }
    return new Promise((resolve, reject) => {
      this.#names.push(name);
      this.#waiters.push({ collection, key, resolve, reject });
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

  #send(names: string[], waiters: Waiter<T>[]): void {
    if (names.length === 1) {
      this.#sendOne(names, waiters[0]!);
      return;
    }
    const sent = this.#call("MGET", names);
    sent.then(
      (reply) => {
        const texts = reply as unknown[];
        for (let i = 0; i < waiters.length; i++) this.#settle(waiters[i]!, texts[i]);
      },
      (error) => {
        for (const waiter of waiters) waiter.reject(this.#fail(error));
      },
    );
  }

  // A batch of one is a GET (cheaper than an MGET for the client and the
  // server); a key of another type, which MGET reads as nil, fails GET with
  // WRONGTYPE, so that reply reads as missing too.
  #sendOne(names: string[], waiter: Waiter<T>): void {
    const sent = this.#call("GET", names);
    sent.then(
      (text) => this.#settle(waiter, text),
      (error) => {
        if (isWrongType(error)) this.#settle(waiter, null);
        else waiter.reject(this.#fail(error));
      },
    );
  }

  #readAlone(name: string, collection: string, key: string): Promise<T> {
    const sent = this.#call("GET", [name]);
    return sent.then(
      (text) => this.#decode(text, collection, key),
      (error) => {
        if (isWrongType(error)) return this.#decode(null, collection, key);
        throw this.#fail(error);
      },
    );
  }

  // Sends a command; a synchronous throw of the client becomes a rejection.
  #call(command: string, args: string[]): Promise<unknown> {
    try {
      return this.#client.call(command, args);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #settle(waiter: Waiter<T>, text: unknown): void {
    try {
      waiter.resolve(this.#decode(text, waiter.collection, waiter.key));
    } catch (error) {
      waiter.reject(error);
    }
  }
}
