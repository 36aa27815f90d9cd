// Batch-read bookkeeping shared by the stores that fetch many documents in one
// request (MongoDB, Elasticsearch, DynamoDB).

import type { Entry } from "../../core/envelope.ts";

/**
 * Decodes the stored form found for each of `ids` (in order; undefined when
 * `find` has none, or when `decode` finds it is not the entry of the id at
 * that index). A repeated id decodes a structured clone, so callers never
 * share a value object.
 */
export function decodeEach<S>(
  ids: readonly string[],
  find: (id: string, index: number) => S | undefined,
  decode: (stored: S, index: number) => Entry | undefined,
): (Entry | undefined)[] {
  const seen = new Set<string>();
  return ids.map((id, i) => {
    const stored = find(id, i);
    if (stored === undefined) return undefined;
    if (seen.has(id)) return decode(structuredClone(stored), i);
    seen.add(id);
    return decode(stored, i);
  });
}
