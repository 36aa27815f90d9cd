// This module is browser compatible.
// Fernet tokens (https://github.com/fernet/spec) on WebCrypto: AES-128-CBC
// with PKCS#7 padding, authenticated by HMAC-SHA256 over
// version ‖ timestamp ‖ IV ‖ ciphertext, the whole URL-safe base64 encoded
// with padding, byte for byte as Python's `cryptography.fernet` makes them.

import { decodeBase64Url, encodeBase64Url } from "./_base64.ts";

const VERSION = 0x80;
const HEADER = 1 + 8 + 16; // version, timestamp, IV
const MAC = 32;

/** Why a token did not open, in `cryptography`'s terms (all are its `InvalidToken`). */
export class InvalidToken extends Error {}

/** One Fernet key: a signing half and an encryption half. */
export class FernetKey {
  readonly #sign: CryptoKey;
  readonly #encrypt: CryptoKey;

  private constructor(sign: CryptoKey, encrypt: CryptoKey) {
    this.#sign = sign;
    this.#encrypt = encrypt;
  }

  /** Imports a key given as Fernet does: URL-safe base64 of 32 bytes. */
  static async fromString(text: string): Promise<FernetKey> {
    const bytes = decodeBase64Url(text);
    if (bytes === undefined || bytes.byteLength !== 32) {
      throw new TypeError("a Fernet key must be 32 url-safe base64-encoded bytes");
    }
    return await FernetKey.fromBytes(bytes);
  }

  /** Imports 32 raw key bytes (signing key first, then encryption key). */
  static async fromBytes(bytes: Uint8Array<ArrayBuffer>): Promise<FernetKey> {
    const sign = await crypto.subtle.importKey(
      "raw",
      bytes.slice(0, 16),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    const encrypt = await crypto.subtle.importKey("raw", bytes.slice(16, 32), "AES-CBC", false, [
      "encrypt",
      "decrypt",
    ]);
    return new FernetKey(sign, encrypt);
  }

  /** Makes a token of `plaintext`; `now` (ms) and `iv` are for test vectors. */
  async encrypt(
    plaintext: Uint8Array<ArrayBuffer>,
    now: number = Date.now(),
    iv: Uint8Array<ArrayBuffer> = crypto.getRandomValues(new Uint8Array(16)),
  ): Promise<string> {
    const ciphertext = new Uint8Array(
      await crypto.subtle.encrypt({ name: "AES-CBC", iv }, this.#encrypt, plaintext),
    );
    const token = new Uint8Array(HEADER + ciphertext.byteLength + MAC);
    const view = new DataView(token.buffer);
    token[0] = VERSION;
    view.setBigUint64(1, BigInt(Math.floor(now / 1000)));
    token.set(iv, 9);
    token.set(ciphertext, HEADER);
    const signed = token.subarray(0, HEADER + ciphertext.byteLength);
    const mac = await crypto.subtle.sign("HMAC", this.#sign, signed);
    token.set(new Uint8Array(mac), signed.byteLength);
    return encodeBase64Url(token);
  }

  /** Opens a token; `InvalidToken` when it is malformed or was not made with this key. */
  async decrypt(token: string): Promise<Uint8Array<ArrayBuffer>> {
    const bytes = decodeBase64Url(token);
    if (bytes === undefined) throw new InvalidToken("the token is not url-safe base64");
    if (bytes.byteLength < HEADER + 16 + MAC || (bytes.byteLength - HEADER - MAC) % 16 !== 0) {
      throw new InvalidToken("the token has an impossible length");
    }
    if (bytes[0] !== VERSION) throw new InvalidToken("the token's version byte is not 0x80");
    const end = bytes.byteLength - MAC;
    const valid = await crypto.subtle.verify(
      "HMAC",
      this.#sign,
      bytes.subarray(end),
      bytes.subarray(0, end),
    );
    if (!valid) throw new InvalidToken("the token's signature does not match this key");
    try {
      return new Uint8Array(
        await crypto.subtle.decrypt(
          { name: "AES-CBC", iv: bytes.subarray(9, HEADER) },
          this.#encrypt,
          bytes.subarray(HEADER, end),
        ),
      );
    } catch (cause) {
      throw new InvalidToken("the token's padding is invalid", { cause });
    }
  }
}

/**
 * py-key-value's key derivation: PBKDF2-HMAC-SHA256 of `sourceMaterial`
 * with `salt`, 1,200,000 iterations, 32 bytes, as a Fernet key string.
 */
export async function deriveFernetKey(
  sourceMaterial: string,
  salt: string,
  iterations = 1_200_000,
): Promise<string> {
  const encoder = new TextEncoder();
  const material = await crypto.subtle.importKey(
    "raw",
    encoder.encode(sourceMaterial),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: encoder.encode(salt), iterations },
    material,
    256,
  );
  return encodeBase64Url(new Uint8Array(bits));
}
