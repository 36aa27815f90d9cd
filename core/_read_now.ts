// This module is browser compatible.
// Internal: the synchronous read path of in-memory stores and of the
// wrappers stacked on them.
//
// A store whose `get` can answer without waiting (MemoryStore) carries a
// hidden `[READ_NOW]` function that does everything its `get` does, at once:
// it returns the value (or `undefined`), throws what `get` would reject
// with, or returns `LATER` (before any effect) when it cannot answer now,
// for example while the store's setup is still running. A wrapper whose
// `get` only maps arguments or counts results composes its own `[READ_NOW]`
// over the inner one, and its `get` answers with one resolved promise
// instead of one promise and one microtask per layer. So a stack of
// wrappers over a MemoryStore costs about what the MemoryStore costs.
//
// An instance carries `[READ_NOW]` only when its `get` is the one the
// function mirrors: a subclass that overrides `get` (or, for MemoryStore,
// `getEntry`) gets none, and every wrapper above it takes the async path.

import type { KeyOptions, Value } from "./protocol.ts";

/** The hidden property of a store that can read synchronously. */
export const READ_NOW: unique symbol = Symbol("@kv/core.readNow");

/** Returned by a synchronous read that cannot answer now. */
export const LATER: unique symbol = Symbol("@kv/core.later");

/** A synchronous `get`: the value, or `LATER`; throws what `get` would reject with. */
export type ReadNow = (
  key: string,
  options: KeyOptions | undefined,
) => Value | undefined | typeof LATER;

/** The store's synchronous read, if it has one. */
export function readNowOf(store: unknown): ReadNow | undefined {
  return (store as { [READ_NOW]?: ReadNow })[READ_NOW];
}

/** Gives `store` a synchronous read (hidden: not enumerable, not in its type). */
export function exposeReadNow(store: object, read: ReadNow): void {
  Object.defineProperty(store, READ_NOW, { value: read, configurable: true });
}

/**
 * Answers a `get` through `read`: a settled promise, or `undefined` when
 * there is no synchronous read or it answered `LATER` (take the async path).
 */
export function answerNow(
  read: ReadNow | undefined,
  key: string,
  options: KeyOptions | undefined,
): Promise<Value | undefined> | undefined {
  if (read === undefined) return undefined;
  try {
    const value = read(key, options);
    return value === LATER ? undefined : Promise.resolve(value);
  } catch (error) {
    return Promise.reject(error);
  }
}
