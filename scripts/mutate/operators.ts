/**
 * The mutation operators of `deno task mutate`: small deliberate bugs of the
 * kinds this project actually had, found at sites of the TypeScript syntax
 * tree (so comments, JSDoc, string literals and types are never touched),
 * one mutant per site and variant.
 *
 * | operator | change |
 * |---|---|
 * | `boundary` | `<=` ↔ `<`, `>=` ↔ `>` |
 * | `negate` | `===` ↔ `!==`, `==` ↔ `!=` |
 * | `drop-not` | `!x` → `x` |
 * | `drop-await` | `await x` → `x` (not `for await`) |
 * | `return-bool` | `return true` ↔ `return false` (also in `Promise.resolve(...)`) |
 * | `return-count` | `return n` → `return 0` where the function is declared `number` |
 * | `return-true` | `return b` → `return true` where the function is declared `boolean` |
 * | `drop-check` | removes `checkKey(...)`, `validateTtl(...)`, ... statements and `throw new TypeError(...)`, `throw new InvalidKeyError(...)`, ... |
 * | `drop-copy` | `validatedCopy(x)`, `copyValue(x)`, `structuredClone(x)` → `x` |
 * | `off-by-one` | last `slice`/`substring`/`subarray` argument `+ 1`; `limit` in a comparison `+ 1` |
 * | `clock-zero` | `this.clock.now()` → `0` |
 * | `clock-system` | `this.clock.now()` → `Date.now() + 1000` |
 *
 * Sites inside the arguments of `new SomethingError(...)` (error messages)
 * are skipped: a changed message is not a behaviour the unit suite should
 * pin down.
 *
 * @example Finding and applying mutants
 * ```ts
 * import { findSites } from "./operators.ts";
 * import { applySite, syntaxErrors } from "./apply.ts";
 * import assert from "node:assert/strict";
 *
 * const source = "export function f(a: number): boolean {\n  return a <= 1; // a <= b\n}\n";
 * const [site] = findSites(source).filter((s) => s.operator === "boundary");
 * assert.equal(site?.line, 2);
 * const mutant = applySite(source, site!);
 * assert.match(mutant, /return a < 1; \/\/ a <= b/);
 * assert.deepEqual(syntaxErrors(mutant), []);
 * ```
 *
 * @module
 */

import ts from "typescript";

/** The names of the operators, in the order of the table above. */
export const OPERATORS: readonly string[] = Object.freeze([
  "boundary",
  "negate",
  "drop-not",
  "drop-await",
  "return-bool",
  "return-count",
  "return-true",
  "drop-check",
  "drop-copy",
  "off-by-one",
  "clock-zero",
  "clock-system",
]);

/** One mutation site: replace `source.slice(start, end)` by `replacement`. */
export interface Site {
  /** One of {@linkcode OPERATORS}. */
  operator: string;
  /** Offset of the first replaced character. */
  start: number;
  /** Offset after the last replaced character. */
  end: number;
  /** The text put in place of the range. */
  replacement: string;
  /** The 1-based line of `start`. */
  line: number;
  /** The range `describeSite` (apply.ts) shows: the site, or the expression around an operator. */
  shown: [start: number, end: number];
}

const FLIP: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.LessThanEqualsToken]: "<",
  [ts.SyntaxKind.LessThanToken]: "<=",
  [ts.SyntaxKind.GreaterThanEqualsToken]: ">",
  [ts.SyntaxKind.GreaterThanToken]: ">=",
};
const NEGATE: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: "!==",
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: "===",
  [ts.SyntaxKind.EqualsEqualsToken]: "!=",
  [ts.SyntaxKind.ExclamationEqualsToken]: "==",
};
const VALIDATION_ERRORS = new Set([
  "TypeError",
  "RangeError",
  "InvalidKeyError",
  "InvalidTTLError",
  "SerializationError",
  "PathSecurityError",
  "ReadOnlyError",
  "ValueTooLargeError",
  "EntryTooLargeError",
  "EntryTooSmallError",
]);
const CHECK_CALL = /^#?(check|validate|refuse|assert)(?:[A-Z_]|$)/;
const THROW_HELPER = /^#?(refuse|notWellFormed|invalid)/;
const COPIES = new Set(["validatedCopy", "copyValue", "structuredClone"]);
const SLICES = new Set(["slice", "substring", "subarray"]);

/**
 * Finds every mutation site of a TypeScript module, in source order.
 *
 * @param source The module's text.
 * @param fileName Used only for the parser's file kind (`.ts`).
 * @returns The sites; applying any one of them gives a syntactically valid module.
 * @example Usage
 * ```ts
 * import { findSites } from "./operators.ts";
 * import assert from "node:assert/strict";
 *
 * const sites = findSites('const s = "a === b"; // x === y\nexport const t = 1 === 2;\n');
 * assert.deepEqual(sites.map((s) => [s.operator, s.line, s.replacement]), [["negate", 2, "!=="]]);
 * ```
 */
export function findSites(source: string, fileName = "mod.ts"): Site[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const sites: Site[] = [];
  const add: Add = (operator, node, replacement, around = node) => {
    const [start, end] = [node.getStart(file), node.getEnd()];
    const line = file.getLineAndCharacterOfPosition(start).line + 1;
    const shown: [number, number] = [around.getStart(file), around.getEnd()];
    sites.push({ operator, start, end, replacement, line, shown });
  };
  const text = (node: ts.Node) => node.getText(file);
  const visit = (node: ts.Node): void => {
    if (isErrorConstruction(node)) return;
    if (ts.isBinaryExpression(node)) {
      const kind = node.operatorToken.kind;
      const op = node.operatorToken;
      if (FLIP[kind]) add("boundary", op, FLIP[kind]!, node);
      if (NEGATE[kind]) add("negate", op, NEGATE[kind]!, node);
      if (FLIP[kind] || NEGATE[kind]) {
        for (const side of [node.left, node.right]) {
          if (isLimit(side)) add("off-by-one", side, `${text(side)} + 1`, node);
        }
      }
    } else if (
      ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken
    ) {
      add("drop-not", node, operand(node.operand, file));
    } else if (ts.isAwaitExpression(node)) {
      add("drop-await", node, text(node.expression));
    } else if (ts.isReturnStatement(node) && node.expression) {
      returnSites(node, node.expression, file, add);
    } else if (ts.isThrowStatement(node) && isValidationThrow(node.expression)) {
      add("drop-check", node, ";");
    } else if (ts.isExpressionStatement(node) && isCheckCall(node.expression)) {
      add("drop-check", node, ";");
    } else if (ts.isCallExpression(node)) {
      callSites(node, file, add);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return sites.sort((a, b) => a.start - b.start || a.operator.localeCompare(b.operator));
}

type Add = (operator: string, node: ts.Node, replacement: string, around?: ts.Node) => void;

function returnSites(
  node: ts.ReturnStatement,
  value: ts.Expression,
  file: ts.SourceFile,
  add: Add,
) {
  const resolved = promiseResolveArgument(value);
  const literal = resolved ?? value;
  if (literal.kind === ts.SyntaxKind.TrueKeyword) add("return-bool", literal, "false", node);
  if (literal.kind === ts.SyntaxKind.FalseKeyword) add("return-bool", literal, "true", node);
  const fn = enclosingFunction(node);
  const declared = fn?.type?.getText(file).replace(/\s+/g, "");
  if (!fn || !declared) return;
  const isAsync = ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async;
  const wrap = (v: string) =>
    declared.startsWith("Promise<") && !isAsync ? `Promise.resolve(${v})` : v;
  const isBoolean = literal.kind === ts.SyntaxKind.TrueKeyword ||
    literal.kind === ts.SyntaxKind.FalseKeyword;
  const isZero = ts.isNumericLiteral(literal) && Number(literal.text) === 0;
  if ((declared === "number" || declared === "Promise<number>") && !isZero) {
    add("return-count", value, wrap("0"), node);
  } else if ((declared === "boolean" || declared === "Promise<boolean>") && !isBoolean) {
    add("return-true", value, wrap("true"), node);
  }
}

function callSites(node: ts.CallExpression, file: ts.SourceFile, add: Add) {
  const callee = node.expression;
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
    ? callee.name.getText(file)
    : "";
  const [first] = node.arguments;
  if (ts.isIdentifier(callee) && COPIES.has(name) && first) {
    add("drop-copy", node, operand(first, file));
  }
  if (ts.isPropertyAccessExpression(callee) && SLICES.has(name) && node.arguments.length > 0) {
    const last = node.arguments[node.arguments.length - 1]!;
    add("off-by-one", last, `${operand(last, file)} + 1`, node);
  }
  if (
    ts.isPropertyAccessExpression(callee) && name === "now" && node.arguments.length === 0 &&
    /clock$/i.test(callee.expression.getText(file))
  ) {
    add("clock-zero", node, "0");
    add("clock-system", node, "(Date.now() + 1000)");
  }
}

function promiseResolveArgument(value: ts.Expression): ts.Expression | undefined {
  if (!ts.isCallExpression(value) || value.arguments.length !== 1) return undefined;
  const callee = value.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "resolve") return undefined;
  return ts.isIdentifier(callee.expression) && callee.expression.text === "Promise"
    ? value.arguments[0]
    : undefined;
}

function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (ts.isFunctionLike(at)) return at;
  }
  return undefined;
}

function calleeName(expression: ts.Expression): string {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.getText();
  return "";
}

function isCheckCall(expression: ts.Expression): boolean {
  const call = ts.isAwaitExpression(expression) ? expression.expression : expression;
  return ts.isCallExpression(call) && CHECK_CALL.test(calleeName(call.expression));
}

function isValidationThrow(expression: ts.Expression): boolean {
  if (ts.isNewExpression(expression)) {
    return VALIDATION_ERRORS.has(calleeName(expression.expression));
  }
  return ts.isCallExpression(expression) && THROW_HELPER.test(calleeName(expression.expression));
}

function isErrorConstruction(node: ts.Node): boolean {
  return ts.isNewExpression(node) && /Error$/.test(calleeName(node.expression));
}

function isLimit(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === "limit";
  return ts.isPropertyAccessExpression(node) && node.name.getText() === "limit";
}

/** The text of an expression, parenthesized unless it is a primary expression. */
function operand(node: ts.Expression, file: ts.SourceFile): string {
  const primary = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) ||
    ts.isElementAccessExpression(node) || ts.isCallExpression(node) ||
    ts.isParenthesizedExpression(node) || ts.isLiteralExpression(node) ||
    node.kind === ts.SyntaxKind.ThisKeyword || ts.isNonNullExpression(node);
  return primary ? node.getText(file) : `(${node.getText(file)})`;
}
