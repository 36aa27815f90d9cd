// This module is browser compatible.
// Name helpers of the wrappers that rename keys or collections
// (PrefixKeysWrapper, PrefixCollectionsWrapper, SingleCollectionWrapper).

import type { Capability } from "../core/capabilities.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";

/** The separator of py-key-value's prefixes (`prefix__name`). */
export const SEPARATOR = "__";

/** Checks a prefix: a non-empty string without the separator, so names map back uniquely. */
export function checkPrefix(
  prefix: unknown,
  what: string,
  context: string,
  separator = SEPARATOR,
): string {
  if (typeof prefix !== "string" || prefix === "") {
    throw new TypeError(`Cannot ${context}: ${what} must be a non-empty string`);
  }
  if (prefix.includes(separator)) {
    throw new TypeError(
      `Cannot ${context}: ${what} must not contain the separator ${
        JSON.stringify(separator)
      }: received ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
}

/** The names that start with `prefix + separator`, without it, at most `limit` of them. */
export function stripPrefix(
  names: readonly string[],
  prefix: string,
  limit: number | undefined,
  separator = SEPARATOR,
): string[] {
  const head = prefix + separator;
  const out: string[] = [];
  for (const name of names) {
    if (name.length > head.length && name.startsWith(head)) {
      out.push(name.slice(head.length));
      if (out.length === limit) break;
    }
  }
  return out;
}

/** Capabilities of the inner store, filtered by what a mapping wrapper can build from them. */
export function mappedCapabilities(
  inner: AsyncKeyValue,
  rules: Partial<Record<Capability, readonly Capability[]>>,
): Capability[] {
  const has = (name: Capability) =>
    typeof (inner as unknown as Record<string, unknown>)[name] === "function";
  return (Object.keys(rules) as Capability[]).filter((name) => rules[name]!.every(has));
}
