// Runs scripts/interop/py_redis_memcached_roundtrip.py (see _python.ts).

import { type PyEntry, type PyItem, runInteropScript } from "./_python.ts";

export { findPython, INTEROP_VALUES, type PyEntry, type PyItem } from "./_python.ts";

/**
 * Runs the script: `write` puts `items` with py-key-value then reads them
 * back; `read` reads them. Resolves what py-key-value read.
 */
export function runPython(
  python: string,
  backend: "redis" | "valkey" | "memcached",
  target: string,
  command: "write" | "read",
  items: readonly PyItem[],
): Promise<PyEntry[]> {
  return runInteropScript(
    python,
    "py_redis_memcached_roundtrip.py",
    [backend, target, command],
    items,
  );
}
