// Runs the py-key-value interop scripts in scripts/interop/ with the Python
// named by KV_PYTHON (default: .cache/pyenv/bin/python under the repo root,
// made by scripts/py_env.sh). Without that Python the interop tests skip —
// except under CI, where they fail, so interop is always proven there.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL("../../../", import.meta.url));
// The repository root: here, or one level up when running the npm build (npm/tests/...).
const REPO = existsSync(`${HERE}scripts/interop`) ? HERE : `${HERE}../`;

function findPython(module: string): string | undefined {
  const python = process.env.KV_PYTHON ?? `${REPO}.cache/pyenv/bin/python`;
  if (!existsSync(python)) return undefined;
  const probe = spawnSync(python, ["-c", `import ${module}`], { encoding: "utf8" });
  return probe.status === 0 ? python : undefined;
}

/**
 * The test option that skips when no Python has `module` (py-key-value's
 * `key_value.aio`, or `cryptography` for Fernet). Under CI, a venv that
 * lacks the module gets `install` (a pip requirement) once; if the module
 * is still missing, this throws, failing the run.
 */
export function pythonWith(
  module: string,
  install?: string,
): { python: string | undefined; skip?: string } {
  let python = findPython(module);
  const venv = process.env.KV_PYTHON ?? `${REPO}.cache/pyenv/bin/python`;
  if (!python && install && process.env.CI && existsSync(venv)) {
    spawnSync(venv, ["-m", "pip", "install", "--quiet", install], { stdio: "inherit" });
    python = findPython(module);
  }
  if (python) return { python };
  const reason = `no Python with ${module} (set KV_PYTHON, or run scripts/py_env.sh)`;
  if (process.env.CI) throw new Error(`interop tests cannot run under CI: ${reason}`);
  return { python: undefined, skip: reason };
}

/** Runs `scripts/interop/<script>` with one JSON request; returns its JSON answer. */
export function runPython(python: string, script: string, request: unknown): unknown {
  const result = spawnSync(python, [`${REPO}scripts/interop/${script}`], {
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${script} failed (${result.status}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout);
}

/** Reads a file of tests/testdata as JSON. */
export async function testdata(name: string): Promise<unknown> {
  const { readFile } = await import("node:fs/promises");
  return JSON.parse(await readFile(`${HERE}tests/testdata/${name}`, "utf8"));
}
