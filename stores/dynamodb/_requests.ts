// DynamoDBStore's single-item requests: GetItem, PutItem, DeleteItem, and
// the conditional put-if-absent, where an expired item counts as absent.

import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { Entry } from "../../core/envelope.ts";
import { type Item, itemEntry, itemKey } from "./_items.ts";
import { MAX_BATCH_ATTEMPTS, unprocessed } from "./_batch.ts";
import { type DynamoContext, isNamed } from "./_setup.ts";

/**
 * Reads the entry of `names` (the original collection and key) stored under
 * `key` (an item key); an item whose envelope names another pair is a miss.
 */
export async function getItemEntry(
  ddb: DynamoContext,
  key: () => Item,
  names: { collection: string; key: string },
): Promise<Entry | undefined> {
  const result = await ddb.errors.call("get", () =>
    ddb.client.send(
      new GetItemCommand({ TableName: ddb.tableName, Key: key(), ConsistentRead: ddb.consistent }),
    ));
  return result.Item ? itemEntry(result.Item, names) : undefined;
}

/** Writes `item`. */
export async function putItem(ddb: DynamoContext, item: Item): Promise<void> {
  await ddb.errors.call(
    "put",
    () => ddb.client.send(new PutItemCommand({ TableName: ddb.tableName, Item: item })),
  );
}

/**
 * Deletes the item under `key` (an item key, standing for `names`); `true`
 * only when it held the live entry of `names` (false when it was missing,
 * expired by the clock, or another pair's entry).
 */
export async function deleteItem(
  ddb: DynamoContext,
  key: () => Item,
  names: { collection: string; key: string },
): Promise<boolean> {
  const result = await ddb.errors.call("delete", () =>
    ddb.client.send(
      new DeleteItemCommand({ TableName: ddb.tableName, Key: key(), ReturnValues: "ALL_OLD" }),
    ));
  return result.Attributes ? isLiveEntryOf(result.Attributes, names, ddb.clock.now()) : false;
}

/**
 * Writes `item` (the entry of `names`) only if its key has no live entry of
 * `names`, atomically: a conditional PutItem, and for an item expired by the
 * clock (or holding another pair's entry, a miss here) a PutItem
 * conditioned on that item's exact `value`. `true` if written.
 */
export async function putItemIfAbsent(
  ddb: DynamoContext,
  item: Item,
  names: { collection: string; key: string },
): Promise<boolean> {
  let condition = "attribute_not_exists(#k)";
  let values: Record<string, AttributeValue> | undefined;
  for (let attempt = 0; attempt < MAX_BATCH_ATTEMPTS; attempt++) {
    try {
      await ddb.client.send(
        new PutItemCommand({
          TableName: ddb.tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeNames: values ? { "#v": "value" } : { "#k": "key" },
          ...(values ? { ExpressionAttributeValues: values } : {}),
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return true;
    } catch (error) {
      if (!isNamed(error, "ConditionalCheckFailedException")) throw ddb.errors.map(error, "put");
      const old = (error as { Item?: Record<string, AttributeValue> }).Item ??
        (await ddb.errors.call("put", () =>
          ddb.client.send(
            new GetItemCommand({
              TableName: ddb.tableName,
              Key: itemKey((item.collection as { S: string }).S, (item.key as { S: string }).S),
              ConsistentRead: true,
            }),
          ))).Item;
      if (!old) {
        condition = "attribute_not_exists(#k)";
        values = undefined;
        continue;
      }
      if (isLiveEntryOf(old, names, ddb.clock.now())) return false;
      // Replace the expired (or foreign) item only if nobody changed it meanwhile.
      condition = "#v = :old";
      values = { ":old": old.value! };
    }
  }
  throw unprocessed(ddb, 1, "put");
}

/** Whether `item` holds the entry of `names`, live at `now` (undecodable counts as live). */
function isLiveEntryOf(
  item: Record<string, unknown>,
  names: { collection: string; key: string },
  now: number,
): boolean {
  let entry;
  try {
    entry = itemEntry(item, names);
  } catch {
    return true; // undecodable data is something, not nothing
  }
  return entry !== undefined && (entry.expiresAt === undefined || entry.expiresAt > now);
}
