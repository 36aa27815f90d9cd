// A test store that behaves like a network store, for running the wrappers'
// conformance suites off MemoryStore's synchronous read path: it keeps
// py-key-value envelopes as JSON text, every hook awaits before it answers,
// setup is asynchronous (the first call waits for it) and so is each
// collection's first use. Not published.

import { BaseStore, type BaseStoreOptions } from "../../../core/base_store.ts";
import type {
  Cull,
  DestroyCollection,
  DestroyStore,
  EnumerateCollections,
  EnumerateKeys,
  PutIfAbsent,
} from "../../../core/capabilities.ts";
import { dumpEnvelope, type Entry, loadEnvelope } from "../../../core/envelope.ts";

/** Options of {@linkcode AsyncStore}: those of every store. */
export type AsyncStoreOptions = Pick<BaseStoreOptions, "defaultCollection" | "seed" | "clock">;

/** A microtask hop, as a reply that is already buffered. */
const hop = () => Promise.resolve();
/** A macrotask hop, as a round trip. */
const roundTrip = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A network-like store over nested Maps of envelope JSON, with all six capabilities. */
export class AsyncStore extends BaseStore {
  readonly #data = new Map<string, Map<string, string>>();
  /** How many times setupStore and setupCollection ran (for tests of the store itself). */
  readonly setups = { store: 0, collections: [] as string[] };

  constructor(options: AsyncStoreOptions = {}) {
    super(options, []);
  }

  protected override async setupStore(): Promise<void> {
    await roundTrip();
    this.setups.store++;
  }

  protected override async setupCollection(collection: string): Promise<void> {
    await roundTrip();
    this.setups.collections.push(collection);
  }

  protected async getEntry(collection: string, key: string): Promise<Entry | undefined> {
    await hop();
    const text = this.#data.get(collection)?.get(key);
    await hop();
    return text === undefined ? undefined : loadEnvelope(text);
  }

  protected async putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    const text = dumpEnvelope(entry, key, collection);
    await hop();
    this.#write(collection, key, text);
  }

  protected async deleteEntry(collection: string, key: string): Promise<boolean> {
    await hop();
    return this.#delete(collection, key);
  }

  /** Lists the live keys of a collection. */
  protected override async listKeys(
    collection: string,
    limit: number | undefined,
  ): Promise<string[]> {
    await hop();
    const keys = [...(this.#data.get(collection) ?? [])]
      .filter(([, text]) => this.#live(text))
      .map(([key]) => key);
    return keys.slice(0, limit);
  }

  /** Lists the collections that hold live entries. */
  protected override async listCollections(limit: number | undefined): Promise<string[]> {
    await hop();
    const names = [...this.#data]
      .filter(([, rows]) => [...rows.values()].some((text) => this.#live(text)))
      .map(([name]) => name);
    return names.slice(0, limit);
  }

  /** Deletes one collection; `true` if it held entries. */
  protected override async dropCollection(name: string): Promise<boolean> {
    await hop();
    const existed = this.#data.delete(name);
    this.forgetCollectionSetup(name);
    return existed;
  }

  /** Deletes every entry. */
  protected override async dropAll(): Promise<boolean> {
    await hop();
    this.#data.clear();
    this.forgetCollectionSetup();
    return true;
  }

  /** Removes the expired entries; returns how many. */
  protected override async removeExpired(): Promise<number> {
    await hop();
    let removed = 0;
    for (const [collection, rows] of this.#data) {
      for (const [key, text] of rows) {
        if (!this.#live(text) && this.#delete(collection, key)) removed++;
      }
    }
    return removed;
  }

  /** Stores `value` only when the key has no live entry (check and write in one step). */
  protected override async putEntryIfAbsent(
    collection: string,
    key: string,
    entry: Entry,
  ): Promise<boolean> {
    await hop();
    const text = this.#data.get(collection)?.get(key);
    if (text !== undefined && this.#live(text)) return false;
    this.#write(collection, key, dumpEnvelope(entry, key, collection));
    return true;
  }

  /** Deletes a live entry: an expired one is already gone, so it is not counted. */
  #delete(collection: string, key: string): boolean {
    const rows = this.#data.get(collection);
    const text = rows?.get(key);
    if (text === undefined) return false;
    rows!.delete(key);
    if (rows!.size === 0) this.#data.delete(collection);
    return this.#live(text);
  }

  #write(collection: string, key: string, text: string): void {
    let rows = this.#data.get(collection);
    if (!rows) this.#data.set(collection, rows = new Map());
    rows.set(key, text);
  }

  #live(text: string): boolean {
    const expiresAt = loadEnvelope(text).expiresAt;
    return expiresAt === undefined || expiresAt > this.clock.now();
  }
}

/**
 * The capabilities BaseStore installs on every AsyncStore from its hooks
 * (`listKeys`, ...), as the class JSDoc lists them.
 */
export interface AsyncStore
  extends EnumerateKeys, EnumerateCollections, DestroyCollection, DestroyStore, Cull, PutIfAbsent {}
