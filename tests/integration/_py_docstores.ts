// Runs scripts/interop/py_mongodb_elasticsearch_dynamodb_roundtrip.py (see
// _python.ts); the venv needs the mongodb, elasticsearch and dynamodb extras.

import { type PyEntry, type PyItem, runInteropScript } from "./_python.ts";

export {
  assertTtlNear,
  findPython,
  INTEROP_VALUES,
  type PyEntry,
  type PyItem,
  REPO_ROOT,
} from "./_python.ts";

/** How the script reaches the backend. */
export interface PyTarget {
  backend: "mongodb" | "elasticsearch" | "dynamodb";
  url: string;
  /** Database, index prefix or table. */
  namespace: string;
  /** Use py-key-value's V1 sanitization strategies. */
  v1?: boolean;
}

/**
 * Runs the script: `write` puts `items` with py-key-value then reads them
 * back; `read` reads them, starting at epoch millisecond `at` when given.
 * Resolves what py-key-value read.
 */
export function runPython(
  python: string,
  target: PyTarget,
  command: "write" | "read",
  items: readonly PyItem[],
  at?: number,
): Promise<PyEntry[]> {
  const args = [target.backend, target.url, target.namespace];
  if (target.v1) args.push("v1");
  args.push(command);
  if (at !== undefined) args.push(`at=${at}`);
  return runInteropScript(python, "py_mongodb_elasticsearch_dynamodb_roundtrip.py", args, items);
}
