// This module is browser compatible.
/**
 * {@linkcode SimpleStore}: a minimal reference store over one `Map`.
 *
 * @example Usage
 * ```ts
 * import { SimpleStore } from "@kv/core/stores/simple";
 * import assert from "node:assert/strict";
 *
 * const store = new SimpleStore({ maxEntries: 100 });
 * await store.put("k", { a: 1 }, { collection: "c" });
 * assert.deepEqual(await store.collections(), ["c"]);
 * ```
 *
 * @module
 */

import { BaseStore, type BaseStoreOptions } from "../core/base_store.ts";
import type { DestroyStore, EnumerateCollections, EnumerateKeys } from "../core/capabilities.ts";
import { dumpEnvelope, type Entry, loadEnvelope } from "../core/envelope.ts";
import { checkOptions } from "../core/options.ts";

/** Options of {@linkcode SimpleStore}. */
export interface SimpleStoreOptions
  extends Pick<BaseStoreOptions, "defaultCollection" | "seed" | "clock"> {
  /** The most entries held; the oldest-inserted entry is evicted beyond it. Unbounded when absent. */
  maxEntries?: number;
}

const OPTIONS = ["defaultCollection", "seed", "clock", "maxEntries"];

interface Row {
  readonly collection: string;
  readonly key: string;
  readonly text: string;
  readonly expiresAt: number | undefined;
}

/** The row id of (collection, key): a JSON pair, so distinct pairs never share one. */
function rowId(collection: string, key: string): string {
  return JSON.stringify([collection, key]);
}

/**
 * The simplest complete store: one `Map` from the pair (collection, key)
 * (as the JSON text `["collection","key"]`, so that collection `a` key
 * `b::c` and collection `a::b` key `c` stay two entries) to the py-key-value
 * envelope JSON, evicting the oldest-inserted entry beyond `maxEntries`
 * (first in, first out). It keeps expired entries until they are
 * overwritten, deleted or evicted, and never returns them; `delete` of an
 * expired entry resolves `false` (and drops it). It exists as a reference
 * for store authors and for tests; prefer `MemoryStore`.
 *
 * Options: `defaultCollection`, `seed`, `clock`, `maxEntries`; any other
 * (sanitization strategies included: every name fits) is a `TypeError`.
 *
 * Capabilities: keys, collections, destroy.
 *
 * @example Listing keys
 * ```ts
 * import { SimpleStore } from "@kv/core/stores/simple";
 * import assert from "node:assert/strict";
 *
 * const store = new SimpleStore();
 * await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }]);
 * assert.deepEqual(await store.keys(), ["a", "b"]);
 * ```
 */
export class SimpleStore extends BaseStore {
  readonly #rows = new Map<string, Row>();
  readonly #max: number;

  /** Creates the instance. @param options See {@linkcode SimpleStoreOptions}. */
  constructor(options: SimpleStoreOptions = {}) {
    checkOptions("SimpleStore", options, OPTIONS);
    super(options, ["maxEntries"]);
    const max = options.maxEntries ?? Infinity;
    if (!(max === Infinity || (Number.isInteger(max) && max > 0))) {
      throw new RangeError(
        `Cannot create SimpleStore: maxEntries must be a positive integer: received ${max}`,
      );
    }
    this.#max = max;
  }

  /** Reads one entry. */
  protected getEntry(collection: string, key: string): Promise<Entry | undefined> {
    const row = this.#rows.get(rowId(collection, key));
    return Promise.resolve(row === undefined ? undefined : loadEnvelope(row.text));
  }

  /** Writes one entry. */
  protected putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    const id = rowId(collection, key);
    if (!this.#rows.has(id) && this.#rows.size >= this.#max) {
      this.#rows.delete(this.#rows.keys().next().value!);
    }
    const text = dumpEnvelope(entry, key, collection);
    // The deadline as a read sees it: parsed back from the stored text.
    const expiresAt = loadEnvelope(text).expiresAt;
    this.#rows.set(id, { collection, key, text, expiresAt });
    return Promise.resolve();
  }

  /** Deletes one entry; `false` when it was missing or expired. */
  protected deleteEntry(collection: string, key: string): Promise<boolean> {
    const id = rowId(collection, key);
    const row = this.#rows.get(id);
    if (row === undefined) return Promise.resolve(false);
    this.#rows.delete(id);
    return Promise.resolve(!isExpiredRow(row, this.clock.now()));
  }

  /** Lists the live keys of a collection, in insertion order. */
  protected override listKeys(
    collection: string,
    limit: number | undefined,
  ): Promise<string[]> {
    const now = this.clock.now();
    const keys: string[] = [];
    for (const row of this.#rows.values()) {
      if (row.collection !== collection || isExpiredRow(row, now)) continue;
      keys.push(row.key);
      if (keys.length === limit) break;
    }
    return Promise.resolve(keys);
  }

  /** Lists the collections that hold live entries. */
  protected override listCollections(limit: number | undefined): Promise<string[]> {
    const now = this.clock.now();
    const names = new Set<string>();
    for (const row of this.#rows.values()) {
      if (names.has(row.collection) || isExpiredRow(row, now)) continue;
      names.add(row.collection);
      if (names.size === limit) break;
    }
    return Promise.resolve([...names]);
  }

  /** Deletes every entry. */
  protected override dropAll(): Promise<boolean> {
    this.#rows.clear();
    return Promise.resolve(true);
  }
}

function isExpiredRow(row: Row, now: number): boolean {
  return row.expiresAt !== undefined && row.expiresAt <= now;
}

/**
 * The capabilities BaseStore installs on every SimpleStore from its hooks
 * (`listKeys`, ...), as the class JSDoc lists them.
 */
export interface SimpleStore extends EnumerateKeys, EnumerateCollections, DestroyStore {}
