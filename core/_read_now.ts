// This module is browser compatible.
// Internal: the one synchronous read path of in-memory stores and of the
// wrappers stacked on them.
//
// A store whose entries can be read without waiting (MemoryStore)
// implements BaseStore's `getEntryNow` hook; a wrapper that only maps a
// get's arguments or its result implements BaseWrapper's `readInner` /
// `readResult` hooks. From these, BaseStore and BaseWrapper (and nothing
// else) build the instance's synchronous read: a function that does what
// the instance's `get` does, at once. It returns the value, throws what
// `get` would reject with, or returns `LATER` (before any effect) when it
// cannot answer now, for example while the store's setup is still running.
// A `get` then answers with one resolved promise, instead of one promise and
// one microtask per layer, so a stack of wrappers over a MemoryStore costs
// about what the MemoryStore costs.
//
// The read is kept next to the `get` method it mirrors ("the get that
// answers through this read"), and whoever reads through it checks, at every
// call, that the store's `get` is still that method. A `get` replaced on the
// instance after construction (jest.spyOn, sinon.stub, fault injection), a
// Proxy whose trap hands out another `get`, or a subclass that overrides
// `get` all fail the check, and the caller takes the async path: a stack
// always calls what the inner store's `get` is at call time.

import type { KeyOptions, Value } from "./protocol.ts";

/** Returned by a synchronous read that cannot answer now. */
export const LATER: unique symbol = Symbol("@kv/core.later");

/** A synchronous `get`: the value, or `LATER`; throws what `get` would reject with. */
export type ReadNow = (
  key: string,
  options: KeyOptions | undefined,
) => Value | undefined | typeof LATER;

/** A store's synchronous read and the `get` method it mirrors. */
export interface SyncRead {
  /** The `get` that answers through `read`: the read holds only while the store's `get` is this. */
  readonly get: unknown;
  /** What that `get` does, at once. */
  readonly read: ReadNow;
  /**
   * Further conditions, as flat pairs (store, its expected `get`): a
   * wrapper whose `get` only forwards hands on the inner store's read as
   * its own, with the inner store's condition added here, so a stack of
   * forwarding wrappers costs one check each and no call.
   */
  readonly guards: readonly unknown[];
}

const SYNC_READ: unique symbol = Symbol("@kv/core.syncRead");

/** `get` methods that answer through their instance's synchronous read when it can. */
const ANSWERING = new WeakSet<object>();

/**
 * Marks a class's `get` method as one that answers through the instance's
 * synchronous read whenever that read can answer (and does the same thing
 * otherwise, only later).
 */
export function answersNow(get: (...args: never[]) => unknown): void {
  ANSWERING.add(get);
}

/**
 * Gives `store` a synchronous read, hidden (not enumerable, not in its
 * type), kept next to the `get` it mirrors: the nearest `get` of `proto`'s
 * chain, when that one is marked with {@linkcode answersNow}. A class that
 * overrides `get` without marking it gets none.
 */
export function exposeSyncRead(
  store: object,
  proto: object,
  read: ReadNow,
  guards: readonly unknown[] = [],
): void {
  for (let p: object | null = proto; p !== null; p = Object.getPrototypeOf(p)) {
    const own = Object.getOwnPropertyDescriptor(p, "get");
    if (own === undefined) continue;
    if (typeof own.value === "function" && ANSWERING.has(own.value)) {
      const sync: SyncRead = Object.freeze({ get: own.value, read, guards: Object.freeze(guards) });
      Object.defineProperty(store, SYNC_READ, { value: sync, configurable: true });
    }
    return;
  }
}

/**
 * Whether `sync`, the synchronous read of `store`, holds at this call:
 * `store.get` is the method it mirrors, and so is every guarded store's.
 */
export function holds(store: { readonly get: unknown }, sync: SyncRead): boolean {
  if (store.get !== sync.get) return false;
  const guards = sync.guards;
  for (let i = 0; i < guards.length; i += 2) {
    if ((guards[i] as { readonly get: unknown }).get !== guards[i + 1]) return false;
  }
  return true;
}

/** The conditions under which `sync`, the read of `store`, holds: for a wrapper that hands it on. */
export function guardsOf(store: object, sync: SyncRead): unknown[] {
  return [store, sync.get, ...sync.guards];
}

/** The synchronous read `store` carries (through a Proxy too), if any. */
export function syncReadOf(store: object): SyncRead | undefined {
  return (store as { [SYNC_READ]?: SyncRead })[SYNC_READ];
}

/**
 * Reads through `sync`, the synchronous read of `store`, if it holds at
 * this call (see {@linkcode holds}); `LATER` otherwise or without one.
 */
export function readThrough(
  store: { readonly get: unknown },
  sync: SyncRead | undefined,
  key: string,
  options: KeyOptions | undefined,
): Value | undefined | typeof LATER {
  return sync !== undefined && holds(store, sync) ? sync.read(key, options) : LATER;
}
