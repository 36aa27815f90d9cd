// DynamoDBStore's enumeration of one partition (a collection): its live keys,
// and deleting all of it.

import { type AttributeValue, QueryCommand, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { BATCH_GET_SIZE, BATCH_WRITE_SIZE, chunk, liveness, originalKey } from "./_items.ts";
import { batchGet, batchWrite, type RawItem, safeExpiry } from "./_batch.ts";
import type { DynamoContext } from "./_setup.ts";

/**
 * The pages of a Query over partition `collection`, fetched one by one as
 * they are consumed: only the attributes of `projection` (`#c` collection,
 * `#k` key, `#t` ttl).
 */
async function* queryPages(
  ddb: DynamoContext,
  collection: string,
  operation: "keys" | "destroy",
  projection: { names: Record<string, string>; expression: string; consistent: boolean },
): AsyncGenerator<RawItem[]> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await ddb.errors.call(operation, () =>
      ddb.client.send(
        new QueryCommand({
          TableName: ddb.tableName,
          KeyConditionExpression: "#c = :c",
          ExpressionAttributeNames: projection.names,
          ExpressionAttributeValues: { ":c": { S: collection } },
          ProjectionExpression: projection.expression,
          ConsistentRead: projection.consistent,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      ));
    start = page.LastEvaluatedKey;
    yield page.Items ?? [];
  } while (start);
}

/**
 * The live keys of partition `collection` (Query), at most `limit`. An item
 * whose `ttl` is too close to now to judge, or whose original key differs
 * from its sort key (`recordsOriginal`: keys are sanitized), is read back to
 * check its envelope.
 */
export async function queryKeys(
  ddb: DynamoContext,
  collection: string,
  options: { limit: number | undefined; recordsOriginal: boolean },
): Promise<string[]> {
  const keys: string[] = [];
  const max = options.limit ?? Infinity;
  const projection = {
    names: { "#c": "collection", "#k": "key", "#t": "ttl" },
    expression: "#k, #t",
    consistent: ddb.consistent,
  };
  for await (const items of queryPages(ddb, collection, "keys", projection)) {
    const now = ddb.clock.now();
    const live: string[] = [];
    const unsure: string[] = [];
    for (const item of items) {
      const sortKey = (item.key as { S?: string }).S!;
      const state = liveness(item, now);
      if (state === "live" && !options.recordsOriginal) live.push(sortKey);
      else if (state !== "expired") unsure.push(sortKey);
    }
    for (const part of chunk(unsure, BATCH_GET_SIZE)) {
      for (const item of await batchGet(ddb, collection, part, "#k, #v, #t")) {
        const expiresAt = safeExpiry(item);
        if (expiresAt !== undefined && expiresAt <= now) continue;
        live.push(originalKey(item) ?? (item.key as { S: string }).S);
      }
    }
    for (const key of live) {
      if (keys.length >= max) break;
      keys.push(key);
    }
    if (keys.length >= max) break;
  }
  return keys;
}

/** Deletes every item of partition `collection` (Query, then BatchWriteItem); returns how many. */
export async function deletePartition(ddb: DynamoContext, collection: string): Promise<number> {
  let deleted = 0;
  const projection = {
    names: { "#c": "collection", "#k": "key" },
    expression: "#c, #k",
    consistent: true,
  };
  for await (const items of queryPages(ddb, collection, "destroy", projection)) {
    const requests = items.map((Key): WriteRequest => ({ DeleteRequest: { Key } }));
    await Promise.all(
      chunk(requests, BATCH_WRITE_SIZE).map((part) => batchWrite(ddb, part, "destroy")),
    );
    deleted += requests.length;
  }
  return deleted;
}
