// This module is browser compatible.
// What DenoKvStore does with its database once the base store has checked
// the call: the key layout [...prefix, collection, key], reads, writes,
// deletes and putIfAbsent's check-and-set, the listings, and the mapping of
// Deno KV's errors to the library's errors (the shared ErrorMapper).

import type { StoreOperation } from "../../core/base_store.ts";
import type { Clock } from "../../core/clock.ts";
import type { Entry } from "../../core/envelope.ts";
import { KeyValueStoreError } from "../../core/errors.ts";
import type { ErrorMapper } from "../_shared/errors.ts";
import { commitAll, readAll } from "./_atomic.ts";
import { decodeEntry, encodeEntry, expireIn } from "./_codec.ts";
import { type KvKey, MAX_COLLECTION_PART, MAX_KEY_PART, namePart } from "./_keys.ts";
import type { DenoKvLike } from "./_open.ts";
import { cullExpired, deleteUnder, isLive, scanCollections, scanKeys } from "./_scan.ts";

/** What the entries need of the store: its error context, error mapper and clock. */
export interface KvStoreContext {
  /** The store's error context of an operation ("get from DenoKvStore"). */
  context(op: StoreOperation): string;
  /** Maps Deno KV's errors. */
  readonly errors: ErrorMapper;
  /** The store's clock: every deadline is judged by it. */
  readonly clock: Clock;
}

/** The entries of one open database under a prefix. */
export class KvEntries {
  readonly #kv: DenoKvLike;
  readonly #prefix: KvKey;
  readonly #store: KvStoreContext;

  constructor(kv: DenoKvLike, prefix: KvKey, store: KvStoreContext) {
    this.#kv = kv;
    this.#prefix = prefix;
    this.#store = store;
  }

  /** Reads one entry; an envelope naming another key or collection is a miss. */
  async read(collection: string, key: string): Promise<Entry | undefined> {
    const result = await this.#run("get", () => this.#kv.get(this.#key(collection, key)));
    return decodeEntry(result.value, collection, key, this.#context("get"));
  }

  /** Reads many entries. */
  async readMany(collection: string, keys: readonly string[]): Promise<(Entry | undefined)[]> {
    const kvKeys = keys.map((key) => this.#key(collection, key));
    const results = await this.#run("get", () => readAll(this.#kv, kvKeys));
    const context = this.#context("get");
    return results.map((result, i) => decodeEntry(result.value, collection, keys[i]!, context));
  }

  /** Writes one entry with Deno KV's expiry. */
  async write(collection: string, key: string, entry: Entry): Promise<void> {
    const value = encodeEntry(entry, key, collection, this.#context("put"));
    const expire = expireIn(entry, this.#store.clock.now());
    await this.#run("put", () => this.#kv.set(this.#key(collection, key), value, expire));
  }

  /** Writes many entries in atomic operations within Deno KV's limits. */
  async writeMany(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    const now = this.#store.clock.now();
    const writes = keys.map((key, i) => ({
      key: this.#key(collection, key),
      value: encodeEntry(entries[i]!, key, collection, this.#context("put")),
      expire: expireIn(entries[i]!, now),
    }));
    await this.#run("put", () => commitAll(this.#kv, writes, () => this.#failed("put")));
  }

  /** Deletes many entries in atomic operations; counts the ones live now. */
  async removeMany(collection: string, keys: readonly string[]): Promise<number> {
    const unique = [...new Map(keys.map((key) => [key, [key, this.#key(collection, key)]]))
      .values()] as [string, KvKey][];
    const found = await this.#run("delete", () => readAll(this.#kv, unique.map(([, k]) => k)));
    const now = this.#store.clock.now();
    let live = 0;
    const existing: { key: KvKey }[] = [];
    found.forEach((result, i) => {
      if (result.versionstamp === null) return;
      existing.push({ key: result.key });
      let entry: Entry | undefined;
      try {
        entry = decodeEntry(result.value, collection, unique[i]![0], this.#context("delete"));
      } catch {
        entry = undefined;
      }
      if (entry !== undefined && isLive(entry, now)) live++;
    });
    await this.#run("delete", () => commitAll(this.#kv, existing, () => this.#failed("delete")));
    return live;
  }

  /** Writes an entry only if the key has no live entry (a versionstamp check); `true` if written. */
  async create(collection: string, key: string, entry: Entry): Promise<boolean> {
    const kvKey = this.#key(collection, key);
    const bytes = encodeEntry(entry, key, collection, this.#context("put"));
    for (;;) {
      const current = await this.#run("put", () => this.#kv.get(kvKey));
      let existing: Entry | undefined;
      try {
        existing = decodeEntry(current.value, collection, key, this.#context("put"));
      } catch {
        return false; // undecodable data is something, not nothing
      }
      const now = this.#store.clock.now();
      if (existing && isLive(existing, now)) return false;
      const op = this.#kv.atomic().check({ key: kvKey, versionstamp: current.versionstamp }).set(
        kvKey,
        bytes,
        expireIn(entry, now),
      );
      if ((await this.#run("put", () => op.commit())).ok) return true;
    }
  }

  /** The live keys of a collection, in key order, at most `limit`. */
  async keys(collection: string, limit: number | undefined): Promise<string[]> {
    const under = this.#collectionKey(collection);
    const now = this.#store.clock.now();
    return await this.#run("keys", () => scanKeys(this.#kv, this.#prefix, under, limit, now));
  }

  /** The collections holding live entries, at most `limit`. */
  async collections(limit: number | undefined): Promise<string[]> {
    const now = this.#store.clock.now();
    return await this.#run(
      "collections",
      () => scanCollections(this.#kv, this.#prefix, limit, now),
    );
  }

  /** Deletes a collection's entries; `true` if it held any. */
  async destroyCollection(collection: string): Promise<boolean> {
    const under = this.#collectionKey(collection);
    return await this.#run(
      "destroy",
      async () => (await deleteUnder(this.#kv, this.#prefix, under, false)) > 0,
    );
  }

  /** Deletes every key under the prefix, or with none, every entry-shaped key. */
  async destroy(): Promise<void> {
    const prefix = this.#prefix;
    await this.#run("destroy", () => deleteUnder(this.#kv, prefix, prefix, prefix.length > 0));
  }

  /** Deletes entries expired now and not rewritten meanwhile; how many. */
  async cull(): Promise<number> {
    const now = this.#store.clock.now();
    return await this.#run("destroy", () => cullExpired(this.#kv, this.#prefix, now));
  }

  #collectionKey(collection: string): KvKey {
    return [...this.#prefix, namePart(collection, MAX_COLLECTION_PART)];
  }

  #key(collection: string, key: string): KvKey {
    return [
      ...this.#prefix,
      namePart(collection, MAX_COLLECTION_PART),
      namePart(key, MAX_KEY_PART),
    ];
  }

  #context(op: StoreOperation): string {
    return this.#store.context(op);
  }

  #failed(op: StoreOperation): Error {
    return new KeyValueStoreError(`Cannot ${this.#context(op)}: the atomic operation failed`);
  }

  #run<T>(op: StoreOperation, body: () => Promise<T>): Promise<T> {
    return this.#store.errors.call(op, body);
  }
}
