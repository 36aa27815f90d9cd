// This module is browser compatible.
// Name helpers of the wrappers that rename keys or collections
// (PrefixKeysWrapper, PrefixCollectionsWrapper, SingleCollectionWrapper).
//
// Each joins a head and a name as py-key-value does: `head + separator +
// name`, with `name` any non-empty string. That join is injective, and its
// inverse exact, exactly when every head `h` it accepts *keeps apart*: the
// separator occurs in `h + separator` only at its start and at its end.
//
// Why: if `h1 + s + n1 === h2 + s + n2` with `h1` shorter than `h2`, the
// joined string holds `s` at `h1.length`, which lies inside `h2 + s` (a
// prefix of it) at an index from 1 (heads are not empty) to below
// `h2.length`, so `h2` does not keep apart. Conversely a head `h` with `s` at
// such an index `i` collides: `h.slice(0, i)` keeps apart and joins with the
// rest into the same string. So the rule refuses exactly the heads that
// would meet another one. For `__`: a head must not hold `__` after its
// first character and must not end with `_` (`_` itself is fine).
//
// The inverse of a joined string is its split at the first separator found
// from index 1: the head found there keeps apart, and is the only one that
// does.

import type { Capability } from "../core/capabilities.ts";
import { InvalidKeyError } from "../core/errors.ts";
import type { AsyncKeyValue } from "../core/protocol.ts";
import type { CapabilityRules } from "../core/_base_wrapper.ts";

/** The separator of py-key-value's prefixes (`prefix__name`). */
export const SEPARATOR = "__";

/** Whether `head + separator + name` can be split back into `head` and `name` for every name. */
export function keepsApart(head: string, separator: string): boolean {
  return (head + separator).indexOf(separator, 1) === head.length;
}

/** Checks an option that must be a non-empty string; returns it. */
export function checkName(value: unknown, what: string, context: string): string {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`Cannot ${context}: ${what} must be a non-empty string`);
  }
  if (!value.isWellFormed()) {
    throw new InvalidKeyError(
      `Cannot ${context}: ${what} is not well-formed UTF-16 (it holds a lone surrogate)`,
      { extraInfo: { [what]: value } },
    );
  }
  return value;
}

/**
 * Checks a head (a prefix, or SingleCollectionWrapper's collection): a
 * well-formed string that keeps apart (see the top of this file).
 *
 * @throws {TypeError} When it is not a non-empty string.
 * @throws {InvalidKeyError} When it is not well-formed or does not keep apart.
 */
export function checkHead(
  head: unknown,
  what: string,
  context: string,
  separator = SEPARATOR,
): string {
  const name = checkName(head, what, context);
  if (!keepsApart(name, separator)) {
    const sep = JSON.stringify(separator);
    throw new InvalidKeyError(
      `Cannot ${context}: ${what} ${JSON.stringify(name)} cannot be kept apart from others ` +
        `by the separator ${sep}: ${JSON.stringify(name + separator)} holds ${sep} ` +
        `before its end${separator === SEPARATOR ? " (it holds __, or ends with _)" : ""}, ` +
        `so two names would share one stored name`,
      { extraInfo: { [what]: name, separator } },
    );
  }
  return name;
}

/** The head of a joined name (split at the first separator from index 1), or `undefined`. */
export function headOf(joined: string, separator = SEPARATOR): string | undefined {
  const at = joined.indexOf(separator, 1);
  return at > 0 && at + separator.length < joined.length ? joined.slice(0, at) : undefined;
}

/** The names that start with `head + separator`, without it, at most `limit` of them. */
export function stripHead(
  names: readonly string[],
  head: string,
  limit: number | undefined,
  separator = SEPARATOR,
): string[] {
  const start = head + separator;
  const out: string[] = [];
  for (const name of names) {
    if (name.length > start.length && name.startsWith(start)) {
      out.push(name.slice(start.length));
      if (out.length === limit) break;
    }
  }
  return out;
}

/** `rules`, frozen with each of its lists: a published table cannot drift from its type. */
export function frozenRules<const R extends CapabilityRules>(rules: R): R {
  for (const list of Object.values(rules)) Object.freeze(list);
  return Object.freeze(rules);
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
