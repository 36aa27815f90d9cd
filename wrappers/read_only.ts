// This module is browser compatible.
/**
 * {@linkcode ReadOnlyWrapper}: refuses every write.
 *
 * @example Usage
 * ```ts
 * import { ReadOnlyWrapper } from "@kv/core/wrappers/read-only";
 * import { ReadOnlyError } from "@kv/core/core/errors";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const inner = new MemoryStore({ seed: { default_collection: { k: { n: 1 } } } });
 * const store = new ReadOnlyWrapper(inner);
 * assert.deepEqual(await store.get("k"), { n: 1 });
 * await assert.rejects(store.put("k", { n: 2 }), ReadOnlyError);
 * ```
 *
 * @module
 */

import type { CapabilitiesOf, Capability } from "../core/capabilities.ts";
import { capabilitiesOf } from "../core/capabilities.ts";
import { ReadOnlyError } from "../core/errors.ts";
import { checkOptions } from "../core/options.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../core/protocol.ts";
import { BaseWrapper } from "./base.ts";
import {
  attempt,
  checkKey,
  checkKeys,
  checkPut,
  checkPutMany,
  defaultCollectionOf,
  optionalCollection,
} from "./_checks.ts";

/** Options of {@linkcode ReadOnlyWrapper}. */
export interface ReadOnlyWrapperOptions {
  /**
   * `true` rejects writes with `ReadOnlyError`; `false` ignores them silently
   * (`put` does nothing, `delete` resolves `false`, `deleteMany` resolves 0).
   * @default {true}
   */
  raiseOnWrite?: boolean;
}

const READS: readonly Capability[] = ["keys", "collections"];

/**
 * A read-only view of a store: reads and the read capabilities (`keys()`,
 * `collections()`) pass through; `put`, `putMany`, `delete` and
 * `deleteMany` are refused with a `ReadOnlyError` naming the operation,
 * collection and key (or ignored, with `raiseOnWrite: false`). The write
 * capabilities (`destroy`, `destroyCollection`, `cull`, `putIfAbsent`) are
 * not exposed at all, so the capability guards tell callers the truth, and
 * the type has them as `unknown` (calling one is a type error).
 *
 * Arguments are still checked first, so bad input gets the same error as
 * from any store.
 *
 * @example Silent mode
 * ```ts
 * import { ReadOnlyWrapper } from "@kv/core/wrappers/read-only";
 * import { canDestroy } from "@kv/core/core/capabilities";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const store = new ReadOnlyWrapper(new MemoryStore(), { raiseOnWrite: false });
 * await store.put("k", { n: 1 });
 * assert.equal(await store.get("k"), undefined);
 * assert.equal(await store.delete("k"), false);
 * assert.equal(canDestroy(store), false);
 * ```
 */
export class ReadOnlyWrapper<S extends AsyncKeyValue = AsyncKeyValue>
  extends BaseWrapper<S, Extract<CapabilitiesOf<S>, "keys" | "collections">> {
  readonly #raise: boolean;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options Whether writes raise.
   * @throws {TypeError} When an option is unknown.
   */
  constructor(inner: S, options: ReadOnlyWrapperOptions = {}) {
    checkOptions("ReadOnlyWrapper", options, ["raiseOnWrite"]);
    super(inner, capabilitiesOf(inner).filter((name) => READS.includes(name)));
    this.#raise = options.raiseOnWrite ?? true;
  }

  /** The collection of calls that name none: the inner store's default collection. */
  get defaultCollection(): string {
    return defaultCollectionOf(this.inner);
  }

  #refuse(operation: string, collection: string | undefined, key: string): void {
    if (!this.#raise) return;
    throw new ReadOnlyError(
      `Cannot ${operation} ${key} in ${
        collection ?? "the default collection"
      }: the store is read-only`,
      { extraInfo: { operation, collection, key } },
    );
  }

  /** Refuses (or ignores) a write. */
  override put(key: string, value: Value, options?: PutOptions): Promise<void> {
    return attempt(() => {
      this.#refuse("put", checkPut(key, value, options, this.context("put")).collection, key);
    });
  }

  /** Refuses (or ignores) a batch write. */
  override putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    return attempt(() => {
      const { collection } = checkPutMany(keys, values, options, this.context("put"));
      this.#refuse("putMany", collection, `${keys.length} keys`);
    });
  }

  /** Refuses a delete (or resolves `false`). */
  override delete(key: string, options?: KeyOptions): Promise<boolean> {
    return attempt(() => {
      const context = this.context("delete");
      checkKey(key, context);
      this.#refuse("delete", optionalCollection(options, context), key);
      return false;
    });
  }

  /** Refuses a batch delete (or resolves 0). */
  override deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    return attempt(() => {
      const context = this.context("delete");
      checkKeys(keys, context);
      this.#refuse("deleteMany", optionalCollection(options, context), `${keys.length} keys`);
      return 0;
    });
  }
}
