// This module is browser compatible.
/**
 * The error classes of `@kv/core`.
 *
 * Every error the library throws on purpose is a {@linkcode KeyValueError}
 * (or a built-in `TypeError`/`RangeError` for arguments of the wrong type or
 * shape). Each carries a message that names the store and the operation, an
 * `extraInfo` record with the details, and the backend's own error as
 * `cause`.
 *
 * ```
 * KeyValueError
 * ├── KeyValueOperationError
 * │   ├── SerializationError · DeserializationError · MissingKeyError
 * │   ├── InvalidTTLError · InvalidKeyError · ValueTooLargeError
 * │   ├── EncryptionError ── DecryptionError ── CorruptedDataError
 * │   │                  └── EncryptionVersionError
 * │   ├── ReadOnlyError · EntryTooLargeError · EntryTooSmallError
 * │   └── OperationTimeoutError
 * └── KeyValueStoreError
 *     ├── StoreSetupError · StoreConnectionError · PathSecurityError
 * ```
 *
 * @example Usage
 * ```ts
 * import { InvalidTTLError, KeyValueError } from "@kv/core/core/errors";
 * import assert from "node:assert/strict";
 *
 * const error = new InvalidTTLError("Cannot put: ttl must be positive: received -1", {
 *   extraInfo: { ttl: -1 },
 * });
 * assert.ok(error instanceof KeyValueError);
 * assert.equal(error.name, "InvalidTTLError");
 * assert.deepEqual(error.extraInfo, { ttl: -1 });
 * ```
 *
 * @module
 */

/** Options accepted by every {@linkcode KeyValueError}. */
export interface KeyValueErrorOptions {
  /** Structured details (store, operation, key, collection, limits, ...). */
  extraInfo?: Record<string, unknown>;
  /** The underlying error, usually the backend client's. */
  cause?: unknown;
}

/**
 * The root of every error `@kv/core` throws on purpose.
 *
 * @example Usage
 * ```ts
 * import { KeyValueError } from "@kv/core/core/errors";
 * import assert from "node:assert/strict";
 *
 * const error = new KeyValueError("Cannot get: boom", { extraInfo: { key: "a" } });
 * assert.equal(error.extraInfo.key, "a");
 * ```
 */
export class KeyValueError extends Error {
  /** Structured details about the failure. */
  readonly extraInfo: Record<string, unknown>;

  /**
   * Creates an error.
   *
   * @param message What failed, in the form "Cannot <action>: <reason>".
   * @param options Details and the underlying cause.
   */
  constructor(message: string, options: KeyValueErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.extraInfo = options.extraInfo ?? {};
  }
}

/** An operation failed because of its input or the data it met. */
export class KeyValueOperationError extends KeyValueError {}
/** A value cannot be turned into JSON without loss. */
export class SerializationError extends KeyValueOperationError {}
/** Stored data does not parse as a valid entry. */
export class DeserializationError extends KeyValueOperationError {}
/** A key was required but missing (see `RaiseOnMissingAdapter`). */
export class MissingKeyError extends KeyValueOperationError {}
/** A TTL is not a positive, finite number of seconds within the date range. */
export class InvalidTTLError extends KeyValueOperationError {}
/** A key or collection is empty, or one the backend cannot hold. */
export class InvalidKeyError extends KeyValueOperationError {}
/** A value is larger than the backend accepts. */
export class ValueTooLargeError extends KeyValueOperationError {}
/** A value could not be encrypted. */
export class EncryptionError extends KeyValueOperationError {}
/** A value could not be decrypted (tampered data, wrong key, bad format). */
export class DecryptionError extends EncryptionError {}
/** Encrypted data is malformed (missing or ill-typed fields). */
export class CorruptedDataError extends DecryptionError {}
/** Encrypted data carries a version this wrapper does not know. */
export class EncryptionVersionError extends EncryptionError {}
/** A write was attempted through a read-only wrapper. */
export class ReadOnlyError extends KeyValueOperationError {}
/** An entry is larger than a size limit allows. */
export class EntryTooLargeError extends KeyValueOperationError {}
/** An entry is smaller than a size limit allows. */
export class EntryTooSmallError extends KeyValueOperationError {}
/** An operation did not finish in time. */
export class OperationTimeoutError extends KeyValueOperationError {}

/** The store itself failed: setup, connection or configuration. */
export class KeyValueStoreError extends KeyValueError {}
/** Lazy setup (connecting, creating tables or indices) failed. */
export class StoreSetupError extends KeyValueStoreError {}
/** The backend could not be reached: refused, reset or timed out. */
export class StoreConnectionError extends KeyValueStoreError {}
/** A file-tree path would leave the store's root directory. */
export class PathSecurityError extends KeyValueStoreError {}
