// SCAN helpers: glob escaping, a cursor loop that runs to the end on every
// node, and the envelope check that tells our entries from foreign keys.

import type { RespCommander } from "./client.ts";

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

/**
 * The collection and key of one of our entries, read from its stored text,
 * if the text is a v1 envelope (as py-key-value or this library write it)
 * whose `collection` and `key` name exactly the Redis key it is stored
 * under; `undefined` for anything else (a foreign value).
 */
export function ownEntryName(
  name: string,
  text: unknown,
  prefix: string,
): { collection: string; key: string } | undefined {
  if (typeof text !== "string" || !text.startsWith("{")) return undefined;
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof envelope !== "object" || envelope === null) return undefined;
  const { collection, key, value } = envelope as Record<string, unknown>;
  if (typeof collection !== "string" || typeof key !== "string" || value === undefined) {
    return undefined;
  }
  return name === `${prefix}${collection}::${key}` ? { collection, key } : undefined;
}
