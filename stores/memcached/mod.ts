/**
 * {@linkcode MemcachedStore}: a store on memcached through memjs, in
 * py-key-value's layout (the v1 envelope under the compound key
 * `collection::key`).
 *
 * @example Usage
 * ```ts ignore
 * import { MemcachedStore } from "@kv/core/stores/memcached";
 * import assert from "node:assert/strict";
 *
 * await using store = new MemcachedStore({ url: "127.0.0.1:11211" });
 * await store.put("session", { user: "ada" }, { ttl: 30, collection: "sessions" });
 * assert.deepEqual(await store.get("session", { collection: "sessions" }), { user: "ada" });
 * ```
 *
 * @module
 */

// memjs: a maintained pure-JavaScript memcached client (binary protocol,
// SASL, several servers) that runs under Node, Deno and Bun.
import { Client } from "memjs";
import { BaseStore, type BaseStoreOptions, type StoreOperation } from "../../core/base_store.ts";
import { dumpEnvelope, type Entry, loadEnvelope } from "../../core/envelope.ts";
import {
  DeserializationError,
  KeyValueError,
  KeyValueStoreError,
  StoreConnectionError,
  ValueTooLargeError,
} from "../../core/errors.ts";
import { memcachedExpiry, memcachedKey } from "./_keys.ts";

/** What the store needs of a memjs `Client` (a memjs client fits). */
export interface MemcachedClient {
  /** Reads a key. */
  get(key: string): Promise<{ value: Uint8Array | null; flags?: unknown }>;
  /** Writes a key. */
  set(key: string, value: string, options?: { expires?: number }): Promise<boolean | null>;
  /** Deletes a key; `true` if it existed. */
  delete(key: string): Promise<boolean | null>;
  /** Closes the connections now. */
  close(): void;
}

/** Options of {@linkcode MemcachedStore}. */
export interface MemcachedStoreOptions
  extends Omit<BaseStoreOptions, "collectionSanitizationStrategy"> {
  /**
   * The servers, as memjs takes them: `[user:pass@]host[:port]`, several
   * separated by commas; a `memcached://` scheme is accepted and dropped.
   * @default {"localhost:11211"}
   */
  url?: string;
  /** A memjs client you built; never closed by the store. Excludes `url`. */
  client?: MemcachedClient;
  /** memjs options merged over the store's defaults when it creates the client. */
  clientOptions?: Record<string, unknown>;
  /**
   * Put before every compound key (`prefix + collection::key`), to give one
   * application its own names on a shared server. Keep it empty to share
   * data with py-key-value. @default {""}
   */
  prefix?: string;
}

const decoder = new TextDecoder();

/**
 * A store on memcached through memjs.
 *
 * **Names.** An entry lives under `prefix + collection::key` when memcached
 * can hold that (at most 250 UTF-8 bytes, no spaces or control characters),
 * and otherwise under `H_` + the SHA-256 hex of it (66 bytes), so any key or
 * collection works and names never collide. For a Python service using
 * py-key-value, pass py-key-value's strategy,
 * `keySanitizationStrategy: new MemcachedV1KeySanitizationStrategy()`
 * (from `@kv/core/stores/memcached/sanitization`): names then match py-key-value's
 * (over 240 characters hashed), and a name that memcached still cannot hold
 * is an `InvalidKeyError`.
 *
 * **Values** are the v1 envelope JSON. memcached's item limit (1 MB by
 * default) applies to it; a larger one is a `ValueTooLargeError`.
 *
 * **TTL.** memcached expires items in whole seconds: the store sends the
 * TTL rounded up (never shorter than asked), as a Unix time when it is more
 * than 30 days away (memcached would read a larger relative number as a
 * date in 1970 and drop the item at once), and checks the envelope's
 * `expires_at` on every read, so expiry is exact to the millisecond.
 *
 * **Batches.** `getMany`, `putMany` and `deleteMany` send every request at
 * once over memjs's connection, so a batch costs one round trip of latency.
 *
 * **No enumeration, no destroy.** memcached cannot list keys, and its only
 * bulk delete, `flush_all`, empties the whole server, other applications'
 * items included; so this store has no `keys()`, `collections()`,
 * `destroyCollection()` or `destroy()`. It has no `putIfAbsent()` either:
 * an entry whose sub-second TTL has passed can linger in memcached until the
 * next whole second, and memjs offers no compare-and-swap to replace it
 * atomically.
 *
 * **Errors.** A server that is down or silent rejects operations with
 * `StoreConnectionError` (memjs gives up after 2 attempts with a 2 s
 * timeout each), and memjs reconnects by itself on the next operation.
 *
 * @example Interoperating with py-key-value
 * ```ts ignore
 * import { MemcachedStore } from "@kv/core/stores/memcached";
 * import { MemcachedV1KeySanitizationStrategy } from "@kv/core/stores/memcached/sanitization";
 * import assert from "node:assert/strict";
 *
 * await using store = new MemcachedStore({
 *   url: "127.0.0.1:11211",
 *   keySanitizationStrategy: new MemcachedV1KeySanitizationStrategy(),
 * });
 * await store.put("k", { n: 1 }, { collection: "shared", ttl: 60 });
 * assert.deepEqual(await store.get("k", { collection: "shared" }), { n: 1 });
 * ```
 */
export class MemcachedStore extends BaseStore {
  readonly #client: MemcachedClient;
  readonly #owned: boolean;
  readonly #prefix: string;
  #closed = false;

  /**
   * Creates the store; memjs connects on first use.
   *
   * @param options See {@linkcode MemcachedStoreOptions}.
   * @throws {TypeError} When both `client` and `url` are given, or `prefix` is not a string.
   */
  constructor(options: MemcachedStoreOptions = {}) {
    super(options);
    const prefix = options.prefix ?? "";
    if (typeof prefix !== "string") {
      throw new TypeError("Cannot create MemcachedStore: prefix must be a string");
    }
    this.#prefix = prefix;
    if (options.client !== undefined) {
      if (options.url !== undefined) {
        throw new TypeError("Cannot create MemcachedStore: give either a client or a url");
      }
      this.#client = options.client;
      this.#owned = false;
    } else {
      const servers = (options.url ?? "localhost:11211").replace(/^memcached?:\/\//i, "");
      this.#client = Client.create(servers, {
        timeout: 2,
        conntimeout: 2,
        retries: 2,
        retry_delay: 0.2,
        keepAlive: true,
        logger: { log() {} },
        ...options.clientOptions,
      }) as unknown as MemcachedClient;
      this.#owned = true;
    }
  }

  /** Reads one entry. */
  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    return (await this.getEntries(collection, [key]))[0];
  }

  /** Reads many entries, all requests sent at once. */
  protected override async getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    const names = keys.map((key) => this.#name(collection, key, "get"));
    const replies = await this.#run(
      "get",
      () => Promise.all(names.map((n) => this.#client.get(n))),
    );
    return replies.map(({ value }, i) => this.#decode(value, names[i]!));
  }

  /** Writes one entry with its expiry in seconds (rounded up). */
  protected putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    return this.putEntries(collection, [key], [entry]);
  }

  /** Writes many entries, all requests sent at once, in order (the last of a repeated key wins). */
  protected override async putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    const names = keys.map((key) => this.#name(collection, key, "put"));
    const now = Date.now();
    await this.#run("put", () =>
      Promise.all(names.map((name, i) => {
        const entry = entries[i]!;
        const expires = memcachedExpiry(entry.expiresAt, now);
        return this.#client.set(name, dumpEnvelope(entry, keys[i]!, collection), { expires });
      })));
  }

  /** Deletes one entry. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    return (await this.deleteEntries(collection, [key])) > 0;
  }

  /** Deletes many entries, all requests sent at once. */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    const names = [...new Set(keys)].map((key) => this.#name(collection, key, "delete"));
    const results = await this.#run(
      "delete",
      () => Promise.all(names.map((name) => this.#client.delete(name))),
    );
    return results.filter((deleted) => deleted === true).length;
  }

  /** Closes the client if the store created it; a client passed in is left open. */
  close(): Promise<void> {
    if (this.#owned && !this.#closed) {
      this.#closed = true;
      this.#client.close();
    }
    return Promise.resolve();
  }

  /** Same as {@linkcode MemcachedStore.prototype.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #name(collection: string, key: string, operation: StoreOperation): string {
    const compound = `${this.#prefix}${collection}::${key}`;
    return memcachedKey(compound, this.keySanitizationStrategy, this.context(operation));
  }

  #decode(value: Uint8Array | null, name: string): Entry | undefined {
    if (value === null || value === undefined) return undefined;
    try {
      return loadEnvelope(decoder.decode(value));
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new DeserializationError(
        `Cannot ${this.context("get")}: the value of ${
          JSON.stringify(name)
        } is not a valid entry: ${reason}`,
        { extraInfo: { name }, cause },
      );
    }
  }

  async #run<T>(operation: StoreOperation, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toStoreError(error, this.context(operation));
    }
  }
}

// memjs reports server replies as "MemJS <OP>: <status>" and everything else
// (refused, reset, timed out, no servers) as socket errors.
function toStoreError(error: unknown, context: string): Error {
  if (error instanceof KeyValueError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const reply = /^MemJS [A-Z]+: (.*)$/.exec(message);
  if (reply === null || /Authentication|Busy|Temporary failure/.test(reply[1]!)) {
    return new StoreConnectionError(`Cannot ${context}: server unreachable: ${message}`, {
      cause: error,
    });
  }
  if (/Value too large/.test(reply[1]!)) {
    return new ValueTooLargeError(`Cannot ${context}: memcached refused the value: too large`, {
      cause: error,
    });
  }
  return new KeyValueStoreError(`Cannot ${context}: ${message}`, { cause: error });
}
