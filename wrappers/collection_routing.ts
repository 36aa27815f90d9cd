// This module is browser compatible.
/**
 * {@linkcode CollectionRoutingWrapper}: sends each collection to its own store.
 *
 * @example Usage
 * ```ts
 * import { CollectionRoutingWrapper } from "@kv/core/wrappers/collection-routing";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const users = new MemoryStore();
 * const store = new CollectionRoutingWrapper(new MemoryStore(), { collections: { users } });
 * await store.put("ada", { admin: true }, { collection: "users" });
 * assert.deepEqual(await users.get("ada", { collection: "users" }), { admin: true });
 * ```
 *
 * @module
 */

import { checkCollectionName } from "../core/_validate.ts";
import { InvalidKeyError } from "../core/errors.ts";
import { checkOptions } from "../core/options.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import { RoutingWrapper } from "./routing.ts";

/** Options of {@linkcode CollectionRoutingWrapper}. */
export interface CollectionRoutingWrapperOptions<R extends AsyncKeyValue = AsyncKeyValue> {
  /** The store of each named collection; other collections go to the default store. */
  collections: Readonly<Record<string, R>>;
}

/**
 * A {@linkcode RoutingWrapper} with a fixed map: a collection named in
 * `collections` goes to its store, every other collection to the default
 * store. A call that names none is the default store's default collection,
 * routed like any other name: mapping `default_collection` sends those
 * calls to its store too. The map is copied when the wrapper is built. Capabilities, `collections()`,
 * `destroy()` and `close()` behave as in `RoutingWrapper`, over the
 * default store and every mapped store.
 *
 * @example Listing collections across stores
 * ```ts
 * import { CollectionRoutingWrapper } from "@kv/core/wrappers/collection-routing";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new CollectionRoutingWrapper(new MemoryStore(), {
 *   collections: { users: new MemoryStore() },
 * });
 * await store.put("a", { n: 1 }, { collection: "users" });
 * await store.put("b", { n: 2 }, { collection: "orders" });
 * assert.deepEqual((await store.collections()).sort(), ["orders", "users"]);
 * ```
 */
export class CollectionRoutingWrapper<
  S extends AsyncKeyValue = AsyncKeyValue,
  R extends AsyncKeyValue = never,
> extends RoutingWrapper<S, R> {
  /**
   * Creates the wrapper.
   *
   * @param defaultStore The store of every collection not in the map.
   * @param options The map of collections to stores.
   * @throws {TypeError} When `collections` is not an object of stores, or an option is unknown.
   * @throws {InvalidKeyError} When a mapped name is empty or not well-formed UTF-16.
   */
  constructor(defaultStore: S, options: CollectionRoutingWrapperOptions<R>) {
    checkOptions("CollectionRoutingWrapper", options, ["collections"]);
    const map = options?.collections;
    if (typeof map !== "object" || map === null) {
      throw new TypeError("Cannot create CollectionRoutingWrapper: collections must be an object");
    }
    const routes = new Map(Object.entries(map));
    for (const name of routes.keys()) {
      if (name === "") {
        throw new InvalidKeyError(
          "Cannot create CollectionRoutingWrapper: a collection name must not be empty " +
            "(calls that name none go to the default store's default collection)",
        );
      }
      checkCollectionName(name, "create CollectionRoutingWrapper");
    }
    super(defaultStore, {
      route: (collection) => routes.get(collection),
      stores: [...routes.values()],
    });
  }
}
