// SCAN helpers: glob escaping, and a cursor loop that runs to the end on
// every node.

import type { RespCommander } from "./types.ts";

/** Escapes `*`, `?`, `[`, `]` and `\` so a name matches only itself in a SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}

/**
 * Runs `SCAN MATCH pattern` to the end of the cursor on each node, handing
 * each page of names to `onPage`; stops early when `onPage` returns `false`.
 * A name may appear in more than one page (SCAN's guarantee); callers dedupe.
 */
export async function scanNodes(
  nodes: readonly RespCommander[],
  pattern: string,
  count: number,
  onPage: (names: string[]) => Promise<boolean | void> | boolean | void,
): Promise<void> {
  for (const node of nodes) {
    let cursor = "0";
    do {
      const reply = await node.call("SCAN", [cursor, "MATCH", pattern, "COUNT", count]);
      const [next, names] = reply as [string, string[]];
      cursor = String(next);
      if (names.length > 0 && (await onPage(names)) === false) return;
    } while (cursor !== "0");
  }
}
