// This module is browser compatible.
/**
 * {@linkcode FernetEncryptionWrapper}: encrypts values exactly as
 * py-key-value's FernetEncryptionWrapper does.
 *
 * @example Usage
 * ```ts
 * import { FernetEncryptionWrapper } from "@kv/core/wrappers/fernet-encryption";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * // A key made by Python's Fernet.generate_key() (or by FernetEncryptionWrapper.generateKey()).
 * const key = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
 * const inner = new MemoryStore();
 * const store = new FernetEncryptionWrapper(inner, { keys: [key] });
 * await store.put("token", { secret: "s3cr3t" });
 * assert.deepEqual(await store.get("token"), { secret: "s3cr3t" });
 * assert.equal((await inner.get("token"))?.__encryption_version__, 1);
 * ```
 *
 * @module
 */

import { DecryptionError, EncryptionError } from "../core/errors.ts";
import { checkOptions } from "../core/options.ts";
import type { AsyncKeyValue, Value } from "../core/protocol.ts";
import { decodeBase64Url, encodeBase64, encodeBase64Url } from "./_base64.ts";
import {
  DATA,
  guarded,
  isSealed,
  KeyRing,
  parsePlaintext,
  readSealed,
  VERSION,
  versionError,
} from "./_encrypted.ts";
import { deriveFernetKey, FernetKey } from "./_fernet.ts";
import { TransformWrapper } from "./_transform.ts";

/** Key material from which py-key-value derives a Fernet key. */
export interface FernetSource {
  /** The secret (py-key-value's `source_material`). */
  sourceMaterial: string;
  /** The salt. */
  salt: string;
}

/** A Fernet key (URL-safe base64 of 32 bytes, as `Fernet.generate_key()` makes) or material to derive one. */
export type FernetKeyInput = string | FernetSource;

/** Options of {@linkcode FernetEncryptionWrapper}. */
export interface FernetEncryptionWrapperOptions {
  /** The keys: the first encrypts, any decrypts (Python's `MultiFernet`). */
  keys: readonly FernetKeyInput[];
  /** `true` rejects unreadable data with `DecryptionError`; `false` reads it as a miss. @default {true} */
  raiseOnDecryptionError?: boolean;
}

const encoder = new TextEncoder();
const ascii = new TextDecoder("ascii");

/**
 * Reads and writes py-key-value's FernetEncryptionWrapper format exactly,
 * so a Python service and this library share encrypted data:
 *
 * ```json
 * {"__encrypted_data__": "<standard base64 of the Fernet token's text>",
 *  "__encryption_version__": 1}
 * ```
 *
 * The token is a Fernet token (AES-128-CBC and HMAC-SHA256, made on
 * WebCrypto) of the value's compact JSON. Keys are Fernet key strings, or
 * `{ sourceMaterial, salt }` from which the key is derived as py-key-value
 * derives it: PBKDF2-HMAC-SHA256, 1,200,000 iterations, 32 bytes, URL-safe
 * base64. The derivation is slow on purpose (about a second) and runs once
 * per wrapper, on first use. The iteration count is py-key-value's and is
 * not an option, so password-derived (`{ sourceMaterial, salt }`) keys
 * cannot be derived on Cloudflare Workers, whose WebCrypto refuses PBKDF2
 * above 100,000 iterations; raw Fernet key strings work there. The first key encrypts, every key decrypts,
 * as with Python's `MultiFernet`. Key sources are copied when the wrapper is
 * built, so changing the caller's `{ sourceMaterial, salt }` afterwards
 * changes nothing; what is encrypted is the copy of the value validated at
 * the call, never the caller's object.
 *
 * Unreadable data is a `DecryptionError` (a missing or ill-typed field: its
 * subclass `CorruptedDataError`; a version above 1: caused by
 * `EncryptionVersionError`), or a miss with `raiseOnDecryptionError:
 * false`. A stored value without `__encrypted_data__` is returned as it is.
 *
 * @example Keys derived as py-key-value derives them
 * ```ts
 * import { FernetEncryptionWrapper } from "@kv/core/wrappers/fernet-encryption";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * // Reads and writes what a Python service stores through
 * // FernetEncryptionWrapper(store, source_material="secret", salt="salt").
 * const store = new FernetEncryptionWrapper(new MemoryStore(), {
 *   keys: [{ sourceMaterial: "secret", salt: "salt" }],
 * });
 * await store.put("k", { n: 1 });
 * assert.deepEqual(await store.get("k"), { n: 1 });
 * ```
 */
export class FernetEncryptionWrapper<S extends AsyncKeyValue = AsyncKeyValue>
  extends TransformWrapper<S> {
  readonly #ring: KeyRing<FernetKeyInput, FernetKey>;
  readonly #raise: boolean;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The keys and what to do with unreadable data.
   * @throws {TypeError} When no key is given, a key string is not a Fernet key, material is blank, or an option is unknown.
   */
  constructor(inner: S, options: FernetEncryptionWrapperOptions) {
    checkOptions("FernetEncryptionWrapper", options, OPTIONS);
    super(inner);
    this.#ring = new KeyRing(
      options?.keys,
      takeSource,
      async (source) =>
        await FernetKey.fromString(
          typeof source === "string" ? source : await FernetEncryptionWrapper.deriveKey(source),
        ),
      "FernetEncryptionWrapper",
    );
    this.#raise = options.raiseOnDecryptionError ?? true;
  }

  /**
   * A new random Fernet key, as Python's `Fernet.generate_key()` makes.
   *
   * @returns URL-safe base64 of 32 random bytes.
   */
  static generateKey(): string {
    return encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  }

  /**
   * Derives the Fernet key py-key-value derives from `sourceMaterial` and `salt`.
   *
   * @param source The material and salt.
   * @returns The Fernet key string.
   */
  static deriveKey(source: FernetSource): Promise<string> {
    if (typeof source !== "object" || source === null) {
      return Promise.reject(
        new TypeError("Cannot derive a Fernet key: the source must be { sourceMaterial, salt }"),
      );
    }
    try {
      const { sourceMaterial, salt } = takeSource(source) as FernetSource;
      return deriveFernetKey(sourceMaterial, salt);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Encrypts a value into a Fernet token with the first key. */
  protected async encode(value: Value): Promise<Value> {
    let token: string;
    try {
      const [key] = await this.#ring.keys();
      token = await key!.encrypt(encoder.encode(JSON.stringify(value)));
    } catch (cause) {
      throw new EncryptionError(`Cannot ${this.context("put")}: encryption failed`, { cause });
    }
    return { [DATA]: encodeBase64(encoder.encode(token)), [VERSION]: 1 };
  }

  /** Decrypts a stored Fernet value with whichever key fits. */
  protected decode(stored: Value): Promise<Value | undefined> {
    if (!isSealed(stored)) return Promise.resolve(stored);
    return guarded(this.#raise, () => this.#open(stored));
  }

  async #open(stored: Value): Promise<Value> {
    const context = this.context("get");
    const { version, bytes } = readSealed(stored, context);
    if (version > 1) {
      const hint = version === 2 ? " (version 2 is AES-256-GCM: use EncryptionWrapper)" : "";
      throw versionError(context, version, hint);
    }
    const token = ascii.decode(bytes);
    let last: unknown;
    for (const key of await this.#ring.keys()) {
      try {
        return parsePlaintext(await key.decrypt(token), context);
      } catch (error) {
        if (error instanceof DecryptionError) throw error;
        last = error;
      }
    }
    throw new DecryptionError(
      `Cannot ${context}: the Fernet token does not open with any key (a wrong key, or tampered data)`,
      { cause: last },
    );
  }
}

const OPTIONS = ["keys", "raiseOnDecryptionError"];
const SOURCE_OPTIONS = ["sourceMaterial", "salt"];

/** Checks a key and returns a private copy of it (the caller's object is not kept). */
function takeSource(source: FernetKeyInput): FernetKeyInput {
  const context = "Cannot create FernetEncryptionWrapper";
  if (typeof source === "string") {
    const bytes = decodeBase64Url(source);
    if (bytes === undefined || bytes.byteLength !== 32) {
      throw new TypeError(`${context}: a Fernet key must be 32 url-safe base64-encoded bytes`);
    }
    return source;
  }
  if (typeof source !== "object" || source === null) {
    throw new TypeError(`${context}: a key must be a Fernet key or { sourceMaterial, salt }`);
  }
  checkOptions("FernetEncryptionWrapper (a key source)", source, SOURCE_OPTIONS);
  const { sourceMaterial, salt } = source;
  if (typeof sourceMaterial !== "string" || sourceMaterial.trim() === "") {
    throw new TypeError(`${context}: sourceMaterial must be a non-blank string`);
  }
  if (typeof salt !== "string" || salt.trim() === "") {
    throw new TypeError(`${context}: salt must be a non-blank string`);
  }
  return { sourceMaterial, salt };
}
