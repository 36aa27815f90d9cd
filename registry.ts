// This module is browser compatible.
/**
 * {@linkcode StoreRegistry}: named stores for an application, as in Litestar.
 *
 * @example Usage
 * ```ts
 * import { StoreRegistry } from "@kv/core/registry";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const registry = new StoreRegistry({ stores: { sessions: new MemoryStore() } });
 * const sessions = registry.get("sessions");
 * await sessions.put("abc", { user: "ada" });
 * assert.equal(registry.get("sessions"), sessions);
 * assert.ok(registry.get("rate_limit")); // made by the default factory on first use
 * ```
 *
 * @module
 */

import { MemoryStore } from "./stores/memory.ts";
import type { AsyncKeyValue } from "./core/protocol.ts";
import { checkOptions } from "./core/options.ts";

/** Makes the store of a name that was never registered. */
export type StoreFactory = (name: string) => AsyncKeyValue;

/** Options of {@linkcode StoreRegistry}. */
export interface StoreRegistryOptions {
  /** Stores to register up front, by name. */
  stores?: Readonly<Record<string, AsyncKeyValue>> | ReadonlyMap<string, AsyncKeyValue>;
  /**
   * Makes (and registers) the store of an unknown name on first `get`;
   * `null` makes `get` of an unknown name throw instead. Another common
   * choice is one shared store with a prefix per name:
   * `(name) => new PrefixCollectionsWrapper(shared, { prefix: name })`.
   * @default {a new MemoryStore per name, as in Litestar}
   */
  defaultFactory?: StoreFactory | null;
}

/**
 * A registry of named stores, so that the parts of an application (and the
 * libraries it uses) find their stores by name — Litestar's
 * `StoreRegistry`. `get(name)` returns the registered store, or makes one
 * with the default factory, registers it, and returns it. `register` adds a
 * store and refuses to replace one unless `allowOverride` is set.
 *
 * The registry owns the stores it made with its factory: `close()` (and
 * `await using`) closes them. Stores registered from outside stay open.
 *
 * @example A shared store with a prefix per name
 * ```ts
 * import { StoreRegistry } from "@kv/core/registry";
 * import { PrefixCollectionsWrapper } from "@kv/core/wrappers/prefix-collections";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const shared = new MemoryStore();
 * const registry = new StoreRegistry({
 *   defaultFactory: (name) => new PrefixCollectionsWrapper(shared, { prefix: name }),
 * });
 * await registry.get("cache").put("k", { n: 1 });
 * assert.deepEqual(await shared.collections(), ["cache__default_collection"]);
 * ```
 */
export class StoreRegistry {
  readonly #stores = new Map<string, AsyncKeyValue>();
  readonly #made = new Set<AsyncKeyValue>();
  readonly #factory: StoreFactory | undefined;

  /**
   * Creates the registry.
   *
   * @param options The initial stores and the default factory.
   * @throws {TypeError} When a name is empty, a store is not a store, or an option is unknown.
   */
  constructor(options: StoreRegistryOptions = {}) {
    checkOptions("StoreRegistry", options, ["stores", "defaultFactory"]);
    const stores = options.stores ?? {};
    const entries = stores instanceof Map ? [...stores] : Object.entries(stores);
    for (const [name, store] of entries) this.register(name, store);
    const factory = options.defaultFactory === undefined
      ? () => new MemoryStore()
      : options.defaultFactory;
    if (factory !== null && typeof factory !== "function") {
      throw new TypeError("Cannot create StoreRegistry: defaultFactory must be a function or null");
    }
    this.#factory = factory ?? undefined;
  }

  /**
   * Registers a store under a name.
   *
   * @param name The name.
   * @param store The store.
   * @param allowOverride Replace a store already registered under `name`. @default {false}
   * @throws {Error} When `name` is taken and `allowOverride` is not set.
   * @throws {TypeError} When `name` is empty or `store` is not a store.
   */
  register(name: string, store: AsyncKeyValue, allowOverride = false): void {
    if (typeof name !== "string" || name === "") {
      throw new TypeError("Cannot register a store: the name must be a non-empty string");
    }
    if (typeof store !== "object" || store === null || typeof store.get !== "function") {
      throw new TypeError(`Cannot register store ${JSON.stringify(name)}: it is not a store`);
    }
    if (this.#stores.has(name) && !allowOverride) {
      throw new Error(
        `Cannot register store ${
          JSON.stringify(name)
        }: a store is already registered under it (pass allowOverride to replace it)`,
      );
    }
    this.#stores.set(name, store);
  }

  /**
   * The store registered under `name`, made with the default factory (and
   * registered) when there is none.
   *
   * @param name The name.
   * @returns The store.
   * @throws {Error} When no store is registered under `name` and there is no default factory.
   */
  get(name: string): AsyncKeyValue {
    const found = this.#stores.get(name);
    if (found) return found;
    if (!this.#factory) {
      throw new Error(
        `Cannot get store ${
          JSON.stringify(name)
        }: none is registered and there is no defaultFactory`,
      );
    }
    const store = this.#factory(name);
    this.register(name, store);
    this.#made.add(store);
    return store;
  }

  /**
   * Whether a store is registered under `name`.
   *
   * @param name The name.
   * @returns `true` when registered.
   */
  has(name: string): boolean {
    return this.#stores.has(name);
  }

  /**
   * The registered names, in registration order.
   *
   * @returns The names.
   */
  names(): string[] {
    return [...this.#stores.keys()];
  }

  /** Closes the stores the default factory made. */
  async close(): Promise<void> {
    const made = [...this.#made];
    this.#made.clear();
    await Promise.all(made.map(async (store) => {
      const close = (store as { close?: () => unknown }).close;
      if (typeof close === "function") await close.call(store);
    }));
  }

  /** Closes the stores the default factory made; lets `await using` manage the registry. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
