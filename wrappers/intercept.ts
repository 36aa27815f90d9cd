// This module is browser compatible.
/**
 * {@linkcode InterceptWrapper}: the base of wrappers that treat every call
 * the same way, such as a timeout, a retry or a fallback.
 *
 * @example Usage
 * ```ts
 * import { type Invocation, InterceptWrapper } from "@kv/core/wrappers/intercept";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class Tracing extends InterceptWrapper {
 *   calls: string[] = [];
 *   protected intercept<T>(invocation: Invocation<T>): Promise<T> {
 *     this.calls.push(invocation.method);
 *     return invocation.call(this.inner);
 *   }
 * }
 *
 * const store = new Tracing(new MemoryStore());
 * await store.put("k", { n: 1 });
 * await store.keys!();
 * assert.deepEqual(store.calls, ["put", "keys"]);
 * ```
 *
 * @module
 */

import type { Capability, CollectionsOptions, KeysOptions } from "../core/capabilities.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { BaseWrapper } from "./base.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;

/** The name of a protocol method or capability. */
export type MethodName =
  | "get"
  | "getMany"
  | "ttl"
  | "ttlMany"
  | "put"
  | "putMany"
  | "delete"
  | "deleteMany"
  | Capability;

/** One call, ready to run against any store. */
export interface Invocation<T> {
  /** The method called. */
  readonly method: MethodName;
  /** Whether the call changes data (put, delete, destroy, cull, putIfAbsent, ...). */
  readonly write: boolean;
  /**
   * Runs the call against `store`. With a `signal`, the signal is added to
   * the call's options (stores that support cancellation read it; the
   * others ignore it).
   */
  call(store: AsyncKeyValue, signal?: AbortSignal): Promise<T>;
}

function withSignal<T extends object>(
  options: T | undefined,
  signal: AbortSignal | undefined,
): T | undefined {
  if (signal === undefined) return options;
  // A malformed `options` is left as it is, for the store to refuse.
  if (options !== undefined && (typeof options !== "object" || options === null)) return options;
  return (options === undefined ? { signal } : { ...options, signal }) as T;
}

/**
 * A wrapper that hands every call — the eight protocol methods and each
 * capability the inner store has — to one method,
 * {@linkcode InterceptWrapper.prototype.intercept}, as an
 * {@linkcode Invocation} it may run once, several times, against another
 * store, or under a deadline.
 *
 * @example Counting failures
 * ```ts
 * import { type Invocation, InterceptWrapper } from "@kv/core/wrappers/intercept";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class CountFailures extends InterceptWrapper {
 *   failures = 0;
 *   protected async intercept<T>(invocation: Invocation<T>): Promise<T> {
 *     try {
 *       return await invocation.call(this.inner);
 *     } catch (error) {
 *       this.failures++;
 *       throw error;
 *     }
 *   }
 * }
 *
 * const store = new CountFailures(new MemoryStore());
 * await assert.rejects(store.put("", { n: 1 }));
 * assert.equal(store.failures, 1);
 * ```
 */
export abstract class InterceptWrapper extends BaseWrapper {
  /**
   * Runs one call.
   *
   * @param invocation The call, with its method name and whether it writes.
   * @returns What the call resolves to.
   */
  protected abstract intercept<T>(invocation: Invocation<T>): Promise<T>;

  #run<T>(
    method: MethodName,
    write: boolean,
    call: (store: Loose, signal?: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.intercept({ method, write, call });
  }

  /** Reads one value. */
  override get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    return this.#run("get", false, (s, signal) => s.get(key, withSignal(options, signal)));
  }

  /** Reads many values. */
  override getMany(keys: readonly string[], options?: KeyOptions): Promise<(Value | undefined)[]> {
    return this.#run("getMany", false, (s, signal) => s.getMany(keys, withSignal(options, signal)));
  }

  /** Reads a value with its TTL. */
  override ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    return this.#run("ttl", false, (s, signal) => s.ttl(key, withSignal(options, signal)));
  }

  /** Reads many values with their TTLs. */
  override ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    return this.#run("ttlMany", false, (s, signal) => s.ttlMany(keys, withSignal(options, signal)));
  }

  /** Stores a value. */
  override put(key: string, value: Value, options?: PutOptions): Promise<void> {
    return this.#run("put", true, (s, signal) => s.put(key, value, withSignal(options, signal)));
  }

  /** Stores many values. */
  override putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    return this.#run(
      "putMany",
      true,
      (s, signal) => s.putMany(keys, values, withSignal(options, signal)),
    );
  }

  /** Deletes a key. */
  override delete(key: string, options?: KeyOptions): Promise<boolean> {
    return this.#run("delete", true, (s, signal) => s.delete(key, withSignal(options, signal)));
  }

  /** Deletes many keys. */
  override deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    return this.#run(
      "deleteMany",
      true,
      (s, signal) => s.deleteMany(keys, withSignal(options, signal)),
    );
  }

  /** Backs `keys()`. */
  protected override doKeys(options?: KeysOptions): Promise<string[]> {
    return this.#run("keys", false, (s, signal) => s.keys(withSignal(options, signal)));
  }

  /** Backs `collections()`. */
  protected override doCollections(options?: CollectionsOptions): Promise<string[]> {
    return this.#run(
      "collections",
      false,
      (s, signal) => s.collections(withSignal(options, signal)),
    );
  }

  /** Backs `destroyCollection()`. */
  protected override doDestroyCollection(collection: string): Promise<boolean> {
    return this.#run("destroyCollection", true, (s) => s.destroyCollection(collection));
  }

  /** Backs `destroy()`. */
  protected override doDestroy(): Promise<boolean> {
    return this.#run("destroy", true, (s) => s.destroy());
  }

  /** Backs `cull()`. */
  protected override doCull(): Promise<number> {
    return this.#run("cull", true, (s) => s.cull());
  }

  /** Backs `putIfAbsent()`. */
  protected override doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    return this.#run(
      "putIfAbsent",
      true,
      (s, signal) => s.putIfAbsent(key, value, withSignal(options, signal)),
    );
  }
}
