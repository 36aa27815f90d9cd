// This module is browser compatible.
/**
 * {@linkcode InterceptWrapper}: the base of wrappers that treat every call
 * the same way, such as a timeout, a retry or a fallback.
 *
 * @example Usage
 * ```ts
 * import { type Invocation, InterceptWrapper } from "./_intercept.ts";
 * import type { AsyncKeyValue } from "@kv/core/core/protocol";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * class Tracing<S extends AsyncKeyValue = AsyncKeyValue> extends InterceptWrapper<S> {
 *   calls: string[] = [];
 *   protected intercept<T>(invocation: Invocation<T>): Promise<T> {
 *     this.calls.push(invocation.method);
 *     return invocation.call(this.inner);
 *   }
 * }
 *
 * const store = new Tracing(new MemoryStore());
 * await store.put("k", { n: 1 });
 * await store.keys();
 * assert.deepEqual(store.calls, ["put", "keys"]);
 * ```
 *
 * @module
 */

import type { Capability, CollectionsOptions, KeysOptions } from "../core/capabilities.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { BaseWrapper } from "./base.ts";
import { validatedCopy } from "../core/serialization.ts";
import { checkPut, checkPutMany, defaultCollectionOf } from "./_checks.ts";

// deno-lint-ignore no-explicit-any
type Loose = any;

/** The name of a protocol method or capability (public through FallbackWrapper's module). */
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

/**
 * One call, ready to run against any store.
 *
 * @internal Not exported by the package; named in the types of some public wrappers.
 */
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
 * import { type Invocation, InterceptWrapper } from "./_intercept.ts";
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
 *
 * @internal Not exported by the package: the base of some public wrappers.
 */
export abstract class InterceptWrapper<S extends AsyncKeyValue = AsyncKeyValue>
  extends BaseWrapper<S> {
  /**
   * Runs one call.
   *
   * @param invocation The call, with its method name and whether it writes.
   * @returns What the call resolves to.
   */
  protected abstract intercept<T>(invocation: Invocation<T>): Promise<T>;

  /** The collection of calls that name none: the inner store's default collection. */
  get defaultCollection(): string {
    return defaultCollectionOf(this.inner);
  }

  /**
   * The options every run of a call uses, taken once at the call: by
   * default a shallow copy, so that a run made later (a retry, a fallback)
   * never reads the caller's object again. A malformed `options` is left as
   * it is, for the store to refuse. A subclass may resolve more here.
   *
   * @param options The options the caller passed.
   * @returns The options of every run.
   */
  protected callOptions<T extends KeyOptions>(options: T | undefined): T | undefined {
    return typeof options === "object" && options !== null ? { ...options } : options;
  }

  #run<T>(
    method: MethodName,
    write: boolean,
    call: (store: Loose, signal?: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return this.intercept({ method, write, call });
  }

  /** Reads one value. */
  override get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    const o = this.callOptions(options);
    return this.#run("get", false, (s, signal) => s.get(key, withSignal(o, signal)));
  }

  /** Reads many values. */
  override getMany(keys: readonly string[], options?: KeyOptions): Promise<(Value | undefined)[]> {
    const [k, o] = [copyKeys(keys), this.callOptions(options)];
    return this.#run("getMany", false, (s, signal) => s.getMany(k, withSignal(o, signal)));
  }

  /** Reads a value with its TTL. */
  override ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    const o = this.callOptions(options);
    return this.#run("ttl", false, (s, signal) => s.ttl(key, withSignal(o, signal)));
  }

  /** Reads many values with their TTLs. */
  override ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    const [k, o] = [copyKeys(keys), this.callOptions(options)];
    return this.#run("ttlMany", false, (s, signal) => s.ttlMany(k, withSignal(o, signal)));
  }

  /** Stores a value: every run stores the copy validated at the call. */
  override put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const [v, o] = [this.#take(key, value, options), this.callOptions(options)];
    return this.#run(
      "put",
      true,
      (s, signal) => v.error ? Promise.reject(v.error) : s.put(key, v.value, withSignal(o, signal)),
    );
  }

  /** Stores many values: every run stores the copies validated at the call. */
  override putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const v = this.#takeMany(keys, values, options);
    const [k, o] = [copyKeys(keys), this.callOptions(options)];
    return this.#run(
      "putMany",
      true,
      (s, signal) =>
        v.error ? Promise.reject(v.error) : s.putMany(k, v.value, withSignal(o, signal)),
    );
  }

  /** Deletes a key. */
  override delete(key: string, options?: KeyOptions): Promise<boolean> {
    const o = this.callOptions(options);
    return this.#run("delete", true, (s, signal) => s.delete(key, withSignal(o, signal)));
  }

  /** Deletes many keys. */
  override deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    const [k, o] = [copyKeys(keys), this.callOptions(options)];
    return this.#run("deleteMany", true, (s, signal) => s.deleteMany(k, withSignal(o, signal)));
  }

  /** Backs `keys()`. */
  protected override doKeys(options?: KeysOptions): Promise<string[]> {
    const o = this.callOptions(options);
    return this.#run("keys", false, (s, signal) => s.keys(withSignal(o, signal)));
  }

  /** Backs `collections()`. */
  protected override doCollections(options?: CollectionsOptions): Promise<string[]> {
    const o = typeof options === "object" && options !== null ? { ...options } : options;
    return this.#run("collections", false, (s, signal) => s.collections(withSignal(o, signal)));
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

  /** Backs `putIfAbsent()`: every run stores the copy validated at the call. */
  protected override doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    const [v, o] = [this.#take(key, value, options), this.callOptions(options)];
    return this.#run(
      "putIfAbsent",
      true,
      (s, signal) =>
        v.error ? Promise.reject(v.error) : s.putIfAbsent(key, v.value, withSignal(o, signal)),
    );
  }

  // A write's value is copied and validated once, at the call, and every run
  // (a retry, a fallback) stores that copy: the caller's object is never read
  // again. A value that is not valid is never handed to a store: every run
  // rejects with the error a store would give (checked in a store's order, so
  // a bad key is still reported before a bad value).

  #take(key: string, value: Value, options: PutOptions | undefined): Taken<Value> {
    try {
      return { value: validatedCopy(value, this.context("put")) };
    } catch (error) {
      return {
        value: undefined as never,
        error: reasonOf(() => checkPut(key, value, options, this.context("put")), error),
      };
    }
  }

  #takeMany(
    keys: readonly string[],
    values: readonly Value[],
    options: PutOptions | undefined,
  ): Taken<Value[]> {
    const context = this.context("put");
    try {
      if (!Array.isArray(values)) throw new TypeError(`Cannot ${context}: values must be an array`);
      return { value: values.map((value) => validatedCopy(value, context)) };
    } catch (error) {
      return {
        value: undefined as never,
        error: reasonOf(() => checkPutMany(keys, values, options, context), error),
      };
    }
  }
}

/** A write's value as taken at the call: its copy, or why a store would refuse it. */
interface Taken<V> {
  value: V;
  error?: unknown;
}

/** The error `check` throws, or `fallback` when it throws none. */
function reasonOf(check: () => unknown, fallback: unknown): unknown {
  try {
    check();
  } catch (error) {
    return error;
  }
  return fallback;
}

function copyKeys(keys: readonly string[]): readonly string[] {
  return Array.isArray(keys) ? [...keys] : keys;
}
