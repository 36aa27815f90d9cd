// Shared by the py-key-value interop tests: where the Python with
// py-key-value lives (env KV_PYTHON, or .cache/pyenv/bin/python under the repo
// root, made by scripts/py_env.sh), and how to run one of the scripts in
// scripts/interop/ with JSON on stdin and stdout. Without that Python the
// interop tests skip locally and FAIL under CI.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Value } from "../../core/protocol.ts";

/**
 * The repository's root: two levels up from this file, or three when it runs
 * compiled from the npm build (`npm/tests/integration/`).
 */
export const REPO_ROOT: string = (() => {
  for (const up of ["../../", "../../../"]) {
    const root = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(`${root}scripts/interop`)) return root;
  }
  return fileURLToPath(new URL("../../", import.meta.url));
})();

function env(name: string): string | undefined {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return g.Deno?.env ? g.Deno.env.get(name) : g.process?.env?.[name];
}

/** The Python with py-key-value-aio, or `undefined` (a failure under CI). */
export function findPython(): string | undefined {
  const python = env("KV_PYTHON") ?? `${REPO_ROOT}.cache/pyenv/bin/python`;
  if (existsSync(python)) return python;
  if (env("CI")) {
    throw new Error(`${python} not found: run scripts/py_env.sh or set KV_PYTHON`);
  }
  return undefined;
}

/** One entry as py-key-value reads it. */
export interface PyEntry {
  collection: string;
  key: string;
  value: Value | null;
  ttl: number | null;
}

/** An entry for a script to write (`ttl` in seconds) or read. */
export interface PyItem {
  collection: string;
  key: string;
  value?: Value;
  ttl?: number;
}

/** Runs `scripts/interop/<script>` with `args`, `items` as JSON on stdin; resolves its JSON output. */
export function runInteropScript(
  python: string,
  script: string,
  args: readonly string[],
  items: readonly PyItem[],
): Promise<PyEntry[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [`${REPO_ROOT}scripts/interop/${script}`, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`python exited with ${code}: ${err}`));
      else resolve(JSON.parse(out) as PyEntry[]);
    });
    child.stdin.end(JSON.stringify(items));
  });
}

/** Values that exercise JSON's corners on both sides. */
export const INTEROP_VALUES: readonly Value[] = [
  { n: 1, s: "héllo 🌍", f: 1.5, big: 10 ** 18, neg: -42 },
  { nested: { list: [1, null, { deep: true }], empty: {} }, flag: false },
  { text: 'line1\nline2\ttab "quoted" \\ backslash', unicode: "世界" },
];

/** Checks that a remaining ttl agrees with the one written, give or take `slack` seconds. */
export function assertTtlNear(actual: number | null | undefined, expected: number, slack = 10) {
  assert.ok(
    typeof actual === "number" && actual <= expected && actual > expected - slack,
    `ttl ${actual} should be just under ${expected}`,
  );
}
