// This module is browser compatible.
/**
 * {@linkcode EncryptionWrapper}: encrypts values with AES-256-GCM.
 *
 * @example Usage
 * ```ts
 * import { EncryptionWrapper } from "@kv/core/wrappers/encryption";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const key = crypto.getRandomValues(new Uint8Array(32));
 * const inner = new MemoryStore();
 * const store = new EncryptionWrapper(inner, { keys: [key] });
 * await store.put("card", { number: "4111 1111 1111 1111" });
 * assert.deepEqual(await store.get("card"), { number: "4111 1111 1111 1111" });
 * assert.ok(!JSON.stringify(await inner.get("card")).includes("4111"));
 * ```
 *
 * @module
 */

import { DecryptionError, EncryptionError } from "../core/errors.ts";
import { checkOptions } from "../core/options.ts";
import type { AsyncKeyValue, Value } from "../core/protocol.ts";
import { encodeBase64 } from "./_base64.ts";
import {
  ALGORITHM,
  DATA,
  guarded,
  isSealed,
  KeyRing,
  parsePlaintext,
  readSealed,
  VERSION,
  versionError,
} from "./_encrypted.ts";
import { TransformWrapper } from "./_transform.ts";

/** A password from which a key is derived with PBKDF2-SHA256. */
export interface PasswordKey {
  /** The password. */
  password: string;
  /** The salt (store it with your configuration; it need not be secret). */
  salt: string | Uint8Array;
  /**
   * PBKDF2 iterations: a positive integer. The default, 600,000, is
   * py-key-value's. Cloudflare Workers refuse PBKDF2 above 100,000
   * iterations: pass `iterations: 100_000` there (data written with it is
   * read back only with the same count).
   *
   * @default {600000}
   */
  iterations?: number;
}

/** An AES-256 key: 32 raw bytes, a WebCrypto AES-GCM key, or a password to derive one from. */
export type EncryptionKey = Uint8Array | CryptoKey | PasswordKey;

/** Options of {@linkcode EncryptionWrapper}. */
export interface EncryptionWrapperOptions {
  /** The keys: the first encrypts, any of them decrypts (key rotation). */
  keys: readonly EncryptionKey[];
  /**
   * `true` rejects an unreadable value (tampered, wrong key, unknown
   * version) with `DecryptionError`; `false` reads it as a miss. @default {true}
   */
  raiseOnDecryptionError?: boolean;
}

/** The encryption version of this wrapper's stored form (Fernet's is 1). */
export const AES_GCM_VERSION = 2;
const ALGORITHM_NAME = "AES-256-GCM";
const OPTIONS = ["keys", "raiseOnDecryptionError"];
const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();

/**
 * Encrypts every value with AES-256-GCM (authenticated encryption) through
 * WebCrypto, so it runs wherever `crypto.subtle` does. The stored form is
 *
 * ```json
 * {"__encrypted_data__": "<base64 of 12-byte IV, ciphertext and tag>",
 *  "__encryption_version__": 2, "__encryption_algorithm__": "AES-256-GCM"}
 * ```
 *
 * — py-key-value's envelope with version 2, so py-key-value's Fernet
 * wrapper refuses it cleanly (and this wrapper refuses Fernet's version 1
 * with a `DecryptionError` that says so).
 *
 * - Keys: 32 raw bytes, an AES-GCM `CryptoKey`, or `{ password, salt }`
 *   derived with PBKDF2-SHA256 (600,000 iterations by default, as
 *   py-key-value; on Cloudflare Workers, whose WebCrypto refuses more than
 *   100,000, pass `iterations: 100_000`) once per
 *   wrapper, lazily. Key material is copied when the wrapper is built, so
 *   wiping the caller's buffer (`key.fill(0)`) or changing a password
 *   object afterwards changes nothing. The first key encrypts; every key is tried when
 *   decrypting, so keys rotate by putting the new key first.
 * - Tampered data, a wrong key, malformed fields or an unknown version are a
 *   `DecryptionError` (malformed fields: its subclass `CorruptedDataError`),
 *   or a miss with `raiseOnDecryptionError: false`.
 * - A stored value without `__encrypted_data__` is returned as it is, so a
 *   store can be encrypted gradually.
 * - Values are checked before encryption, so bad input gets a store's usual
 *   errors; a failure of WebCrypto itself is an `EncryptionError`. What is
 *   encrypted is the copy of the value validated at the call, never the
 *   caller's object (which may change while the key is imported).
 *
 * @example Rotating keys
 * ```ts
 * import { EncryptionWrapper } from "@kv/core/wrappers/encryption";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const inner = new MemoryStore();
 * const old = { password: "old secret", salt: "app-salt", iterations: 1000 };
 * await new EncryptionWrapper(inner, { keys: [old] }).put("k", { n: 1 });
 * const fresh = crypto.getRandomValues(new Uint8Array(32));
 * const rotated = new EncryptionWrapper(inner, { keys: [fresh, old] });
 * assert.deepEqual(await rotated.get("k"), { n: 1 });
 * ```
 */
export class EncryptionWrapper<S extends AsyncKeyValue = AsyncKeyValue>
  extends TransformWrapper<S> {
  readonly #ring: KeyRing<EncryptionKey, CryptoKey>;
  readonly #raise: boolean;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The keys and what to do with unreadable data.
   * @throws {TypeError} When no key is given, a key is neither 32 bytes, a CryptoKey nor a password, or an option is unknown.
   */
  constructor(inner: S, options: EncryptionWrapperOptions) {
    checkOptions("EncryptionWrapper", options, OPTIONS);
    super(inner);
    this.#ring = new KeyRing(options?.keys, takeKeySource, importKey, "EncryptionWrapper");
    this.#raise = options.raiseOnDecryptionError ?? true;
  }

  /** Encrypts a value with the first key. */
  protected async encode(value: Value): Promise<Value> {
    let sealed: Uint8Array;
    try {
      const [key] = await this.#ring.keys();
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plaintext = encoder.encode(JSON.stringify(value));
      const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key!, plaintext);
      sealed = new Uint8Array(IV_BYTES + ciphertext.byteLength);
      sealed.set(iv);
      sealed.set(new Uint8Array(ciphertext), IV_BYTES);
    } catch (cause) {
      throw new EncryptionError(`Cannot ${this.context("put")}: encryption failed`, { cause });
    }
    return {
      [DATA]: encodeBase64(sealed),
      [VERSION]: AES_GCM_VERSION,
      [ALGORITHM]: ALGORITHM_NAME,
    };
  }

  /** Decrypts a stored value with whichever key fits. */
  protected decode(stored: Value): Promise<Value | undefined> {
    if (!isSealed(stored)) return Promise.resolve(stored);
    return guarded(this.#raise, () => this.#open(stored));
  }

  async #open(stored: Value): Promise<Value> {
    const context = this.context("get");
    const { version, bytes, algorithm } = readSealed(stored, context);
    if (version !== AES_GCM_VERSION) {
      const hint = version === 1 ? " (version 1 is Fernet: use FernetEncryptionWrapper)" : "";
      throw versionError(context, version, hint);
    }
    if (algorithm !== ALGORITHM_NAME) {
      throw new DecryptionError(
        `Cannot ${context}: unknown encryption algorithm ${JSON.stringify(algorithm)}`,
      );
    }
    if (bytes.byteLength < IV_BYTES + TAG_BYTES) {
      throw new DecryptionError(`Cannot ${context}: encrypted data is too short`);
    }
    const iv = bytes.subarray(0, IV_BYTES);
    const ciphertext = bytes.subarray(IV_BYTES);
    let last: unknown;
    for (const key of await this.#ring.keys()) {
      let plaintext: ArrayBuffer;
      try {
        plaintext = await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, ciphertext);
      } catch (error) {
        last = error;
        continue;
      }
      return parsePlaintext(new Uint8Array(plaintext), context);
    }
    throw new DecryptionError(
      `Cannot ${context}: no key decrypts the value (a wrong key, or tampered data)`,
      { cause: last },
    );
  }
}

function isPassword(key: EncryptionKey): key is PasswordKey {
  return typeof key === "object" && key !== null && "password" in key;
}

const PASSWORD_OPTIONS = ["password", "salt", "iterations"];

/** Checks a key and returns a private copy of it: the caller's buffer or object is not kept. */
function takeKeySource(key: EncryptionKey): EncryptionKey {
  const context = "Cannot create EncryptionWrapper";
  if (key instanceof Uint8Array) {
    if (key.byteLength !== 32) {
      throw new TypeError(`${context}: a raw key must be 32 bytes: received ${key.byteLength}`);
    }
    return new Uint8Array(key);
  }
  if (isPassword(key)) {
    checkOptions("EncryptionWrapper (a password key)", key, PASSWORD_OPTIONS);
    const { password, salt, iterations = 600_000 } = key;
    if (typeof password !== "string" || password === "") {
      throw new TypeError(`${context}: password must be a non-empty string`);
    }
    if (!(typeof salt === "string" ? salt !== "" : salt instanceof Uint8Array)) {
      throw new TypeError(`${context}: salt must be a non-empty string or bytes`);
    }
    if (!Number.isInteger(iterations) || iterations < 1) {
      throw new TypeError(`${context}: iterations must be a positive integer`);
    }
    return { password, salt: typeof salt === "string" ? salt : new Uint8Array(salt), iterations };
  }
  if (typeof CryptoKey === "undefined" || !(key instanceof CryptoKey)) {
    throw new TypeError(`${context}: a key must be 32 bytes, a CryptoKey or { password, salt }`);
  }
  return key;
}

async function importKey(source: EncryptionKey): Promise<CryptoKey> {
  const usages: KeyUsage[] = ["encrypt", "decrypt"];
  if (source instanceof Uint8Array) {
    return await crypto.subtle.importKey(
      "raw",
      source as Uint8Array<ArrayBuffer>,
      "AES-GCM",
      false,
      usages,
    );
  }
  if (!isPassword(source)) return source;
  const salt = typeof source.salt === "string" ? encoder.encode(source.salt) : source.salt;
  const material = await crypto.subtle.importKey(
    "raw",
    encoder.encode(source.password),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  return await crypto.subtle.deriveKey(
    {
      name: "PBKDF2",
      hash: "SHA-256",
      salt: salt as Uint8Array<ArrayBuffer>,
      iterations: source.iterations ?? 600_000,
    },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    usages,
  );
}
