// Runs a helper script of the tests in a child process of the same runtime:
// `deno run -A` under Deno, the runtime itself under Node (on the compiled
// .js file of the npm build) and Bun.

import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";

/**
 * Runs `name` (a script beside `base`, without extension) with `args`;
 * resolves its stdout, rejects when it exits with a non-zero code. `runtime`
 * runs it with another executable that runs the file directly (Bun).
 */
export function runScript(
  base: string,
  name: string,
  args: readonly string[],
  runtime?: string,
): Promise<string> {
  const ext = base.endsWith(".ts") ? ".ts" : ".js";
  const script = fileURLToPath(new URL(`./${name}${ext}`, base));
  // deno-lint-ignore no-explicit-any
  const isDeno = runtime === undefined && (globalThis as any).Deno !== undefined;
  const argv = isDeno ? ["run", "-A", "--unstable-kv", script, ...args] : [script, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(runtime ?? process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${name} exited with ${code}: ${err}`));
    });
  });
}
