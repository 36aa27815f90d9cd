// This module is browser compatible.
// Lazy, once-only setup for BaseStore: one store-wide step and, for stores
// that need it, one step per collection. Concurrent first calls share one
// run; a failed run is forgotten so the next call tries again.

import { InvalidKeyError, KeyValueStoreError, StoreSetupError } from "./errors.ts";
import type { Value } from "./protocol.ts";
import { validatedCopy } from "./serialization.ts";

export class SetupGate {
  readonly #store: string;
  readonly #runStore: () => Promise<void>;
  readonly #runCollection: (collection: string) => Promise<void> | void;
  readonly #hasCollectionStep: () => boolean;
  #ready = false;
  #perCollection = false;
  #promise: Promise<void> | undefined;
  readonly #collections = new Map<string, Promise<void>>();

  constructor(
    store: string,
    runStore: () => Promise<void>,
    runCollection: (collection: string) => Promise<void> | void,
    hasCollectionStep: () => boolean,
  ) {
    this.#store = store;
    this.#runStore = runStore;
    this.#runCollection = runCollection;
    this.#hasCollectionStep = hasCollectionStep;
  }

  /** `undefined` when nothing is left to set up for `collection` (the hot path). */
  prepare(collection: string): Promise<void> | undefined {
    if (this.#ready && !this.#perCollection) return undefined;
    return this.#prepareSlow(collection);
  }

  ensure(): Promise<void> {
    if (this.#ready) return Promise.resolve();
    this.#promise ??= this.#run();
    return this.#promise;
  }

  setupCollection(collection: string): Promise<void> {
    if (!this.#perCollection) return Promise.resolve();
    let setup = this.#collections.get(collection);
    if (!setup) {
      setup = (async () => {
        try {
          await this.#runCollection(collection);
        } catch (cause) {
          this.#collections.delete(collection);
          throw wrapSetupError(cause, this.#store, collection);
        }
      })();
      this.#collections.set(collection, setup);
    }
    return setup;
  }

  forget(collection?: string): void {
    if (collection === undefined) this.#collections.clear();
    else this.#collections.delete(collection);
  }

  async #prepareSlow(collection: string): Promise<void> {
    await this.ensure();
    if (this.#perCollection) await this.setupCollection(collection);
  }

  async #run(): Promise<void> {
    this.#perCollection = this.#hasCollectionStep();
    try {
      await this.#runStore();
      this.#ready = true;
    } catch (cause) {
      this.#promise = undefined;
      throw wrapSetupError(cause, this.#store);
    }
  }
}

/** Setup failures become StoreSetupError; store errors (connection, path) pass through. */
export function wrapSetupError(cause: unknown, store: string, collection?: string): Error {
  if (cause instanceof KeyValueStoreError) return cause;
  const where = collection === undefined ? "" : ` collection ${JSON.stringify(collection)} of`;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StoreSetupError(`Cannot set up${where} ${store}: ${reason}`, {
    extraInfo: collection === undefined ? { store } : { store, collection },
    cause,
  });
}

/** Validates and deep-copies seed data `{ collection: { key: value } }`. */
export function copySeed(
  seed: Record<string, Record<string, Value>>,
  store: string,
): Record<string, Record<string, Value>> {
  const shape = `Cannot create ${store}: seed must be { collection: { key: value } }`;
  if (typeof seed !== "object" || seed === null) throw new TypeError(shape);
  const copy: Record<string, Record<string, Value>> = {};
  for (const [collection, items] of Object.entries(seed)) {
    if (collection === "" || typeof items !== "object" || items === null) {
      throw new TypeError(shape);
    }
    const target: Record<string, Value> = {};
    for (const [key, value] of Object.entries(items)) {
      if (key === "") {
        throw new InvalidKeyError(`Cannot create ${store}: seed key must not be empty`);
      }
      // One read of the caller's value: what is checked is what is seeded.
      target[key] = validatedCopy(value, `seed ${store}`);
    }
    copy[collection] = target;
  }
  return copy;
}
