// This module is browser compatible.
// DenoKvStore's many-key round trips within Deno KV's limits: reads of 10
// keys per getMany, in parallel, and writes and deletes in as few atomic
// operations as fit (1,000 mutations, 800 KB each).

import { batches, chunks, type KvKey, MAX_READ_KEYS, type Mutation } from "./_keys.ts";
import type { DenoKvEntryMaybe, DenoKvLike } from "./_open.ts";

/** A set (with its expiry) or, without a value, a delete. */
export interface Write extends Mutation {
  /** Deno KV's set options. */
  readonly expire?: { expireIn: number } | undefined;
}

/** Reads many keys, 10 per `getMany`, in parallel; results in order. */
export async function readAll(
  kv: DenoKvLike,
  keys: readonly KvKey[],
): Promise<DenoKvEntryMaybe[]> {
  const groups = await Promise.all(chunks(keys, MAX_READ_KEYS).map((group) => kv.getMany(group)));
  return groups.flat();
}

/**
 * Applies writes in atomic operations that each fit Deno KV's limits; a
 * list that fits one operation is all-or-nothing.
 *
 * @throws {Error} `failed()` when an operation does not commit.
 */
export async function commitAll(
  kv: DenoKvLike,
  writes: readonly Write[],
  failed: () => Error,
): Promise<void> {
  for (const group of batches(writes)) {
    const op = kv.atomic();
    for (const { key, value, expire } of group) {
      if (value === undefined) op.delete(key);
      else op.set(key, value, expire);
    }
    if (!(await op.commit()).ok) throw failed();
  }
}
