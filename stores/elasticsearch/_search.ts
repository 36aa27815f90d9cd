// ElasticsearchStore's searches: keys, collections and culling expired
// documents, each judging liveness by the store's clock.

import type { EsContext } from "./_context.ts";
import type { EsDocument } from "./_documents.ts";
import { liveQuery } from "./_documents.ts";
import { bulk, deletedCount } from "./_requests.ts";

/** Hits a search returns at most (Elasticsearch's default `max_result_window`). */
export const PAGE_SIZE = 10_000;

/** The live keys of `collection` in `index` (original names, sorted), at most `limit`. */
export async function searchKeys(
  es: EsContext,
  index: string,
  collection: string,
  limit: number | undefined,
): Promise<string[]> {
  const query = { bool: { filter: [{ term: { collection } }, liveQuery(es.clock.now())] } };
  const keys: string[] = [];
  const max = limit ?? Infinity;
  let after: unknown[] | undefined;
  for (;;) {
    const size = Math.min(PAGE_SIZE, max - keys.length);
    const result = await es.errors.call("keys", () =>
      es.client.search<EsDocument>({
        index,
        query,
        size,
        _source: ["key"],
        sort: [{ key: "asc" }],
        ...(after ? { search_after: after as never } : {}),
      }, { ignore: [404] }));
    const hits = result.hits?.hits ?? [];
    for (const hit of hits) {
      const key = hit._source?.key;
      if (typeof key === "string") keys.push(key);
    }
    if (hits.length < size || keys.length >= max) return keys;
    after = hits[hits.length - 1]!.sort;
  }
}

/** The collections holding live entries (a terms aggregation over the prefix's indices). */
export async function searchCollections(
  es: EsContext,
  limit: number | undefined,
): Promise<string[]> {
  const result = await es.errors.call("collections", () =>
    es.client.search({
      index: `${es.indexPrefix}-*`,
      size: 0,
      query: liveQuery(es.clock.now()),
      aggregations: { collections: { terms: { field: "collection", size: limit ?? PAGE_SIZE } } },
    }, { ignore: [404] }));
  const buckets = (result.aggregations?.collections as { buckets?: { key: unknown }[] } | undefined)
    ?.buckets ?? [];
  return buckets.map((bucket) => String(bucket.key));
}

/** Deletes every document under the prefix expired by the clock (search, then `_bulk`); how many. */
export async function cullExpired(es: EsContext): Promise<number> {
  const now = es.clock.now();
  let removed = 0;
  for (;;) {
    const result = await es.errors.call("destroy", () =>
      es.client.search({
        index: `${es.indexPrefix}-*`,
        size: PAGE_SIZE,
        _source: false,
        query: { range: { expires_at: { lte: now, format: "epoch_millis" } } },
      }, { ignore: [404] }));
    const hits = result.hits?.hits ?? [];
    if (hits.length === 0) return removed;
    const items = await bulk(
      es,
      hits.map((hit) => ({ delete: { _index: hit._index, _id: hit._id } })),
      "destroy",
      true,
    );
    removed += deletedCount(items);
    if (hits.length < PAGE_SIZE) return removed;
  }
}
