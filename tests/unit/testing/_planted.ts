// Stores with one planted defect each, for the tests of the conformance
// suite and of the model: the suite must pass Good and fail each other.

import { BaseStore, type StoreOperation } from "../../../core/base_store.ts";
import type { Entry } from "../../../core/envelope.ts";
import { InvalidKeyError } from "../../../core/errors.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../../../core/protocol.ts";
import { validateValue } from "../../../core/serialization.ts";
import { AsyncStore } from "../wrappers/_helpers.ts";

/** The reference: AsyncStore, copying the batch's keys at the call (as a store should). */
export class Good extends AsyncStore {
  override putMany(keys: readonly string[], values: readonly Value[], options?: PutOptions) {
    return super.putMany(Array.isArray(keys) ? [...keys] : keys, values, options);
  }
  override getMany(keys: readonly string[], options?: KeyOptions) {
    return super.getMany(Array.isArray(keys) ? [...keys] : keys, options);
  }
  override deleteMany(keys: readonly string[], options?: KeyOptions) {
    return super.deleteMany(Array.isArray(keys) ? [...keys] : keys, options);
  }
}

/** Reads the caller's value after an await. */
export class LateValue extends Good {
  override async put(key: string, value: Value, options?: PutOptions): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return await super.put(key, value, options);
  }
  override async putMany(keys: readonly string[], values: readonly Value[], options?: PutOptions) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return await super.putMany(keys, values, options);
  }
  override async putIfAbsent(key: string, value: Value, options?: PutOptions) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    return await super.putIfAbsent(key, value, options);
  }
}

/** Checks the value, then serializes the caller's object (getters read twice, toJSON consulted). */
export class ReadsTwice extends Good {
  protected override acceptValue(value: unknown, context: string): Value {
    validateValue(value, context);
    return JSON.parse(JSON.stringify(value));
  }
}

/** Writes a batch one entry at a time through put()/delete(), in order. */
export class OneByOne extends Good {
  override async putMany(keys: readonly string[], values: readonly Value[], options?: PutOptions) {
    for (const [i, key] of keys.entries()) await this.put(key, values[i]!, options);
  }
  override async deleteMany(keys: readonly string[], options?: KeyOptions) {
    let count = 0;
    for (const key of keys) if (await this.delete(key, options)) count++;
    return count;
  }
}

/** Writes a batch's entries in parallel: the good ones land after the call rejected. */
export class Parallel extends Good {
  override async putMany(keys: readonly string[], values: readonly Value[], options?: PutOptions) {
    await Promise.all(keys.map((key, i) => this.put(key, values[i]!, options)));
  }
}

/** Reads an entry at its deadline as live (`<` for `<=`). */
export class LateDeadline extends Good {
  protected override async getEntry(collection: string, key: string) {
    const entry = await super.getEntry(collection, key);
    if (entry?.expiresAt === undefined) return entry;
    return { ...entry, expiresAt: entry.expiresAt + 1 };
  }
}

/** One Map from `collection::key` (not injective), and delete() counts expired entries. */
export class Concat extends BaseStore {
  readonly rows = new Map<string, Entry>();
  protected getEntry(collection: string, key: string): Promise<Entry | undefined> {
    return Promise.resolve(this.rows.get(`${collection}::${key}`));
  }
  protected putEntry(collection: string, key: string, entry: Entry): Promise<void> {
    this.rows.set(`${collection}::${key}`, entry);
    return Promise.resolve();
  }
  protected deleteEntry(collection: string, key: string): Promise<boolean> {
    return Promise.resolve(this.rows.delete(`${collection}::${key}`));
  }
}

/** Replaces lone surrogates in names before the store sees them, as some backends do. */
export function collapsing(store: AsyncKeyValue): AsyncKeyValue {
  const fix = (arg: unknown): unknown => {
    if (typeof arg === "string") return arg.toWellFormed();
    if (Array.isArray(arg)) return arg.map(fix);
    if (typeof arg === "object" && arg !== null && "collection" in arg) {
      return { ...arg, collection: fix((arg as KeyOptions).collection) };
    }
    return arg;
  };
  return new Proxy(store, {
    get(target, name) {
      const member = Reflect.get(target, name, target);
      if (typeof member !== "function") return member;
      return (...args: unknown[]) => member.apply(target, args.map(fix));
    },
  });
}

/** Refuses a collection holding `::` on every method, as RedisStore does. */
export class RefusesSeparator extends Good {
  protected override resolveCollection(
    options: KeyOptions | undefined,
    operation: StoreOperation,
  ): string {
    const collection = super.resolveCollection(options, operation);
    if (collection.includes("::")) {
      throw new InvalidKeyError(`Cannot ${operation}: no "::" in a collection`);
    }
    return collection;
  }
}

/** Refuses a collection holding `::` on reads only: inconsistent. */
export class RefusesOnRead extends Good {
  override get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    if (options?.collection?.includes("::")) {
      return Promise.reject(new InvalidKeyError('Cannot get: no "::" in a collection'));
    }
    return super.get(key, options);
  }
}
