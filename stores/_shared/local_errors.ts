// This module is browser compatible.
// The error mapping FileTreeStore and DenoKvStore share: a library error
// passes through; anything else the backend throws becomes a
// KeyValueStoreError "Cannot <context>: <message>" with the original as cause.

import { KeyValueError, KeyValueStoreError } from "../../core/errors.ts";

/**
 * Turns a backend error the store has a better name for into a library
 * error; `undefined` leaves it to the default mapping.
 */
export type ErrorTranslator = (error: unknown, context: string) => KeyValueError | undefined;

/**
 * Runs one backend operation and maps what it throws.
 *
 * @param context The store's context, such as "get from FileTreeStore".
 * @param body The operation.
 * @param translate An optional store-specific mapping, tried first.
 * @returns What `body` returns.
 * @throws {KeyValueError} What `body` throws, as is or wrapped in a KeyValueStoreError.
 */
export async function runLocal<T>(
  context: string,
  body: () => Promise<T>,
  translate?: ErrorTranslator,
): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof KeyValueError) throw error;
    const translated = translate?.(error, context);
    if (translated !== undefined) throw translated;
    const message = error instanceof Error ? error.message : String(error);
    throw new KeyValueStoreError(`Cannot ${context}: ${message}`, { cause: error });
  }
}
