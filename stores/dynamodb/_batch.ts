// DynamoDBStore's batch requests: BatchGetItem and BatchWriteItem with
// retries of unprocessed items, and the error when they stay unprocessed.

import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type WriteRequest,
} from "@aws-sdk/client-dynamodb";
import type { StoreOperation } from "../../core/base_store.ts";
import type { Entry } from "../../core/envelope.ts";
import { KeyValueStoreError } from "../../core/errors.ts";
import {
  backoffMs,
  BATCH_GET_SIZE,
  BATCH_WRITE_SIZE,
  chunk,
  fromItem,
  type Item,
  itemEntry,
  itemKey,
} from "./_items.ts";
import type { DynamoContext } from "./_setup.ts";
import { decodeEach } from "../_shared/batch.ts";

/** Attempts of a batch (or conditional) request before giving up. */
export const MAX_BATCH_ATTEMPTS = 10;

/** An item as the SDK returns it. */
export type RawItem = Record<string, AttributeValue>;

/**
 * Reads the entries of `keys` (sanitized sort keys of partition `collection`)
 * with BatchGetItem, 100 keys a request; `originals` are the names they stand
 * for (an item whose envelope names another pair is a miss).
 */
export async function getEntries(
  ddb: DynamoContext,
  collection: string,
  keys: readonly string[],
  originals: { collection: string; keys: readonly string[] },
): Promise<(Entry | undefined)[]> {
  const found = new Map<string, RawItem>();
  await Promise.all(
    chunk([...new Set(keys)], BATCH_GET_SIZE).map(async (part) => {
      for (const item of await batchGet(ddb, collection, part)) {
        const sortKey = (item.key as { S?: string } | undefined)?.S;
        if (sortKey !== undefined) found.set(sortKey, item);
      }
    }),
  );
  return decodeEach(
    keys,
    (key) => found.get(key),
    (item, i) => itemEntry(item, { collection: originals.collection, key: originals.keys[i]! }),
  );
}

/** Writes `items` with BatchWriteItem, 25 a request; of a repeated key the last item wins. */
export async function putItems(ddb: DynamoContext, items: readonly Item[]): Promise<void> {
  // BatchWriteItem refuses a repeated key in one request.
  const byKey = new Map<string, Item>();
  for (const item of items) {
    const sortKey = (item.key as { S: string }).S;
    byKey.delete(sortKey);
    byKey.set(sortKey, item);
  }
  const requests = [...byKey.values()].map((Item): WriteRequest => ({ PutRequest: { Item } }));
  await Promise.all(
    chunk(requests, BATCH_WRITE_SIZE).map((part) => batchWrite(ddb, part, "put")),
  );
}

/** Reads `keys` of partition `collection`, retrying unprocessed keys with backoff. */
export async function batchGet(
  ddb: DynamoContext,
  collection: string,
  keys: readonly string[],
  projection?: string,
): Promise<RawItem[]> {
  const items: RawItem[] = [];
  let pending: RawItem[] = keys.map((key) => itemKey(collection, key));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_BATCH_ATTEMPTS) throw unprocessed(ddb, pending.length, "get");
    if (attempt > 0) await sleep(backoffMs(attempt - 1));
    const request = {
      Keys: pending,
      ConsistentRead: ddb.consistent,
      ...(projection
        ? {
          ProjectionExpression: projection,
          ExpressionAttributeNames: { "#k": "key", "#v": "value", "#t": "ttl" },
        }
        : {}),
    };
    const result = await ddb.errors.call(
      "get",
      () =>
        ddb.client.send(new BatchGetItemCommand({ RequestItems: { [ddb.tableName]: request } })),
    );
    items.push(...(result.Responses?.[ddb.tableName] ?? []));
    pending = result.UnprocessedKeys?.[ddb.tableName]?.Keys ?? [];
  }
  return items;
}

/** Sends up to 25 write requests, retrying unprocessed ones with backoff. */
export async function batchWrite(
  ddb: DynamoContext,
  requests: WriteRequest[],
  operation: StoreOperation,
): Promise<void> {
  let pending = requests;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_BATCH_ATTEMPTS) throw unprocessed(ddb, pending.length, operation);
    if (attempt > 0) await sleep(backoffMs(attempt - 1));
    const result = await ddb.errors.call(operation, () =>
      ddb.client.send(
        new BatchWriteItemCommand({ RequestItems: { [ddb.tableName]: pending } }),
      ));
    pending = result.UnprocessedItems?.[ddb.tableName] ?? [];
  }
}

/** The error of `count` requests that stayed unprocessed (throughput exceeded). */
export function unprocessed(
  ddb: DynamoContext,
  count: number,
  operation: StoreOperation,
): KeyValueStoreError {
  return new KeyValueStoreError(
    `Cannot ${ddb.context(operation)}: ${count} requests stayed unprocessed after ` +
      `${MAX_BATCH_ATTEMPTS} attempts (throughput exceeded)`,
    { extraInfo: { store: "DynamoDBStore", tableName: ddb.tableName, count } },
  );
}

/** The expiry of a stored item, or undefined when it has none or cannot be decoded. */
export function safeExpiry(item: Record<string, unknown>): number | undefined {
  try {
    return fromItem(item).expiresAt;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
