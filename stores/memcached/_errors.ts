// What MemcachedStore knows of memjs's errors, for the one ErrorMapper of
// stores/_shared/errors.ts (socket codes such as ECONNREFUSED are that
// module's shared list).

import type { StoreOperation } from "../../core/base_store.ts";
import { ValueTooLargeError } from "../../core/errors.ts";
import { ErrorMapper } from "../_shared/errors.ts";

/**
 * memjs's own signs of a connection failure, beyond the shared socket
 * codes: its timeouts, no server to send to, failed SASL, and the server's
 * "busy" / "temporary failure" replies. Other "MemJS <OP>: <status>"
 * replies, and anything else, are not.
 */
export function isMemjsConnectionFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /^socket timed out|^No servers available|authentication failed/i.test(message) ||
    /^MemJS [A-Z]+: (Authentication|Busy|Temporary failure)/.test(message);
}

/**
 * The error mapper of MemcachedStore: memcached's "Value too large" reply
 * is a ValueTooLargeError; the rest follows the shared rule.
 *
 * @param context The store's `context(operation)`.
 */
export function memcachedErrorMapper(context: (operation: StoreOperation) => string): ErrorMapper {
  return new ErrorMapper({
    store: "MemcachedStore",
    context,
    isConnectionFailure: isMemjsConnectionFailure,
    translate: (error, _operation, context) =>
      error instanceof Error && /^MemJS [A-Z]+: Value too large/.test(error.message)
        ? new ValueTooLargeError(`Cannot ${context}: memcached refused the value: too large`, {
          extraInfo: { store: "MemcachedStore" },
          cause: error,
        })
        : undefined,
  });
}
