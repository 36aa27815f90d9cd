// This module is browser compatible.
/**
 * {@linkcode NullStore}: accepts everything, stores nothing.
 *
 * @example Usage
 * ```ts
 * import { NullStore } from "@kv/core/stores/null";
 * import assert from "node:assert/strict";
 *
 * const store = new NullStore();
 * await store.put("k", { a: 1 });
 * assert.equal(await store.get("k"), undefined);
 * ```
 *
 * @module
 */

import { BaseStore, type BaseStoreOptions } from "../core/base_store.ts";
import type { Entry } from "../core/envelope.ts";
import { checkOptions } from "../core/options.ts";

/** Options of {@linkcode NullStore}: those of the store it stands in for, where they apply. */
export type NullStoreOptions = Pick<BaseStoreOptions, "defaultCollection" | "seed" | "clock">;

const OPTIONS = ["defaultCollection", "seed", "clock"];

/**
 * A store that validates every call like any other store, then forgets the
 * data: reads miss, deletes return `false`. Useful to switch storage off
 * without changing code, and in tests.
 *
 * Options: `defaultCollection` (accepted, as every store does), `seed`
 * (validated, then forgotten like every write) and `clock` (TTLs are
 * checked against it); any other is a `TypeError`.
 *
 * @example Bad input is still refused
 * ```ts
 * import { NullStore } from "@kv/core/stores/null";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(new NullStore().put("k", { a: 1 }, { ttl: -1 }));
 * ```
 */
export class NullStore extends BaseStore {
  /** Creates the instance. @param options See {@linkcode NullStoreOptions}. */
  constructor(options: NullStoreOptions = {}) {
    checkOptions("NullStore", options, OPTIONS);
    super(options, []);
  }

  /** Reads one entry. */
  protected getEntry(_collection: string, _key: string): Promise<Entry | undefined> {
    return Promise.resolve(undefined);
  }

  /** Writes one entry. */
  protected putEntry(_collection: string, _key: string, _entry: Entry): Promise<void> {
    return Promise.resolve();
  }

  /** Deletes one entry. */
  protected deleteEntry(_collection: string, _key: string): Promise<boolean> {
    return Promise.resolve(false);
  }
}
