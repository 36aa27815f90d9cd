// This module is browser compatible.
/**
 * {@linkcode MemoryStore}: an in-process store with a per-collection LRU.
 *
 * @example Usage
 * ```ts
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new MemoryStore({ maxEntriesPerCollection: 1_000 });
 * await store.put("session", { user: "ada" }, { ttl: 30, collection: "sessions" });
 * assert.deepEqual(await store.get("session", { collection: "sessions" }), { user: "ada" });
 * ```
 *
 * @module
 */

import { BaseStore, type BaseStoreOptions } from "../core/base_store.ts";
import type {
  Cull,
  DestroyCollection,
  DestroyStore,
  EnumerateCollections,
  EnumerateKeys,
  PutIfAbsent,
} from "../core/capabilities.ts";
import type { Entry } from "../core/envelope.ts";
import { checkOptions } from "../core/options.ts";
import { copyValue } from "../core/serialization.ts";

/** Options of {@linkcode MemoryStore}. */
export interface MemoryStoreOptions
  extends Omit<BaseStoreOptions, "keySanitizationStrategy" | "collectionSanitizationStrategy"> {
  /**
   * The most entries one collection holds; the least recently used entry is
   * evicted beyond it. Each collection has its own bound, so a busy
   * collection cannot evict another's entries. Unbounded when absent.
   */
  maxEntriesPerCollection?: number;
}

const MIN_SWEEP_INTERVAL = 1024;
const OPTIONS = ["defaultCollection", "seed", "clock", "maxEntriesPerCollection"];

/**
 * An in-process store. Values are kept as private deep copies, made when
 * put and again when read, so what you put and what you get never share
 * objects with the store. (A copy is several times faster to make than a
 * JSON round trip; it takes roughly twice the memory of the JSON text.)
 *
 * - Each collection is an LRU bounded by `maxEntriesPerCollection`; reads
 *   and writes refresh recency.
 * - Expired entries are never returned, are dropped when read or deleted
 *   (`delete` of an expired entry resolves `false`, and `deleteMany` does
 *   not count it), and are swept without a timer: once the writes since the
 *   last sweep (at least 1,024) are as many as the entries it left, or as
 *   the store holds now, one pass removes every expired entry. So the store never holds more
 *   than about twice the entries that were live at the last sweep (plus
 *   1,024), even when expired keys are never read again, under any mix of
 *   TTLs and collections, at O(1) amortized cost per write, and nothing
 *   keeps a process alive.
 * - `get` answers with one resolved promise (BaseStore's `getEntryNow`
 *   hook), and so do wrappers stacked on the store; a `get` or `getEntry`
 *   replaced on the instance, or a subclass's own, is always called instead.
 * - Capabilities: keys, collections, destroyCollection, destroy, cull and
 *   putIfAbsent (atomic, since JavaScript runs it without interleaving).
 * - Options: `maxEntriesPerCollection`, `defaultCollection`, `seed`,
 *   `clock` (TTL deadlines are read from it); any other (sanitization
 *   strategies included: every name fits) is a `TypeError`.
 *
 * @example Seeding and listing
 * ```ts
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new MemoryStore({ seed: { users: { ada: { admin: true } } } });
 * assert.deepEqual(await store.keys({ collection: "users" }), ["ada"]);
 * assert.equal(await store.putIfAbsent("ada", { admin: false }, { collection: "users" }), false);
 * ```
 */
export class MemoryStore extends BaseStore {
  readonly #max: number;
  /** Per collection, per key: the entry as written (its value a private copy, see acceptValue). */
  readonly #collections = new Map<string, Map<string, Entry>>();
  #size = 0;
  #writesSinceSweep = 0;
  #sweptSize = 0; // the entries the last sweep left
  #expiringWrites = 0;

  /** Creates the instance. @param options See {@linkcode MemoryStoreOptions}. */
  constructor(options: MemoryStoreOptions = {}) {
    checkOptions("MemoryStore", options, OPTIONS);
    super(options, ["maxEntriesPerCollection"]);
    const max = options.maxEntriesPerCollection ?? Infinity;
    if (!(max === Infinity || (Number.isInteger(max) && max > 0))) {
      throw new RangeError(
        `Cannot create MemoryStore: maxEntriesPerCollection must be a positive integer: received ${max}`,
      );
    }
    this.#max = max;
  }

  /** How many entries the store physically holds, expired ones not yet swept included. */
  get size(): number {
    return this.#size;
  }

  /** Reads one entry. */
  protected getEntry(collection: string, key: string): Promise<Entry | undefined> {
    return Promise.resolve(this.#read(collection, key, this.clock.now()));
  }

  /** Reads one entry at once (so `get` answers with one resolved promise). */
  protected override getEntryNow(collection: string, key: string, now: number): Entry | undefined {
    return this.#read(collection, key, now);
  }

  /** Reads many entries. */
  protected override getEntries(
    collection: string,
    keys: readonly string[],
  ): Promise<(Entry | undefined)[]> {
    const now = this.clock.now();
    return Promise.resolve(keys.map((key) => this.#read(collection, key, now)));
  }

  /** Writes one entry. */
  protected putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    this.#write(collection, key, entry);
    return Promise.resolve();
  }

  /** Writes many entries. */
  protected override putEntries(
    collection: string,
    keys: readonly string[],
    entries: readonly Entry[],
  ): Promise<void> {
    for (let i = 0; i < keys.length; i++) this.#write(collection, keys[i]!, entries[i]!);
    return Promise.resolve();
  }

  /** Deletes one entry; `false` when it was missing or expired (an expired one is dropped all the same). */
  protected deleteEntry(collection: string, key: string): Promise<boolean> {
    return Promise.resolve(this.#delete(collection, key, this.clock.now()));
  }

  /** Deletes many entries; counts the live ones. */
  protected override deleteEntries(collection: string, keys: readonly string[]): Promise<number> {
    const now = this.clock.now();
    let count = 0;
    for (const key of keys) if (this.#delete(collection, key, now)) count++;
    return Promise.resolve(count);
  }

  /** Lists the live keys of a collection, least recently used first. */
  protected override listKeys(collection: string, limit: number | undefined): Promise<string[]> {
    const slots = this.#collections.get(collection);
    const keys: string[] = [];
    if (!slots) return Promise.resolve(keys);
    const now = this.clock.now();
    for (const [key, slot] of slots) {
      if (slot.expiresAt !== undefined && slot.expiresAt <= now) continue;
      keys.push(key);
      if (keys.length === limit) break;
    }
    return Promise.resolve(keys);
  }

  /** Lists the collections that hold live entries. */
  protected override listCollections(limit: number | undefined): Promise<string[]> {
    const now = this.clock.now();
    const names: string[] = [];
    for (const [name, slots] of this.#collections) {
      for (const slot of slots.values()) {
        if (slot.expiresAt === undefined || slot.expiresAt > now) {
          names.push(name);
          break;
        }
      }
      if (names.length === limit) break;
    }
    return Promise.resolve(names);
  }

  /** Deletes a collection; `true` if it held entries. */
  protected override dropCollection(name: string): Promise<boolean> {
    const slots = this.#collections.get(name);
    if (!slots) return Promise.resolve(false);
    this.#size -= slots.size;
    this.#collections.delete(name);
    return Promise.resolve(true);
  }

  /** Deletes every entry. */
  protected override dropAll(): Promise<boolean> {
    this.#collections.clear();
    this.#size = 0;
    return Promise.resolve(true);
  }

  /** Removes every expired entry now; returns how many. */
  protected override removeExpired(): Promise<number> {
    return Promise.resolve(this.#sweep());
  }

  /** Stores `value` only if the key has no live entry; `true` if stored. */
  protected override putEntryIfAbsent(
    collection: string,
    key: string,
    entry: Entry,
  ): Promise<boolean> {
    if (this.#read(collection, key, this.clock.now(), false) !== undefined) {
      return Promise.resolve(false);
    }
    this.#write(collection, key, entry);
    return Promise.resolve(true);
  }

  /** The live entry at `now` (a fresh copy), refreshing its recency; drops an expired one. */
  #read(collection: string, key: string, now: number, copy = true): Entry | undefined {
    const slots = this.#collections.get(collection);
    const slot = slots?.get(key);
    if (slot === undefined) return undefined;
    const expiresAt = slot.expiresAt;
    if (expiresAt !== undefined && expiresAt <= now) {
      this.#remove(collection, key);
      return undefined;
    }
    if (this.#max !== Infinity) {
      slots!.delete(key);
      slots!.set(key, slot);
    }
    if (!copy) return { value: {} };
    return { value: copyValue(slot.value), createdAt: slot.createdAt, expiresAt };
  }

  #write(collection: string, key: string, entry: Entry): void {
    let slots = this.#collections.get(collection);
    if (!slots) {
      slots = new Map();
      this.#collections.set(collection, slots);
    }
    // The base builds a fresh entry for every write and holds on to none,
    // and its value is already the store's own copy: keep it as it is.
    const slot = entry;
    const size = slots.size;
    if (this.#max !== Infinity) slots.delete(key);
    slots.set(key, slot);
    this.#size += slots.size - size;
    if (slots.size > this.#max) {
      slots.delete(slots.keys().next().value!);
      this.#size--;
    }
    if (slot.expiresAt !== undefined) this.#expiringWrites++;
    // Sweep once the writes since the last sweep are as many as the entries
    // it left, or as the store holds now (after deletes or a destroy): a
    // sweep then costs O(1) per write, and the store holds at most about
    // twice what the last sweep left. (Comparing with the size alone, which
    // counts the writes since, let one entry left hold off every sweep.)
    const writes = ++this.#writesSinceSweep;
    if (writes >= MIN_SWEEP_INTERVAL && (writes >= this.#sweptSize || writes >= this.#size)) {
      this.#sweep();
    }
  }

  /** Removes an entry; `true` only if it was live at `now`. */
  #delete(collection: string, key: string, now: number): boolean {
    const expiresAt = this.#collections.get(collection)?.get(key)?.expiresAt;
    return this.#remove(collection, key) && (expiresAt === undefined || expiresAt > now);
  }

  #remove(collection: string, key: string): boolean {
    const slots = this.#collections.get(collection);
    if (!slots?.delete(key)) return false;
    this.#size--;
    if (slots.size === 0) this.#collections.delete(collection);
    return true;
  }

  #sweep(): number {
    this.#writesSinceSweep = 0;
    if (this.#expiringWrites === 0) {
      this.#sweptSize = this.#size;
      return 0;
    }
    const now = this.clock.now();
    let removed = 0;
    let expiring = 0;
    for (const [name, slots] of this.#collections) {
      for (const [key, slot] of slots) {
        if (slot.expiresAt === undefined) continue;
        if (slot.expiresAt <= now) {
          slots.delete(key);
          removed++;
        } else {
          expiring++;
        }
      }
      if (slots.size === 0) this.#collections.delete(name);
    }
    this.#size -= removed;
    this.#sweptSize = this.#size;
    this.#expiringWrites = expiring;
    return removed;
  }
}

/**
 * The capabilities BaseStore installs on every MemoryStore from its hooks
 * (`listKeys`, ...): keys, collections, destroyCollection, destroy, cull and
 * putIfAbsent.
 */
export interface MemoryStore
  extends EnumerateKeys, EnumerateCollections, DestroyCollection, DestroyStore, Cull, PutIfAbsent {}
