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
import {
  BASE_STORE_OPTIONS,
  BaseStore,
  type BaseStoreOptions,
  type StoreOperation,
} from "../../core/base_store.ts";
import { systemClock } from "../../core/clock.ts";
import { dumpEnvelope, type Entry } from "../../core/envelope.ts";
import { DeserializationError } from "../../core/errors.ts";
import { checkOptions } from "../../core/options.ts";
import type { KeyOptions } from "../../core/protocol.ts";
import { checkCompoundCollection, DOOM, doomOf, readEntry } from "../_shared/compound.ts";
import type { ErrorMapper } from "../_shared/errors.ts";
import { memcachedErrorMapper } from "./_errors.ts";
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
 * **Names.** py-key-value's compound key `collection::key` is not
 * injective (`a` + `b::c` and `a::b` + `c` are both `a::b::c`; `a` + `:b`
 * and `a:` + `b` are both `a:::b`), so a collection that contains `::` or
 * ends with `:` is refused with `InvalidKeyError` on every method (and as
 * `defaultCollection` or a `seed` collection); keys are free. Every read
 * checks the envelope: one whose `collection` or `key` names another pair
 * (what py-key-value writes for a refused collection, or what a lossy
 * strategy maps onto the same name) is a miss, and `delete()` leaves it
 * alone. An entry lives under `prefix + collection::key` when memcached
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
 * `expires_at` on every read, so expiry is exact to the millisecond. The
 * TTL is counted by the store's `clock`; a Unix time is then that duration
 * from the system clock, which memcached's own clock follows.
 *
 * **Batches.** `getMany` and `putMany` send every request at once over
 * memjs's connection, so a batch costs one round trip of latency;
 * `deleteMany` (and `delete`) costs two: it reads the entries first, to
 * delete only this pair's entries and to count only live ones (an entry the
 * store's `clock` has expired, which memcached may still hold, is deleted
 * and resolves `false`). memjs has no compare-and-swap delete, so a write
 * racing with a delete of the same key may be deleted with it.
 *
 * **No enumeration, no destroy.** memcached cannot list keys, and its only
 * bulk delete, `flush_all`, empties the whole server, other applications'
 * items included; so this store has no `keys()`, `collections()`,
 * `destroyCollection()` or `destroy()`. It has no `putIfAbsent()` either:
 * an entry whose sub-second TTL has passed can linger in memcached until the
 * next whole second, and memjs offers no compare-and-swap to replace it
 * atomically.
 *
 * **Errors** go through the one mapping of every store: a server that is
 * down or silent rejects operations with `StoreConnectionError` (memjs
 * gives up after 2 attempts with a 2 s timeout each, and reconnects by
 * itself on the next operation), a value over memcached's item limit with
 * `ValueTooLargeError`, anything else with `KeyValueStoreError`, each with
 * memjs's error as `cause`.
 *
 * **Options** are strict: an unknown one (`servers` for `url`, or a
 * `collectionSanitizationStrategy`, which this store does not take: the key
 * strategy applies to the compound name) is a `TypeError`.
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
  readonly #errors: ErrorMapper;
  #closed = false;

  /**
   * Creates the store; memjs connects on first use.
   *
   * @param options See {@linkcode MemcachedStoreOptions}.
   * @throws {TypeError} On an unknown option, both `client` and `url`, a `prefix` that is not a
   * string, or `clientOptions` that are not an object.
   * @throws {InvalidKeyError} When `defaultCollection` or a `seed` collection contains `::` or
   * ends with `:`.
   */
  constructor(options: MemcachedStoreOptions = {}) {
    super(strict(options), OWN_OPTIONS);
    const prefix = options.prefix ?? "";
    if (typeof prefix !== "string") {
      throw new TypeError("Cannot create MemcachedStore: prefix must be a string");
    }
    const clientOptions = options.clientOptions;
    if (
      clientOptions !== undefined &&
      (typeof clientOptions !== "object" || clientOptions === null || Array.isArray(clientOptions))
    ) {
      throw new TypeError("Cannot create MemcachedStore: clientOptions must be an object");
    }
    checkCompoundCollection(this.defaultCollection, "create MemcachedStore");
    for (const collection of Object.keys(options.seed ?? {})) {
      checkCompoundCollection(collection, "create MemcachedStore");
    }
    this.#prefix = prefix;
    this.#errors = memcachedErrorMapper((operation) => this.context(operation));
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
        ...clientOptions,
      }) as unknown as MemcachedClient;
      this.#owned = true;
    }
  }

  /** Resolves a collection and refuses one the compound key cannot keep apart. */
  protected override resolveCollection(
    options: KeyOptions | undefined,
    operation: StoreOperation,
  ): string {
    const collection = super.resolveCollection(options, operation);
    if (collection !== this.defaultCollection) {
      checkCompoundCollection(collection, this.context(operation));
    }
    return collection;
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
    return replies.map(({ value }, i) => this.#decode(value, collection, keys[i]!, names[i]!));
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
    const now = this.clock.now();
    const serverNow = systemClock.now(); // memcached's own clock, for a Unix-time expiry
    await this.#run("put", () =>
      Promise.all(names.map((name, i) => {
        const entry = entries[i]!;
        const expires = memcachedExpiry(entry.expiresAt, now, serverNow);
        return this.#client.set(name, dumpEnvelope(entry, keys[i]!, collection), { expires });
      })));
  }

  /** Deletes one entry. */
  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    return (await this.deleteEntries(collection, [key])) > 0;
  }

  /**
   * Deletes many entries: reads them (all requests at once), then deletes
   * those holding this pair's entry (all at once). An entry the clock has
   * expired is deleted but not counted; another pair's entry (its envelope
   * names it) is left alone. memjs has no compare-and-swap delete, so a
   * write racing with the delete may be deleted with it.
   */
  protected override async deleteEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<number> {
    const unique = [...new Set(keys)];
    const names = unique.map((key) => this.#name(collection, key, "delete"));
    return await this.#run("delete", async () => {
      const replies = await Promise.all(names.map((name) => this.#client.get(name)));
      const now = this.clock.now();
      const dooms = replies.map(({ value }, i) =>
        value === null || value === undefined
          ? DOOM.keep
          : doomOf(decoder.decode(value), collection, unique[i]!, now)
      );
      const results = await Promise.all(
        names.map((name, i) => dooms[i] === DOOM.keep ? false : this.#client.delete(name)),
      );
      return results.filter((deleted, i) => deleted === true && dooms[i] === DOOM.count).length;
    });
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

  // The entry stored for this pair: undefined when missing or when its
  // envelope names another pair; DeserializationError when it does not parse.
  #decode(
    value: Uint8Array | null,
    collection: string,
    key: string,
    name: string,
  ): Entry | undefined {
    if (value === null || value === undefined) return undefined;
    try {
      return readEntry(decoder.decode(value), collection, key);
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

  #run<T>(operation: StoreOperation, fn: () => Promise<T>): Promise<T> {
    return this.#errors.call(operation, fn);
  }
}

// The options of MemcachedStore beyond the shared ones.
const OWN_OPTIONS = ["url", "client", "clientOptions", "prefix"];

// Checks the options before BaseStore (which also allows a collection
// strategy, which this store does not take) and before any client.
function strict(options: MemcachedStoreOptions): MemcachedStoreOptions {
  const shared = BASE_STORE_OPTIONS.filter((name) => name !== "collectionSanitizationStrategy");
  checkOptions("MemcachedStore", options, [...shared, ...OWN_OPTIONS]);
  return options;
}
