/**
 * The version ranges of the store clients, derived from one source: the
 * lowest tested version of each in `scripts/client_floors.json` and its
 * development pin in `package.json`. `scripts/build_npm.ts` writes the npm
 * peer ranges from it, and a unit test checks `deno.json`'s `imports` (what
 * JSR users resolve) against it.
 *
 * @module
 */

/** Clients a store loads: optional peers of the npm package, `imports` of deno.json. */
export const CLIENTS: readonly string[] = [
  "ioredis",
  "iovalkey",
  "memjs",
  "mongodb",
  "@elastic/elasticsearch",
  "@aws-sdk/client-dynamodb",
  "pg",
  "@deno/kv",
  "fast-check",
];

/** The lowest tested version of a client, by name (clients not listed range over their pin's major). */
export type Floors = Record<string, { lowest: string }>;

const major = (version: string) => version.split(".")[0];

/**
 * A client's npm peer range: from its lowest tested version up to its
 * development pin's major, e.g. `^5.11.1 || ^6.0.0`.
 */
export function peerRange(floors: Floors, name: string, pin: string): string {
  const lowest = floors[name]?.lowest ?? pin;
  return major(lowest) === major(pin) ? `^${lowest}` : `^${lowest} || ^${pin}`;
}

/**
 * A client's specifier in deno.json `imports`: Deno's `npm:` specifiers take
 * one caret range (no `||`), so JSR users resolve the newest supported major,
 * from the lowest tested version when that is in the same major.
 */
export function jsrSpecifier(floors: Floors, name: string, pin: string): string {
  const lowest = floors[name]?.lowest ?? pin;
  return `npm:${name}@^${major(lowest) === major(pin) ? lowest : pin}`;
}
