// DynamoDBStore's single-item requests: GetItem, PutItem, DeleteItem, and
// the conditional put-if-absent, where an expired item counts as absent.

import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { Entry } from "../../core/envelope.ts";
import { fromItem, type Item, itemKey } from "./_items.ts";
import { MAX_BATCH_ATTEMPTS, safeExpiry, unprocessed } from "./_batch.ts";
import { type DynamoContext, isNamed } from "./_setup.ts";

/** Reads the entry stored under `key` (an item key). */
export async function getItemEntry(
  ddb: DynamoContext,
  key: () => Item,
): Promise<Entry | undefined> {
  const result = await ddb.errors.call("get", () =>
    ddb.client.send(
      new GetItemCommand({ TableName: ddb.tableName, Key: key(), ConsistentRead: ddb.consistent }),
    ));
  return result.Item ? fromItem(result.Item) : undefined;
}

/** Writes `item`. */
export async function putItem(ddb: DynamoContext, item: Item): Promise<void> {
  await ddb.errors.call(
    "put",
    () => ddb.client.send(new PutItemCommand({ TableName: ddb.tableName, Item: item })),
  );
}

/** Deletes the item under `key` (an item key); false when it was missing or already expired. */
export async function deleteItem(ddb: DynamoContext, key: () => Item): Promise<boolean> {
  const result = await ddb.errors.call("delete", () =>
    ddb.client.send(
      new DeleteItemCommand({ TableName: ddb.tableName, Key: key(), ReturnValues: "ALL_OLD" }),
    ));
  if (!result.Attributes) return false;
  const expiresAt = safeExpiry(result.Attributes);
  return expiresAt === undefined || expiresAt > Date.now();
}

/**
 * Writes `item` only if its key has no live item, atomically: a conditional
 * PutItem, and for an expired item a PutItem conditioned on the expired
 * item's exact `value`. `true` if written.
 */
export async function putItemIfAbsent(ddb: DynamoContext, item: Item): Promise<boolean> {
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
      const expiresAt = safeExpiry(old);
      if (expiresAt === undefined || expiresAt > Date.now()) return false;
      // Replace the expired item only if nobody changed it meanwhile.
      condition = "#v = :old";
      values = { ":old": old.value! };
    }
  }
  throw unprocessed(ddb, 1, "put");
}
