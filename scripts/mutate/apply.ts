/**
 * Applying, describing and parse-checking the mutation sites that
 * `scripts/mutate/operators.ts` finds.
 *
 * @example Usage
 * ```ts
 * import { findSites } from "./operators.ts";
 * import { applySite, describeSite, syntaxErrors } from "./apply.ts";
 * import assert from "node:assert/strict";
 *
 * const source = "export const late = (at: number, now: number) => at <= now;\n";
 * const [site] = findSites(source);
 * assert.equal(describeSite(source, site!), "at <= now -> at < now");
 * assert.deepEqual(syntaxErrors(applySite(source, site!)), []);
 * ```
 *
 * @module
 */

import ts from "typescript";
import type { Site } from "./operators.ts";

/**
 * Applies one site. A space is added where the replacement would otherwise
 * run into a neighbouring word (`return!x` → `return x`).
 *
 * @param source The module's text.
 * @param site A site {@linkcode findSites} found in that text.
 * @returns The mutated text.
 * @example Usage
 * ```ts
 * import { findSites } from "./operators.ts";
 * import { applySite } from "./apply.ts";
 * import assert from "node:assert/strict";
 *
 * const source = "export async function f(p: Promise<number>) { return await p; }\n";
 * const [site] = findSites(source).filter((s) => s.operator === "drop-await");
 * assert.equal(applySite(source, site!), "export async function f(p: Promise<number>) { return p; }\n");
 * ```
 */
export function applySite(source: string, site: Site): string {
  const before = source.slice(0, site.start);
  const after = source.slice(site.end);
  const word = /[\w$#]/;
  const lead = word.test(before.slice(-1)) && word.test(site.replacement[0] ?? "") ? " " : "";
  const trail = word.test(after[0] ?? "") && word.test(site.replacement.slice(-1)) ? " " : "";
  return before + lead + site.replacement + trail + after;
}

/**
 * Describes a site as `original -> mutated` on one line (whitespace
 * collapsed, long text shortened).
 *
 * @param source The module's text.
 * @param site A site of that text.
 * @returns The description.
 * @example Usage
 * ```ts
 * import { findSites } from "./operators.ts";
 * import { describeSite } from "./apply.ts";
 * import assert from "node:assert/strict";
 *
 * const source = "function f(k: string) {\n  checkKey(k);\n}\n";
 * const [site] = findSites(source);
 * assert.equal(describeSite(source, site!), "checkKey(k); -> (removed)");
 * ```
 */
export function describeSite(source: string, site: Site): string {
  const short = (s: string) => {
    const flat = s.replace(/\s+/g, " ").trim();
    return flat.length > 72 ? `${flat.slice(0, 69)}...` : flat;
  };
  const [from, to] = site.shown;
  const original = source.slice(from, to);
  const mutated = site.operator === "drop-check"
    ? "(removed)"
    : applySite(original, { ...site, start: site.start - from, end: site.end - from });
  return `${short(original)} -> ${short(mutated)}`;
}

/**
 * The syntax errors of a module (no type check).
 *
 * @param source The module's text.
 * @returns One message per error; empty when the module parses.
 * @example Usage
 * ```ts
 * import { syntaxErrors } from "./apply.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(syntaxErrors("const a = 1;"), []);
 * assert.equal(syntaxErrors("const a = ;").length, 1);
 * ```
 */
export function syntaxErrors(source: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(source, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.Latest },
  });
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
