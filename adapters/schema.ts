// This module is browser compatible.
/**
 * {@linkcode SchemaAdapter}: a typed view of a store, validated by any
 * Standard Schema library (zod, valibot, arktype, ...).
 *
 * @example Usage
 * ```ts
 * import { SchemaAdapter } from "@kv/core/adapters/schema";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import { z } from "zod";
 * import assert from "node:assert/strict";
 *
 * const User = z.object({ name: z.string(), admin: z.boolean().default(false) });
 * const users = new SchemaAdapter(new MemoryStore(), { schema: User, collection: "users" });
 * await users.put("ada", { name: "Ada" });
 * const ada = await users.get("ada"); // typed { name: string; admin: boolean } | undefined
 * assert.deepEqual(ada, { name: "Ada", admin: false });
 * ```
 *
 * @module
 */

import { DeserializationError, SerializationError } from "../core/errors.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, Value } from "../core/protocol.ts";
import { checkCollectionName } from "../core/_validate.ts";
import { checkOptions } from "../core/options.ts";
import { validatedCopy } from "../core/serialization.ts";

/**
 * The Standard Schema v1 interface (https://standardschema.dev), declared
 * here as the specification recommends, so this module needs no package.
 * zod (3.24+), valibot (1+), arktype (2+) and many others implement it.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly "~standard": StandardSchemaProps<Input, Output>;
}

/** The properties of a {@linkcode StandardSchemaV1}. */
export interface StandardSchemaProps<Input = unknown, Output = Input> {
  /** The version of the standard: 1. */
  readonly version: 1;
  /** The library's name. */
  readonly vendor: string;
  /** Validates a value. */
  readonly validate: (
    value: unknown,
  ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  /** The inferred types (type-level only). */
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/** What a Standard Schema's `validate` returns: a value, or issues. */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

/** One validation problem. */
export interface StandardSchemaIssue {
  /** What is wrong. */
  readonly message: string;
  /** Where, as property keys or `{ key }` segments. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The type a schema accepts. */
export type InferInput<S extends StandardSchemaV1> = NonNullable<S["~standard"]["types"]>["input"];
/** The type a schema produces. */
export type InferOutput<S extends StandardSchemaV1> = NonNullable<
  S["~standard"]["types"]
>["output"];

/** Options of {@linkcode SchemaAdapter}. */
export interface SchemaAdapterOptions<S extends StandardSchemaV1> {
  /** The schema every value is validated with. */
  schema: S;
  /** The collection of calls that name none. @default {the store's default collection} */
  collection?: string;
  /**
   * `true` rejects stored data the schema refuses with
   * `DeserializationError`; `false` reads it as a miss. @default {false}
   */
  raiseOnValidationError?: boolean;
}

const ITEMS = "items";

function describe(issues: ReadonlyArray<StandardSchemaIssue>): string {
  const first = issues[0];
  if (!first) return "invalid";
  const path = (first.path ?? [])
    .map((part) => String(typeof part === "object" ? part.key : part))
    .join(".");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `${path ? `${path}: ` : ""}${first.message}${more}`;
}

/**
 * A typed view of a store: values are validated with a Standard Schema on
 * the way in and on the way out, so `get` returns the schema's output type.
 *
 * - `put` and `putMany` validate each value and reject one the schema
 *   refuses with `SerializationError` (its `extraInfo.issues` holds the
 *   issues), before anything is written. What is stored is the value as
 *   given (the schema's input), so schemas with defaults or transforms
 *   read back through the schema every time. The value is copied (and
 *   checked for JSON) at the call, and the schema checks that copy, which
 *   is what is stored: the caller's object is never read again.
 * - A value whose JSON form is not an object (an array, a string, a
 *   number, ...) is stored as `{"items": value}`, as py-key-value's
 *   Pydantic adapter stores it; so is an object whose only property is
 *   `items`, so that reads are unambiguous.
 * - Stored data the schema refuses is a miss (for `ttl`: `[undefined,
 *   undefined]`), or a `DeserializationError` with
 *   `raiseOnValidationError: true`.
 * - `collection` gives the collection of calls that name none.
 *
 * This is an adapter, not a store: it has no capabilities of its own; use
 * the store for `keys()` and the like.
 *
 * @example Non-object values
 * ```ts
 * import { SchemaAdapter } from "@kv/core/adapters/schema";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import * as v from "valibot";
 * import assert from "node:assert/strict";
 *
 * const store = new MemoryStore();
 * const tags = new SchemaAdapter(store, { schema: v.array(v.string()) });
 * await tags.put("post:1", ["deno", "kv"]);
 * assert.deepEqual(await store.get("post:1"), { items: ["deno", "kv"] });
 * assert.deepEqual(await tags.get("post:1"), ["deno", "kv"]);
 * ```
 */
export class SchemaAdapter<S extends StandardSchemaV1> {
  readonly #store: AsyncKeyValue;
  readonly #schema: S;
  readonly #collection: string | undefined;
  readonly #raise: boolean;

  /**
   * Creates the adapter.
   *
   * @param store The store to read and write.
   * @param options The schema, the default collection and what to do with invalid data.
   * @throws {TypeError} When `schema` is not a Standard Schema, or an option is unknown.
   * @throws {InvalidKeyError} When `collection` is not well-formed UTF-16.
   */
  constructor(store: AsyncKeyValue, options: SchemaAdapterOptions<S>) {
    checkOptions("SchemaAdapter", options, ["schema", "collection", "raiseOnValidationError"]);
    const schema = options?.schema;
    if (typeof schema?.["~standard"]?.validate !== "function") {
      throw new TypeError("Cannot create SchemaAdapter: schema must be a Standard Schema (v1)");
    }
    const collection = options.collection;
    if (collection !== undefined && typeof collection !== "string") {
      throw new TypeError("Cannot create SchemaAdapter: collection must be a string");
    }
    if (collection) checkCollectionName(collection, "create SchemaAdapter");
    this.#store = store;
    this.#schema = schema;
    this.#collection = collection || undefined;
    this.#raise = options.raiseOnValidationError ?? false;
  }

  /** The options of a call, taken at the call: a copy, with the adapter's collection when it names none. */
  #options<T extends KeyOptions>(options: T | undefined): T | undefined {
    if (options !== undefined && (typeof options !== "object" || options === null)) return options;
    if (this.#collection === undefined || options?.collection) {
      return options === undefined ? undefined : { ...options };
    }
    return { ...options, collection: this.#collection } as T;
  }

  /**
   * Takes a value at the call: its stored form (the value, or `{items:
   * value}`), validated and copied now, so that neither a later change by
   * the caller nor a `toJSON`, a getter or a Proxy reaches the store. The
   * schema then checks the copy. A value JSON cannot carry is still reported
   * with the schema's issues first, when the schema refuses it too.
   */
  #take(value: InferInput<S>, key: string): () => Promise<Value> {
    const context = `put ${key} through SchemaAdapter`;
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    const names = isObject ? Object.keys(value as object) : [];
    const wrapped = !isObject || (names.length === 1 && names[0] === ITEMS);
    let stored: Value;
    try {
      stored = validatedCopy(wrapped ? { [ITEMS]: value } : value, context);
    } catch (error) {
      // Never stored: the schema may look at the caller's value to say what else is wrong.
      return async () => {
        await this.#check(value, key);
        throw error;
      };
    }
    return async () => {
      await this.#check(wrapped ? stored[ITEMS] : stored, key);
      return stored;
    };
  }

  async #check(value: unknown, key: string): Promise<void> {
    const result = await this.#schema["~standard"].validate(value);
    if (result.issues) {
      throw new SerializationError(
        `Cannot put ${key} through SchemaAdapter: the value does not match the schema: ${
          describe(result.issues)
        }`,
        { extraInfo: { key, issues: result.issues.map((i) => i.message) } },
      );
    }
  }

  async #decode(stored: Value | undefined, key: string): Promise<InferOutput<S> | undefined> {
    if (stored === undefined) return undefined;
    const validate = this.#schema["~standard"].validate;
    const names = Object.keys(stored);
    if (names.length === 1 && names[0] === ITEMS) {
      const unwrapped = await validate(stored[ITEMS]);
      if (!unwrapped.issues) return unwrapped.value as InferOutput<S>;
    }
    const result = await validate(stored);
    if (!result.issues) return result.value as InferOutput<S>;
    if (!this.#raise) return undefined;
    throw new DeserializationError(
      `Cannot get ${key} through SchemaAdapter: the stored value does not match the schema: ${
        describe(result.issues)
      }`,
      { extraInfo: { key, issues: result.issues.map((i) => i.message) } },
    );
  }

  /**
   * Reads and validates one value.
   *
   * @param key The key.
   * @param options The collection.
   * @returns The schema's output, or `undefined` when missing (or invalid, unless raising).
   * @throws {DeserializationError} When the stored value is invalid and `raiseOnValidationError` is set.
   */
  async get(key: string, options?: KeyOptions): Promise<InferOutput<S> | undefined> {
    return await this.#decode(await this.#store.get(key, this.#options(options)), key);
  }

  /**
   * Reads and validates many values, in the order of `keys`.
   *
   * @param keys The keys.
   * @param options The collection.
   * @returns One output or `undefined` per key.
   * @throws {DeserializationError} When a stored value is invalid and `raiseOnValidationError` is set.
   */
  async getMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<(InferOutput<S> | undefined)[]> {
    const values = await this.#store.getMany(keys, this.#options(options));
    return await Promise.all(values.map((value, i) => this.#decode(value, keys[i]!)));
  }

  /**
   * Reads and validates a value with its remaining TTL.
   *
   * @param key The key.
   * @param options The collection.
   * @returns `[output, seconds]`; `[undefined, undefined]` when missing or invalid.
   * @throws {DeserializationError} When the stored value is invalid and `raiseOnValidationError` is set.
   */
  async ttl(
    key: string,
    options?: KeyOptions,
  ): Promise<[InferOutput<S> | undefined, number | undefined]> {
    const [stored, ttl] = await this.#store.ttl(key, this.#options(options));
    const value = await this.#decode(stored, key);
    return value === undefined ? [undefined, undefined] : [value, ttl];
  }

  /**
   * Reads and validates many values with their TTLs.
   *
   * @param keys The keys.
   * @param options The collection.
   * @returns One `[output, seconds]` per key; `[undefined, undefined]` when missing or invalid.
   * @throws {DeserializationError} When a stored value is invalid and `raiseOnValidationError` is set.
   */
  async ttlMany(
    keys: readonly string[],
    options?: KeyOptions,
  ): Promise<[InferOutput<S> | undefined, number | undefined][]> {
    const entries = await this.#store.ttlMany(keys, this.#options(options));
    return await Promise.all(
      entries.map(
        async ([stored, ttl], i): Promise<[InferOutput<S> | undefined, number | undefined]> => {
          const value = await this.#decode(stored, keys[i]!);
          return value === undefined ? [undefined, undefined] : [value, ttl];
        },
      ),
    );
  }

  /**
   * Validates and stores a value.
   *
   * @param key The key.
   * @param value A value of the schema's input type.
   * @param options The collection and TTL.
   * @throws {SerializationError} When the schema refuses the value, or JSON cannot carry it.
   */
  async put(key: string, value: InferInput<S>, options?: PutOptions): Promise<void> {
    const [encode, target] = [this.#take(value, key), this.#options(options)];
    await this.#store.put(key, await encode(), target);
  }

  /**
   * Validates every value, then stores them all with one TTL.
   *
   * @param keys The keys.
   * @param values Values of the schema's input type, one per key.
   * @param options The collection and TTL.
   * @throws {SerializationError} When the schema refuses a value (nothing is written).
   * @throws {RangeError} When `keys` and `values` differ in length.
   */
  async putMany(
    keys: readonly string[],
    values: readonly InferInput<S>[],
    options?: PutOptions,
  ): Promise<void> {
    if (!Array.isArray(keys) || !Array.isArray(values)) {
      throw new TypeError("Cannot putMany through SchemaAdapter: keys and values must be arrays");
    }
    if (keys.length !== values.length) {
      throw new RangeError(
        `Cannot putMany through SchemaAdapter: got ${keys.length} keys but ${values.length} values`,
      );
    }
    const names = [...keys];
    const encoders = values.map((value, i) => this.#take(value, String(names[i])));
    const target = this.#options(options);
    const stored = await Promise.all(encoders.map((encode) => encode()));
    await this.#store.putMany(names, stored, target);
  }

  /**
   * Deletes a key.
   *
   * @param key The key.
   * @param options The collection.
   * @returns `true` when something was deleted.
   */
  async delete(key: string, options?: KeyOptions): Promise<boolean> {
    return await this.#store.delete(key, this.#options(options));
  }

  /**
   * Deletes many keys.
   *
   * @param keys The keys.
   * @param options The collection.
   * @returns How many were deleted.
   */
  async deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    return await this.#store.deleteMany(keys, this.#options(options));
  }
}
