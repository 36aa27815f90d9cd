// This module is browser compatible.
// Key layout, sizes and batching for DenoKvStore, within Deno KV's limits
// (denokv_proto limits.rs): keys up to 2,048 bytes, values up to 65,536
// bytes, at most 10 keys per getMany, 10 checks and 1,000 mutations per
// atomic operation, 819,200 bytes of mutations and 81,920 bytes of keys in it.

import { sha256Hex } from "../../core/_sha256.ts";

/** One part of a Deno KV key. */
export type KvKeyPart = Uint8Array | string | number | bigint | boolean;
/** A Deno KV key. */
export type KvKey = readonly KvKeyPart[];

/** The largest value Deno KV stores, in bytes. */
export const MAX_VALUE_BYTES = 65_536;
/** The most keys one `getMany` reads. */
export const MAX_READ_KEYS = 10;
/** The most checks one atomic operation holds. */
export const MAX_CHECKS = 10;
/** The most mutations one atomic operation holds. */
export const MAX_MUTATIONS = 1_000;
/** The most bytes (keys and values) one atomic operation writes. */
export const MAX_MUTATION_BYTES = 819_200;
/** The most key bytes one atomic operation holds. */
export const MAX_KEY_BYTES_PER_ATOMIC = 81_920;
/** The largest prefix, in encoded bytes. */
export const MAX_PREFIX_BYTES = 512;
/** A collection part longer than this (encoded bytes) is stored as its SHA-256 digest. */
export const MAX_COLLECTION_PART = 512;
/** A key part longer than this (encoded bytes) is stored as its SHA-256 digest. */
export const MAX_KEY_PART = 960;

const encoder = new TextEncoder();

/** The encoded size of one key part (type byte, content with 0x00 escaped, terminator). */
export function partSize(part: KvKeyPart): number {
  if (typeof part === "string" || part instanceof Uint8Array) {
    const bytes = typeof part === "string" ? encoder.encode(part) : part;
    let zeros = 0;
    for (const byte of bytes) if (byte === 0) zeros++;
    return bytes.length + zeros + 2;
  }
  return typeof part === "bigint" ? 10 + Math.ceil(part.toString(16).length / 2) : 9;
}

/** The encoded size of a key. */
export function keySize(key: KvKey): number {
  let size = 0;
  for (const part of key) size += partSize(part);
  return size;
}

function digest(name: string): Uint8Array {
  const hex = sha256Hex(name);
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * The key part of a name: the name itself, or, when longer than `max`
 * encoded bytes, its SHA-256 digest as a `Uint8Array` (a byte part can never
 * equal a string part, so hashed names cannot collide with plain ones).
 */
export function namePart(name: string, max: number): KvKeyPart {
  return partSize(name) <= max ? name : digest(name);
}

/** Whether two key parts are equal. */
export function samePart(a: KvKeyPart | undefined, b: KvKeyPart): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  return a === b;
}

/** A write of one atomic batch. */
export interface Mutation {
  /** The key. */
  readonly key: KvKey;
  /** The value to set, or `undefined` to delete. */
  readonly value?: Uint8Array | undefined;
}

/** Splits mutations into groups that each fit in one atomic operation. */
export function batches<T extends Mutation>(
  mutations: readonly T[],
  maxCount = MAX_MUTATIONS,
): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let bytes = 0;
  let keyBytes = 0;
  for (const mutation of mutations) {
    const size = keySize(mutation.key);
    const total = size + (mutation.value?.length ?? 0);
    if (
      group.length > 0 &&
      (group.length >= maxCount || bytes + total > MAX_MUTATION_BYTES ||
        keyBytes + size > MAX_KEY_BYTES_PER_ATOMIC)
    ) {
      groups.push(group);
      group = [];
      bytes = 0;
      keyBytes = 0;
    }
    group.push(mutation);
    bytes += total;
    keyBytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Splits a list into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A store's `prefix` option as a frozen key.
 *
 * @throws {TypeError} When it is not a key of at most {@linkcode MAX_PREFIX_BYTES} bytes.
 */
export function toPrefix(prefix: string | KvKey | undefined): KvKey {
  const key = prefix === undefined ? [] : typeof prefix === "string" ? [prefix] : [...prefix];
  if (!Array.isArray(key) || keySize(key) > MAX_PREFIX_BYTES) {
    throw new TypeError(
      `Cannot create DenoKvStore: prefix must be a key of at most ${MAX_PREFIX_BYTES} bytes`,
    );
  }
  return Object.freeze(key);
}
