// This module is browser compatible.
/**
 * Strict options: every store, wrapper and adapter refuses a constructor
 * option it does not know, with a `TypeError` that names it and lists the
 * valid ones, so that a misspelt option (`servers` for `url`) never falls
 * back silently to a default such as localhost.
 *
 * @example Usage
 * ```ts
 * import { checkOptions } from "@kv/core/core/options";
 * import assert from "node:assert/strict";
 *
 * checkOptions("MyStore", { url: "x" }, ["url", "client"]);
 * assert.throws(
 *   () => checkOptions("MyStore", { servers: "x" }, ["url", "client"]),
 *   { name: "TypeError", message: /unknown option "servers".*url, client/ },
 * );
 * ```
 *
 * @module
 */

/**
 * Refuses an options argument that is not an object (or undefined), or that
 * has an own enumerable property not in `valid`.
 *
 * @param owner The class name, for the message ("MemcachedStore").
 * @param options The options argument as the caller passed it.
 * @param valid Every option name the class accepts.
 * @throws {TypeError} When `options` is not an object or names an unknown option.
 */
export function checkOptions(owner: string, options: unknown, valid: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`Cannot create ${owner}: options must be an object`);
  }
  for (const name of Object.keys(options)) {
    if (!valid.includes(name)) {
      throw new TypeError(
        `Cannot create ${owner}: unknown option "${name}"; valid options are: ${valid.join(", ")}`,
      );
    }
  }
}
