// ElasticsearchStore's document requests: get, `_mget`, index, `_bulk`, and
// deletes that count only entries live by the store's clock (a read, then a
// delete conditioned on the document read, so nothing changed in between is
// deleted or counted by mistake).

import type { StoreOperation } from "../../core/base_store.ts";
import { type Entry, parseTimestamp } from "../../core/envelope.ts";
import { KeyValueStoreError } from "../../core/errors.ts";
import type { EsContext } from "./_context.ts";
import { belongsTo, type EsDocument, fromDocument } from "./_documents.ts";
import { errorType, itemError, VERSION_CONFLICT } from "./_errors.ts";
import { decodeEach } from "../_shared/batch.ts";

/** Reads the entry of (`collection`, `key`), stored as document `id` (real-time). */
export async function getEntry(
  es: EsContext,
  index: string,
  id: string,
  names: { collection: string; key: string },
): Promise<Entry | undefined> {
  const result = await es.errors.call(
    "get",
    () => es.client.get<EsDocument>({ index, id }, { ignore: [404] }),
  );
  const source = result.found ? result._source : undefined;
  return source && belongsTo(source, names.collection, names.key)
    ? fromDocument(source)
    : undefined;
}

/** Reads the entries of `keys` of `collection`, stored as documents `ids`, with one `_mget`. */
export async function mgetEntries(
  es: EsContext,
  index: string,
  ids: readonly string[],
  collection: string,
  keys: readonly string[],
): Promise<(Entry | undefined)[]> {
  const result = await es.errors.call(
    "get",
    () => es.client.mget<EsDocument>({ index, ids: [...new Set(ids)] }, { ignore: [404] }),
  );
  const sources = new Map<string, EsDocument>();
  for (const doc of result.docs ?? []) {
    if ("found" in doc && doc.found && doc._source) sources.set(doc._id, doc._source);
  }
  return decodeEach(ids, (id, i) => {
    const source = sources.get(id);
    return source && belongsTo(source, collection, keys[i]!) ? source : undefined;
  }, fromDocument);
}

/** Attempts of a delete whose documents keep changing under it. */
const MAX_DELETE_ATTEMPTS = 10;

/**
 * Deletes the documents `ids` (holding `keys` of `collection`) that belong to
 * their key; returns how many were live at the clock's now. Each round reads
 * the documents, then deletes each only if unchanged since (`if_seq_no`); a
 * document rewritten in between is read again. An expired document is
 * deleted but not counted; another entry's document is left alone.
 */
export async function deleteLive(
  es: EsContext,
  index: string,
  collection: string,
  ids: readonly string[],
  keys: readonly string[],
): Promise<number> {
  const keyOf = new Map(ids.map((id, i) => [id, keys[i]!]));
  let pending = [...keyOf.keys()];
  let live = 0;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_DELETE_ATTEMPTS) throw changing(es, pending.length);
    const found = await es.errors.call("delete", () =>
      es.client.mget<EsDocument>({
        index,
        ids: pending,
        _source_includes: ["collection", "key", "expires_at"],
      }, { ignore: [404] }));
    const now = es.clock.now();
    const targets: { id: string; live: boolean }[] = [];
    const operations: unknown[] = [];
    for (const doc of found.docs ?? []) {
      if (!("found" in doc) || !doc.found || !doc._source) continue;
      if (!belongsTo(doc._source, collection, keyOf.get(doc._id)!)) continue;
      targets.push({ id: doc._id, live: isLive(doc._source, now) });
      operations.push({
        delete: {
          _index: index,
          _id: doc._id,
          if_seq_no: doc._seq_no,
          if_primary_term: doc._primary_term,
        },
      });
    }
    if (operations.length === 0) return live;
    const items = await bulkItems(es, operations, "delete");
    pending = [];
    items.forEach((item, i) => {
      const outcome = item.delete;
      if (outcome?.result === "deleted") {
        if (targets[i]!.live) live++;
      } else if (errorType(outcome?.error) === VERSION_CONFLICT) {
        pending.push(targets[i]!.id); // changed since it was read: read it again
      } else if (outcome?.error !== undefined) {
        throw itemError(outcome.error, es.context("delete"));
      }
    });
  }
  return live;
}

/** Whether a document is live at `now` by its `expires_at` (an unreadable one counts as live). */
function isLive(source: EsDocument, now: number): boolean {
  const raw = source.expires_at;
  if (typeof raw !== "string") return true;
  try {
    return parseTimestamp(raw) > now;
  } catch {
    return true;
  }
}

function changing(es: EsContext, count: number): KeyValueStoreError {
  return new KeyValueStoreError(
    `Cannot ${es.context("delete")}: ${count} documents kept changing during ` +
      `${MAX_DELETE_ATTEMPTS} attempts`,
    { extraInfo: { store: "ElasticsearchStore", count } },
  );
}

/** One item of a `_bulk` response. */
export interface BulkItem {
  /** The outcome of an `index` operation. */
  index?: { result?: string; error?: unknown };
  /** The outcome of a `delete` operation. */
  delete?: { result?: string; error?: unknown };
}

/** Sends one `_bulk` and returns its items, refused ones included. */
async function bulkItems(
  es: EsContext,
  operations: unknown[],
  operation: StoreOperation,
  refresh: boolean | "wait_for" = es.refresh,
): Promise<BulkItem[]> {
  const result = await es.errors.call(
    operation,
    () => es.client.bulk({ operations: operations as never, refresh }),
  );
  return result.items as BulkItem[];
}

/**
 * Sends one `_bulk` and returns its items; the first refused item is thrown
 * (see {@linkcode itemError}).
 */
export async function bulk(
  es: EsContext,
  operations: unknown[],
  operation: StoreOperation,
  refresh: boolean | "wait_for" = es.refresh,
): Promise<BulkItem[]> {
  const items = await bulkItems(es, operations, operation, refresh);
  const failed = items.find((item) => (item.index ?? item.delete)?.error);
  if (failed) throw itemError((failed.index ?? failed.delete)!.error, es.context(operation));
  return items;
}

/** How many `delete` items of a `_bulk` response deleted a document. */
export function deletedCount(items: readonly BulkItem[]): number {
  return items.filter((item) => item.delete?.result === "deleted").length;
}
