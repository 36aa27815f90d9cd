// Opening a Deno KV database in any runtime, and the shape DenoKvStore needs
// from it (met by Deno.Kv and by @deno/kv's Kv).

import { StoreSetupError } from "../../core/errors.ts";
import type { KvKey } from "./_keys.ts";

/** An entry read from Deno KV (`value` and `versionstamp` are `null` when missing). */
export interface DenoKvEntryMaybe {
  /** The key. */
  readonly key: KvKey;
  /** The value, or `null`. */
  readonly value: unknown;
  /** The versionstamp, or `null`. */
  readonly versionstamp: string | null;
}

/** An entry listed from Deno KV. */
export interface DenoKvEntry {
  /** The key. */
  readonly key: KvKey;
  /** The value. */
  readonly value: unknown;
  /** The versionstamp. */
  readonly versionstamp: string;
}

/** A Deno KV atomic operation. */
export interface DenoKvAtomic {
  /** Adds version checks. */
  check(...checks: { key: KvKey; versionstamp: string | null }[]): DenoKvAtomic;
  /** Adds a set. */
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): DenoKvAtomic;
  /** Adds a delete. */
  delete(key: KvKey): DenoKvAtomic;
  /** Commits; `ok` is false when a check failed. */
  commit(): Promise<{ ok: boolean }>;
}

/** The part of a Deno KV database (`Deno.Kv`, or `Kv` from `@deno/kv`) the store uses. */
export interface DenoKvLike {
  /** Reads one key. */
  get(key: KvKey): Promise<DenoKvEntryMaybe>;
  /** Reads up to 10 keys. */
  getMany(keys: readonly KvKey[]): Promise<DenoKvEntryMaybe[]>;
  /** Sets one key. */
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  /** Lists keys by prefix (and start). */
  list(
    selector: { prefix: KvKey; start?: KvKey },
    options?: { batchSize?: number; limit?: number },
  ): AsyncIterable<DenoKvEntry>;
  /** Starts an atomic operation. */
  atomic(): DenoKvAtomic;
  /** Closes the database. */
  close(): void;
}

type OpenKv = (path?: string, options?: Record<string, unknown>) => Promise<unknown>;

/**
 * Opens `path` with Deno's `Deno.openKv` where it exists (Deno, Deno Deploy),
 * else with `openKv` from the `@deno/kv` package (Node, Bun), loaded only
 * then. On Deno without `Deno.openKv` (run without `--unstable-kv`), it throws
 * a {@linkcode StoreSetupError} naming the flag: the npm addon does not load
 * in Deno, so there is no fallback. Bun needs `@deno/kv`'s `encodeV8`/`decodeV8` options; the store only
 * ever writes byte values, which bypass them, so the file stays readable by
 * Deno.
 */
export async function openDenoKv(path: string): Promise<DenoKvLike> {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  const native = g.Deno?.openKv as OpenKv | undefined;
  if (typeof native === "function") return (await native(path)) as DenoKvLike;
  if (g.Deno !== undefined && g.Bun === undefined) {
    throw new StoreSetupError(
      "Cannot set up DenoKvStore: Deno.openKv is missing; run Deno with --unstable-kv " +
        '(or add "unstable": ["kv"] to deno.json)',
      { extraInfo: { path } },
    );
  }
  // @deno/kv: Deno KV's own client for Node (napi SQLite, same file format).
  const { openKv } = await import("@deno/kv");
  const options: Record<string, unknown> = {};
  if (g.Bun !== undefined) {
    options.encodeV8 = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    options.decodeV8 = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));
  }
  return (await (openKv as OpenKv)(path, options)) as DenoKvLike;
}

/**
 * Whether an error of Deno KV means a KV Connect server could not be
 * reached: besides the shared socket codes (checked by the error mapper),
 * Deno reports these as a TypeError naming the failed connection.
 */
export function isConnectionFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  return /failed to connect|error sending request|connection (refused|reset|closed)|timed out/i
    .test(message);
}
