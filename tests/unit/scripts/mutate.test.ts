// The mutation operators of scripts/mutate (deno task mutate): each one
// changes the source as intended, only in code (never in comments, strings
// or types), and what it produces still parses.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { describe, test } from "node:test";
import { applySite, describeSite, syntaxErrors } from "../../../scripts/mutate/apply.ts";
import { findSites, OPERATORS, type Site } from "../../../scripts/mutate/operators.ts";
import { sample } from "../../../scripts/mutate/sample.ts";

/** Every mutant of `operator` in `source`, as mutated text. */
function mutants(source: string, operator: string): string[] {
  return findSites(source).filter((s) => s.operator === operator).map((s) => {
    const mutated = applySite(source, s);
    assert.deepEqual(syntaxErrors(mutated), [], `${operator} broke the syntax:\n${mutated}`);
    return mutated;
  });
}

// One case per operator: source, and the exact mutants expected, in order.
const CASES: Record<string, [source: string, expected: string[]]> = {
  "boundary": [
    "if (a <= b && c < d && e >= f && g > h) x();",
    [
      "if (a < b && c < d && e >= f && g > h) x();",
      "if (a <= b && c <= d && e >= f && g > h) x();",
      "if (a <= b && c < d && e > f && g > h) x();",
      "if (a <= b && c < d && e >= f && g >= h) x();",
    ],
  ],
  "negate": [
    "const t = a === b || c !== d;",
    ["const t = a !== b || c !== d;", "const t = a === b || c === d;"],
  ],
  "drop-not": ["if (!ok) y(); if (!(a && b)) z();", [
    "if (ok) y(); if (!(a && b)) z();",
    "if (!ok) y(); if ((a && b)) z();",
  ]],
  "drop-await": [
    "async function f() { await g(); for await (const x of h()) x; }",
    ["async function f() { g(); for await (const x of h()) x; }"],
  ],
  "return-bool": [
    "function f(): boolean { if (a) return true; return false; }\n" +
    "function g(): Promise<boolean> { return Promise.resolve(true); }",
    [
      "function f(): boolean { if (a) return false; return false; }\n" +
      "function g(): Promise<boolean> { return Promise.resolve(true); }",
      "function f(): boolean { if (a) return true; return true; }\n" +
      "function g(): Promise<boolean> { return Promise.resolve(true); }",
      "function f(): boolean { if (a) return true; return false; }\n" +
      "function g(): Promise<boolean> { return Promise.resolve(false); }",
    ],
  ],
  "return-count": [
    "async function f(): Promise<number> { return n; }\n" +
    "function g(): Promise<number> { return h(); }\n" +
    "function k(): number { return 0; }\nfunction s(): string { return t; }",
    [
      "async function f(): Promise<number> { return 0; }\n" +
      "function g(): Promise<number> { return h(); }\n" +
      "function k(): number { return 0; }\nfunction s(): string { return t; }",
      "async function f(): Promise<number> { return n; }\n" +
      "function g(): Promise<number> { return Promise.resolve(0); }\n" +
      "function k(): number { return 0; }\nfunction s(): string { return t; }",
    ],
  ],
  "return-true": [
    "function f(): boolean { return m.delete(k); }\nfunction g(): boolean { return false; }",
    ["function f(): boolean { return true; }\nfunction g(): boolean { return false; }"],
  ],
  "drop-check": [
    "function f(k: string) {\n  checkKey(k, c);\n  if (!k) throw new InvalidKeyError(`bad ${k}`);\n" +
    "  if (k === 'x') throw new Error('not a validation error');\n  this.#refuse(k);\n}",
    [
      "function f(k: string) {\n  ;\n  if (!k) throw new InvalidKeyError(`bad ${k}`);\n" +
      "  if (k === 'x') throw new Error('not a validation error');\n  this.#refuse(k);\n}",
      "function f(k: string) {\n  checkKey(k, c);\n  if (!k) ;\n" +
      "  if (k === 'x') throw new Error('not a validation error');\n  this.#refuse(k);\n}",
      "function f(k: string) {\n  checkKey(k, c);\n  if (!k) throw new InvalidKeyError(`bad ${k}`);\n" +
      "  if (k === 'x') throw new Error('not a validation error');\n  ;\n}",
    ],
  ],
  "drop-copy": [
    "store(validatedCopy(v, 'put'), copyValue(a ?? b));",
    ["store(v, copyValue(a ?? b));", "store(validatedCopy(v, 'put'), (a ?? b));"],
  ],
  "off-by-one": [
    "const a = s.slice(0, n - 1); if (keys.length === limit) stop(); o.limit > 3;",
    [
      "const a = s.slice(0, (n - 1) + 1); if (keys.length === limit) stop(); o.limit > 3;",
      "const a = s.slice(0, n - 1); if (keys.length === limit + 1) stop(); o.limit > 3;",
      "const a = s.slice(0, n - 1); if (keys.length === limit) stop(); o.limit + 1 > 3;",
    ],
  ],
  "clock-zero": [
    "const now = this.clock.now(); const t = Date.now();",
    ["const now = 0; const t = Date.now();"],
  ],
  "clock-system": [
    "if (e <= this.#clock.now()) drop();",
    ["if (e <= (Date.now() + 1000)) drop();"],
  ],
};

describe("mutation operators", () => {
  test("every operator has a case here", () => {
    assert.deepEqual(Object.keys(CASES).sort(), [...OPERATORS].sort());
  });

  for (const [operator, [source, expected]] of Object.entries(CASES)) {
    test(`${operator} changes the source as intended and the result parses`, () => {
      assert.deepEqual(mutants(source, operator), expected);
    });
  }

  test("findSites() skips comments, JSDoc, string and template text, and types", () => {
    const source = [
      "/** @example `a <= b`, `await x`, `!y`, `checkKey(k)` */",
      "// if (a === b) return true;",
      'const s = "a === b";',
      "const t = `x <= y ${1}`;",
      "type T = A extends B ? C : D;",
      "function f<T>(x: Array<T>): Map<string, T> | undefined { return undefined; }",
    ].join("\n");
    assert.deepEqual(findSites(source), []);
  });

  test("findSites() skips the arguments of an error construction (its message)", () => {
    const source = "const e = new RangeError(`got ${a === b ? 1 : 2}`, { cause: !x });";
    assert.deepEqual(findSites(source), []);
  });

  test("findSites() reports the 1-based line of each site", () => {
    const sites = findSites("const a = 1;\n\nconst b = a === 1;\n");
    assert.deepEqual(sites.map((s) => [s.operator, s.line]), [["negate", 3]]);
  });

  test("applySite() keeps a word apart from the replacement", () => {
    const source = "function f(x: boolean) { return!x; }";
    const [site] = findSites(source).filter((s) => s.operator === "drop-not");
    assert.equal(applySite(source, site!), "function f(x: boolean) { return x; }");
  });

  test("describeSite() shows the expression around an operator on one line", () => {
    const source = "if (\n  a.length <= max\n) x();";
    const [site] = findSites(source).filter((s) => s.operator === "boundary");
    assert.equal(describeSite(source, site!), "a.length <= max -> a.length < max");
  });

  test("syntaxErrors() finds a syntax error and accepts valid code", () => {
    assert.deepEqual(syntaxErrors("const a: number = 1;"), []);
    assert.ok(syntaxErrors("if (a {").length > 0);
  });

  test("every mutant of stores/memory.ts parses", async () => {
    // The repository root: three levels up, or four in the npm build (npm/tests/...).
    const here = new URL("../../../stores/memory.ts", import.meta.url);
    const path = existsSync(here) ? here : new URL("../../../../stores/memory.ts", import.meta.url);
    const source = await readFile(path, "utf8");
    const sites = findSites(source, "memory.ts");
    assert.ok(sites.length > 40, `only ${sites.length} sites`);
    const operators = new Set(sites.map((s: Site) => s.operator));
    // No "drop-await": MemoryStore awaits nothing since BaseStore installs its
    // capability methods (the operator has its own case above).
    for (const name of ["boundary", "negate", "drop-check", "drop-copy", "clock-zero"]) {
      assert.ok(operators.has(name), `no ${name} site in stores/memory.ts`);
    }
    for (const site of sites) {
      assert.deepEqual(syntaxErrors(applySite(source, site)), [], describeSite(source, site));
    }
  });
});

describe("mutation sample", () => {
  const items = Array.from({ length: 40 }, (_, i) => ({ operator: i < 36 ? "many" : "few", i }));

  test("sample() is the same for the same seed and differs for another", () => {
    const picked = sample(items, 10, 1).map((m) => m.i);
    assert.deepEqual(sample(items, 10, 1).map((m) => m.i), picked);
    assert.notDeepEqual(sample(items, 10, 2).map((m) => m.i), picked);
  });

  test("sample() takes the operators in turn, so a rare one is represented", () => {
    const picked = sample(items, 8, 1);
    assert.equal(picked.filter((m) => m.operator === "few").length, 4);
    assert.equal(picked.length, 8);
  });

  test("sample() keeps the input order and takes everything when max is Infinity", () => {
    const picked = sample(items, 12, 3).map((m) => m.i);
    assert.deepEqual(picked, [...picked].sort((a, b) => a - b));
    assert.deepEqual(sample(items, Infinity, 3), items);
  });
});
