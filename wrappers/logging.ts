// This module is browser compatible.
/**
 * {@linkcode LoggingWrapper}: logs every operation to a console-like logger.
 *
 * @example Usage
 * ```ts
 * import { LoggingWrapper } from "@kv/core/wrappers/logging";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const logger = { info: (line: string) => lines.push(line) };
 * const store = new LoggingWrapper(new MemoryStore(), { logger });
 * await store.get("k", { collection: "users" });
 * assert.deepEqual(lines, [
 *   `Start GET collection="users" keys="k"`,
 *   `Finish GET collection="users" keys="k" ({"hit":false})`,
 * ]);
 * ```
 *
 * @module
 */

import type { CollectionsOptions, KeysOptions } from "../core/capabilities.ts";
import type { AsyncKeyValue, KeyOptions, PutOptions, TtlEntry, Value } from "../core/protocol.ts";
import { BaseWrapper } from "./base.ts";
import { checkOptions } from "../core/options.ts";
import { copyValue } from "../core/serialization.ts";
import { copyIfValid, defaultCollectionOf } from "./_checks.ts";

/** A log level, the name of a console method. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "log";

/**
 * Anything with console-like methods: `console`, pino, winston, a test spy.
 * Text mode passes one string; structured mode one {@linkcode LogRecord}.
 */
export interface Logger {
  /** Logs at debug level. */
  debug?(message: unknown): void;
  /** Logs at info level. */
  info?(message: unknown): void;
  /** Logs at warn level. */
  warn?(message: unknown): void;
  /** Logs at error level (failures go here when present). */
  error?(message: unknown): void;
  /** Logs at the default level. */
  log?(message: unknown): void;
}

/** Options of {@linkcode LoggingWrapper}. */
export interface LoggingWrapperOptions {
  /** Where messages go. @default {globalThis.console} */
  logger?: Logger;
  /** The method start and finish messages use; failures use `error` when the logger has it. @default {"info"} */
  level?: LogLevel;
  /** Include values (what was put or got) in messages. Off by default, to keep data out of logs. @default {false} */
  logValues?: boolean;
  /** Log one object per message (`{status, action, collection, keys, value?, extra?}`) instead of text. @default {false} */
  structured?: boolean;
}

/** One structured log record. */
export interface LogRecord {
  /** Which end of the operation. */
  status: "start" | "finish" | "error";
  /** The operation: GET, GET_MANY, TTL, TTL_MANY, PUT, PUT_MANY, DELETE, DELETE_MANY, KEYS, ... */
  action: string;
  /** The collection (the inner store's default when the call names none). */
  collection: string | undefined;
  /** The key or keys. */
  keys: string | readonly string[] | undefined;
  /** The value or values, only with `logValues`. */
  value?: unknown;
  /** Details: hit, hits, misses, ttl, deleted, count, error. */
  extra?: Record<string, unknown>;
}

interface Call<T> {
  action: string;
  storeWide?: boolean;
  options?: KeyOptions | undefined;
  keys?: string | readonly string[];
  start?: { value?: unknown; extra?: Record<string, unknown> };
  finish?: (result: T) => { value?: unknown; extra?: Record<string, unknown> };
}

/**
 * Logs a start and a finish message for every operation (and an error
 * message, with the error's name and message, when one fails). Values are
 * logged only with `logValues: true` — py-key-value logs them always.
 *
 * Text messages read `Start PUT collection="c" keys="k" ({"ttl":60})`;
 * with `structured: true` the logger receives a {@linkcode LogRecord}
 * object, which structured loggers (pino, winston) keep as fields.
 *
 * @example Structured records
 * ```ts
 * import { type LogRecord, LoggingWrapper } from "@kv/core/wrappers/logging";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const records: LogRecord[] = [];
 * const logger = { debug: (record: unknown) => records.push(record as LogRecord) };
 * const store = new LoggingWrapper(new MemoryStore(), {
 *   logger, level: "debug", structured: true, logValues: true,
 * });
 * await store.put("k", { n: 1 });
 * assert.deepEqual(records[1], {
 *   status: "finish", action: "PUT", collection: "default_collection", keys: "k",
 *   value: { n: 1 }, extra: { ttl: null },
 * });
 * ```
 */
export class LoggingWrapper<S extends AsyncKeyValue = AsyncKeyValue> extends BaseWrapper<S> {
  readonly #logger: Logger;
  readonly #level: LogLevel;
  readonly #values: boolean;
  readonly #structured: boolean;
  readonly #default: string;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The logger and what to log.
   * @throws {TypeError} When the logger lacks the method of `level`, or an option is unknown.
   */
  constructor(inner: S, options: LoggingWrapperOptions = {}) {
    checkOptions("LoggingWrapper", options, ["logger", "level", "logValues", "structured"]);
    super(inner);
    this.#logger = options.logger ?? (globalThis.console as Logger);
    this.#level = options.level ?? "info";
    if (typeof this.#logger[this.#level] !== "function") {
      throw new TypeError(
        `Cannot create LoggingWrapper: the logger has no ${this.#level}() method`,
      );
    }
    this.#values = options.logValues ?? false;
    this.#structured = options.structured ?? false;
    this.#default = defaultCollectionOf(inner);
  }

  /** The collection of calls that name none: the inner store's default collection. */
  get defaultCollection(): string {
    return this.#default;
  }

  async #run<T>(call: Call<T>, run: () => Promise<T>): Promise<T> {
    const named = call.options?.collection;
    const collection = call.storeWide
      ? undefined
      : typeof named === "string" && named !== ""
      ? named
      : this.#default;
    this.#log("start", call.action, collection, call.keys, call.start);
    let result: T;
    try {
      result = await run();
    } catch (error) {
      const extra = error instanceof Error
        ? { error: `${error.name}: ${error.message}` }
        : { error: String(error) };
      this.#log("error", call.action, collection, call.keys, { extra });
      throw error;
    }
    this.#log("finish", call.action, collection, call.keys, call.finish?.(result));
    return result;
  }

  #log(
    status: LogRecord["status"],
    action: string,
    collection: string | undefined,
    keys: string | readonly string[] | undefined,
    details: { value?: unknown; extra?: Record<string, unknown> } | undefined,
  ): void {
    const record: LogRecord = { status, action, collection, keys };
    if (this.#values && details && "value" in details) record.value = details.value ?? null;
    if (details?.extra) record.extra = details.extra;
    const level = status === "error" && this.#logger.error ? "error" : this.#level;
    this.#logger[level]!(this.#structured ? record : format(record));
  }

  /** Reads one value, logging it. */
  override get(key: string, options?: KeyOptions): Promise<Value | undefined> {
    return this.#run({
      action: "GET",
      options,
      keys: key,
      finish: (value) => ({ value, extra: { hit: value !== undefined } }),
    }, () => super.get(key, options));
  }

  /** Reads many values, logging hits and misses. */
  override getMany(keys: readonly string[], options?: KeyOptions): Promise<(Value | undefined)[]> {
    return this.#run({
      action: "GET_MANY",
      options,
      keys,
      finish: (values) => ({ value: values, extra: hitsOf(values) }),
    }, () => super.getMany(keys, options));
  }

  /** Reads a value and its TTL, logging them. */
  override ttl(key: string, options?: KeyOptions): Promise<TtlEntry> {
    return this.#run({
      action: "TTL",
      options,
      keys: key,
      finish: ([value, ttl]) => ({ value, extra: { hit: value !== undefined, ttl: ttl ?? null } }),
    }, () => super.ttl(key, options));
  }

  /** Reads many values and TTLs, logging hits and misses. */
  override ttlMany(keys: readonly string[], options?: KeyOptions): Promise<TtlEntry[]> {
    return this.#run({
      action: "TTL_MANY",
      options,
      keys,
      finish: (entries) => ({
        value: entries.map((entry) => entry[0]),
        extra: hitsOf(entries.map((entry) => entry[0])),
      }),
    }, () => super.ttlMany(keys, options));
  }

  /** Stores a value, logging it (with `logValues`, the copy validated at the call). */
  override put(key: string, value: Value, options?: PutOptions): Promise<void> {
    const [stored, logged] = this.#take(value);
    const details = { value: logged, extra: { ttl: options?.ttl ?? null } };
    return this.#run(
      { action: "PUT", options, keys: key, start: details, finish: () => details },
      () => super.put(key, stored, options),
    );
  }

  /** Stores many values, logging them. */
  override putMany(
    keys: readonly string[],
    values: readonly Value[],
    options?: PutOptions,
  ): Promise<void> {
    const [stored, logged] = this.#takeMany(values);
    const details = { value: logged, extra: { ttl: options?.ttl ?? null } };
    return this.#run(
      { action: "PUT_MANY", options, keys, start: details, finish: () => details },
      () => super.putMany(keys, stored, options),
    );
  }

  /** Deletes a key, logging whether it existed. */
  override delete(key: string, options?: KeyOptions): Promise<boolean> {
    return this.#run({
      action: "DELETE",
      options,
      keys: key,
      finish: (deleted) => ({ extra: { deleted } }),
    }, () => super.delete(key, options));
  }

  /** Deletes many keys, logging how many existed. */
  override deleteMany(keys: readonly string[], options?: KeyOptions): Promise<number> {
    return this.#run({
      action: "DELETE_MANY",
      options,
      keys,
      finish: (deleted) => ({ extra: { deleted } }),
    }, () => super.deleteMany(keys, options));
  }

  /** Backs `keys()`, logging the count. */
  protected override doKeys(options?: KeysOptions): Promise<string[]> {
    return this.#run({
      action: "KEYS",
      options,
      finish: (keys) => ({ extra: { count: keys.length } }),
    }, () => super.doKeys(options));
  }

  /** Backs `collections()`, logging the count. */
  protected override doCollections(options?: CollectionsOptions): Promise<string[]> {
    return this.#run({
      action: "COLLECTIONS",
      storeWide: true,
      finish: (names) => ({ extra: { count: names.length } }),
    }, () => super.doCollections(options));
  }

  /** Backs `destroyCollection()`, logging the result. */
  protected override doDestroyCollection(collection: string): Promise<boolean> {
    return this.#run({
      action: "DESTROY_COLLECTION",
      options: { collection },
      finish: (deleted) => ({ extra: { deleted } }),
    }, () => super.doDestroyCollection(collection));
  }

  /** Backs `destroy()`, logging it. */
  protected override doDestroy(): Promise<boolean> {
    return this.#run({
      action: "DESTROY",
      storeWide: true,
      finish: (deleted) => ({ extra: { deleted } }),
    }, () => super.doDestroy());
  }

  /** Backs `cull()`, logging how many entries went. */
  protected override doCull(): Promise<number> {
    return this.#run({
      action: "CULL",
      storeWide: true,
      finish: (removed) => ({ extra: { removed } }),
    }, () => super.doCull());
  }

  /** Backs `putIfAbsent()`, logging whether it stored. */
  protected override doPutIfAbsent(
    key: string,
    value: Value,
    options?: PutOptions,
  ): Promise<boolean> {
    const [stored, logged] = this.#take(value);
    return this.#run({
      action: "PUT_IF_ABSENT",
      options,
      keys: key,
      start: { value: logged, extra: { ttl: options?.ttl ?? null } },
      finish: (done) => ({ value: logged, extra: { stored: done } }),
    }, () => super.doPutIfAbsent(key, stored, options));
  }

  /**
   * What a write hands on and what it logs. Without `logValues`, the value
   * goes to the inner store at once (which copies it at the call) and is
   * not logged. With it, both are copies taken now: the inner store gets
   * the validated copy and the log its own, so what is logged is what is
   * stored, whatever the caller does next and whatever a `toJSON`, getter or
   * Proxy would answer. A value that is not valid is handed on as it is,
   * for the inner store to refuse.
   */
  #take(value: Value): [stored: Value, logged: unknown] {
    if (!this.#values) return [value, undefined];
    const copy = copyIfValid(value);
    return copy === undefined ? [value, value] : [copy, copyValue(copy)];
  }

  #takeMany(values: readonly Value[]): [stored: readonly Value[], logged: unknown] {
    if (!this.#values || !Array.isArray(values)) return [values, this.#values ? values : undefined];
    const copies = values.map(copyIfValid);
    if (copies.some((copy) => copy === undefined)) return [values, values];
    return [copies as Value[], copies.map((copy) => copyValue(copy!))];
  }
}

function hitsOf(values: readonly (Value | undefined)[]): Record<string, number> {
  const hits = values.filter((value) => value !== undefined).length;
  return { hits, misses: values.length - hits };
}

function format(record: LogRecord): string {
  const status = record.status[0]!.toUpperCase() + record.status.slice(1);
  let line = `${status} ${record.action}`;
  if (record.collection !== undefined) line += ` collection=${JSON.stringify(record.collection)}`;
  if (record.keys !== undefined) line += ` keys=${JSON.stringify(record.keys)}`;
  if ("value" in record) line += ` value=${json(record.value)}`;
  if (record.extra) line += ` (${json(record.extra)})`;
  return line;
}

// Values reach the log before the inner store has checked them, so a value
// JSON cannot carry (a cycle, a BigInt) must not make logging throw.
function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "[a value JSON cannot carry]";
  }
}
