// This module is browser compatible.
// Internal: how BaseStore turns its protected capability hooks into public
// methods, once per instance, the way BaseWrapper forwards capabilities. A
// store implements a hook (`listKeys`, ...) and gets the public method
// (`keys()`, ...) with its argument checks and setup; a store without the
// hook has no such method, so the type guards of capabilities.ts answer
// truly.

import type { Capability, CollectionsOptions, KeysOptions } from "./capabilities.ts";
import type { Entry } from "./envelope.ts";
import type { KeyOptions, PutOptions, Value } from "./protocol.ts";

/** The protected hooks behind the six capabilities, by capability. */
export const CAPABILITY_HOOKS: Readonly<Record<Capability, string>> = Object.freeze({
  keys: "listKeys",
  collections: "listCollections",
  destroyCollection: "dropCollection",
  destroy: "dropAll",
  cull: "removeExpired",
  putIfAbsent: "putEntryIfAbsent",
});

/** What the installer needs of the store: its checks and its setup, bound to it. */
export interface StoreInternals {
  /** The store's name and an operation ("list keys of MemoryStore"). */
  context(operation: "keys" | "collections" | "destroy" | "put"): string;
  /** Resolves a collection option (the default collection when absent). */
  resolveCollection(options: KeyOptions | undefined, operation: "keys" | "destroy"): string;
  /** Checks a key and resolves the collection of a single-key call. */
  resolve(key: string, options: KeyOptions | undefined, operation: "put"): string;
  /** Checks an optional limit. */
  checkLimit(limit: unknown, operation: "keys" | "collections"): number | undefined;
  /** Runs what setup `collection` still needs; `undefined` when none. */
  prepare(collection: string): Promise<void> | undefined;
  /** Runs the one-time setup. */
  ensureSetup(): Promise<void>;
  /** Builds the entry to write now (a private copy of the value). */
  makeEntry(value: Value, ttl: unknown): Entry;
  /** The same entry stamped now, after a wait for setup. */
  restamp(entry: Entry, ttl: unknown): Entry;
}

// deno-lint-ignore no-explicit-any
type Hooks = Record<string, (...args: any[]) => Promise<any>>;

/** Each store's checks and setup, registered by its constructor. */
const internals = new WeakMap<object, StoreInternals>();

function of(target: object): [Hooks, StoreInternals] {
  const store = internals.get(target);
  if (store === undefined) throw new TypeError("Illegal invocation: not a store");
  return [target as unknown as Hooks, store];
}

/**
 * The public method of each capability, over its hook. Each reads the hook
 * through `this` at call time, so a hook replaced on an instance is used.
 */
const METHODS: Record<Capability, unknown> = {
  async keys(this: object, options?: KeysOptions): Promise<string[]> {
    const [hooks, store] = of(this);
    const collection = store.resolveCollection(options, "keys");
    const limit = store.checkLimit(options?.limit, "keys");
    await store.prepare(collection);
    return await hooks.listKeys!(collection, limit);
  },
  async collections(this: object, options?: CollectionsOptions): Promise<string[]> {
    const [hooks, store] = of(this);
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw new TypeError(`Cannot ${store.context("collections")}: options must be an object`);
    }
    const limit = store.checkLimit(options?.limit, "collections");
    await store.ensureSetup();
    return await hooks.listCollections!(limit);
  },
  async destroyCollection(this: object, collection: string): Promise<boolean> {
    const [hooks, store] = of(this);
    const resolved = store.resolveCollection({ collection }, "destroy");
    await store.ensureSetup();
    return await hooks.dropCollection!(resolved);
  },
  async destroy(this: object): Promise<boolean> {
    const [hooks, store] = of(this);
    await store.ensureSetup();
    return await hooks.dropAll!();
  },
  async cull(this: object): Promise<number> {
    const [hooks, store] = of(this);
    await store.ensureSetup();
    return await hooks.removeExpired!();
  },
  async putIfAbsent(
    this: object,
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    const [hooks, store] = of(this);
    const collection = store.resolve(key, options, "put");
    let entry = store.makeEntry(value, options?.ttl);
    const pending = store.prepare(collection);
    if (pending) {
      await pending;
      entry = store.restamp(entry, options?.ttl); // the TTL counts from the write
    }
    return await hooks.putEntryIfAbsent!(collection, key, entry);
  },
};

/**
 * Registers `target`'s checks and setup, and defines the public method of
 * every capability whose hook its class implements, on the prototype that
 * implements the hook (non-enumerable, like a class method), unless that
 * prototype already has the method (written by hand, or installed by an
 * earlier instance). So a subclass may still override the public method
 * (and call `super`), and an instance may replace either the method or the
 * hook.
 *
 * @param target The store instance.
 * @param store Its checks and setup.
 */
export function installCapabilities(target: object, store: StoreInternals): void {
  internals.set(target, store);
  for (const [capability, hook] of Object.entries(CAPABILITY_HOOKS) as [Capability, string][]) {
    let proto: object | null = Object.getPrototypeOf(target);
    while (proto !== null && !Object.hasOwn(proto, hook)) proto = Object.getPrototypeOf(proto);
    if (proto === null || typeof (proto as Hooks)[hook] !== "function") continue;
    if (capability in proto) continue;
    Object.defineProperty(proto, capability, {
      value: METHODS[capability],
      configurable: true,
      writable: true,
    });
  }
}
