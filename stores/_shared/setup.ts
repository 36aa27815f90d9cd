// Setup steps shared by the stores that create tables, collections or
// indices on first use (MongoDB, Elasticsearch, DynamoDB).

import { InvalidKeyError, StoreSetupError } from "../../core/errors.ts";

/**
 * The name a setup step works on, or undefined when the backend cannot hold
 * it: setup then does nothing, and the operation itself reports the
 * InvalidKeyError.
 */
export function setupName(resolve: () => string): string | undefined {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof InvalidKeyError) return undefined;
    throw error;
  }
}

/**
 * The error for a missing table, collection or index that the store may not
 * create (`autoCreate: false`).
 */
export function missingError(
  store: string,
  kind: string,
  name: string,
  extraInfo: Record<string, unknown>,
): StoreSetupError {
  return new StoreSetupError(
    `Cannot set up ${store}: ${kind} ${JSON.stringify(name)} does not exist ` +
      "and autoCreate is false",
    { extraInfo: { store, ...extraInfo } },
  );
}
