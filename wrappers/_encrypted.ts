// This module is browser compatible.
// The stored form shared by the encryption wrappers, py-key-value's
// BaseEncryptionWrapper format: {"__encrypted_data__": base64 text,
// "__encryption_version__": int}, plus, for AES-GCM, an algorithm name.

import { CorruptedDataError, DecryptionError, EncryptionVersionError } from "../core/errors.ts";
import type { Value } from "../core/protocol.ts";
import { parseValue } from "../core/serialization.ts";
import { decodeBase64 } from "./_base64.ts";

export const DATA = "__encrypted_data__";
export const VERSION = "__encryption_version__";
export const ALGORITHM = "__encryption_algorithm__";

/** The checked fields of a stored encrypted value. */
export interface Sealed {
  version: number;
  bytes: Uint8Array<ArrayBuffer>;
  algorithm: unknown;
}

/** Whether a stored value is in the encrypted form at all. */
export function isSealed(stored: Value): boolean {
  return Object.hasOwn(stored, DATA);
}

/** Reads the encrypted form; `CorruptedDataError` when a field is missing or ill-typed. */
export function readSealed(stored: Value, context: string): Sealed {
  const version = stored[VERSION];
  if (!Number.isInteger(version)) {
    throw new CorruptedDataError(
      `Cannot ${context}: encrypted data has ${
        version === undefined ? "no" : "an ill-typed"
      } ${VERSION}`,
      { extraInfo: { version: version === undefined ? null : String(version) } },
    );
  }
  const data = stored[DATA];
  if (typeof data !== "string") {
    throw new CorruptedDataError(`Cannot ${context}: ${DATA} is not a string`);
  }
  const bytes = decodeBase64(data);
  if (bytes === undefined) {
    throw new CorruptedDataError(`Cannot ${context}: ${DATA} is not valid base64`);
  }
  return { version: version as number, bytes, algorithm: stored[ALGORITHM] };
}

/** A `DecryptionError` for data of another version, caused by an `EncryptionVersionError`. */
export function versionError(context: string, version: number, hint: string): DecryptionError {
  const message = `Cannot ${context}: encryption version ${version} is not supported${hint}`;
  return new DecryptionError(message, {
    extraInfo: { version },
    cause: new EncryptionVersionError(message, { extraInfo: { version } }),
  });
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Parses decrypted bytes as a value; `DecryptionError` when they are not a JSON object. */
export function parsePlaintext(bytes: Uint8Array, context: string): Value {
  try {
    return parseValue(decoder.decode(bytes), context);
  } catch (cause) {
    throw new DecryptionError(`Cannot ${context}: decrypted data is not a JSON object`, { cause });
  }
}

/** Runs a decryption; with `raise` false, a `DecryptionError` becomes a miss. */
export async function guarded(
  raise: boolean,
  open: () => Promise<Value>,
): Promise<Value | undefined> {
  try {
    return await open();
  } catch (error) {
    if (!raise && error instanceof DecryptionError) return undefined;
    throw error;
  }
}

/**
 * The keys of an encryption wrapper: the sources checked and copied at
 * construction (so a caller who wipes or changes a key buffer or a password
 * object afterwards changes nothing), turned into keys on first use (once;
 * a failed import is tried again on the next call). The first key
 * encrypts; all of them decrypt.
 */
export class KeyRing<S, K> {
  readonly #sources: readonly S[];
  readonly #load: (source: S) => Promise<K>;
  #keys: Promise<K[]> | undefined;

  /**
   * @param keys The `keys` option, checked: a non-empty array of sources.
   * @param take Checks one source (throws a TypeError) and returns a private copy of it.
   * @param load Turns one (copied) source into a key.
   * @param wrapper The wrapper's name, for the error.
   */
  constructor(
    keys: unknown,
    take: (source: S) => S,
    load: (source: S) => Promise<K>,
    wrapper: string,
  ) {
    if (!Array.isArray(keys) || keys.length === 0) {
      throw new TypeError(`Cannot create ${wrapper}: keys must be a non-empty array`);
    }
    this.#sources = [...keys].map(take);
    this.#load = load;
  }

  /** The keys, in the order given. */
  keys(): Promise<K[]> {
    this.#keys ??= Promise.all(this.#sources.map((source) => this.#load(source)));
    this.#keys.catch(() => this.#keys = undefined);
    return this.#keys;
  }
}
