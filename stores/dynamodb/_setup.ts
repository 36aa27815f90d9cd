// Creates DynamoDBStore's client and its table (with TTL enabled), and holds
// what the other DynamoDB helpers need of the store.

// The official AWS SDK v3 client: modular, typed, and the one AWS maintains.
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import type { StoreOperation } from "../../core/base_store.ts";
import type { Clock } from "../../core/clock.ts";
import { isConnectionFailure } from "./_items.ts";
import { ErrorMapper } from "../_shared/errors.ts";
import { missingError } from "../_shared/setup.ts";

/** What the DynamoDB helpers need of the store. */
export interface DynamoContext {
  /** The client (the store's own or the caller's). */
  readonly client: DynamoDBClient;
  /** The table holding every collection. */
  readonly tableName: string;
  /** Whether reads are strongly consistent. */
  readonly consistent: boolean;
  /** Maps client errors to the library's errors. */
  readonly errors: ErrorMapper;
  /** The store's clock: every deadline (deletes, keys(), putIfAbsent) is judged by it. */
  readonly clock: Clock;
  /** The store's `context(operation)`, e.g. "get from DynamoDBStore". */
  context(operation: StoreOperation): string;
}

/** The client options of DynamoDBStoreOptions. */
export interface DynamoClientOptions {
  /** A client the caller built. */
  client?: unknown;
  /** Strongly consistent reads. @default {true} */
  consistentRead?: boolean;
  /** The endpoint. */
  url?: string;
  /** The region. */
  region?: string;
  /** The credentials, or a function that resolves them. */
  credentials?: DynamoDBClientConfig["credentials"];
  /** More `DynamoDBClientConfig` fields. */
  clientConfig?: object;
  /** Milliseconds to wait to connect and for each request. @default {5000} */
  timeout?: number;
}

const LOOPBACK = /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i;

/**
 * The store's context over the caller's client, or over a client it creates
 * (then `owned` is true).
 */
export function createContext(
  options: DynamoClientOptions,
  tableName: string,
  clock: Clock,
  context: (operation: StoreOperation) => string,
): { ddb: DynamoContext; owned: boolean } {
  const client = (options.client as DynamoDBClient | undefined) ??
    new DynamoDBClient(createdClientConfig(options));
  const errors = new ErrorMapper({
    store: "DynamoDBStore",
    extraInfo: { tableName },
    context,
    isConnectionFailure,
  });
  const consistent = options.consistentRead ?? true;
  return {
    ddb: { client, tableName, consistent, errors, clock, context },
    owned: !options.client,
  };
}

/**
 * The configuration of a client the store creates: timeouts, two attempts,
 * and for a `url` the region "us-east-1" and (on loopback) dummy keys, all
 * overridable by the options.
 */
function createdClientConfig(options: DynamoClientOptions): DynamoDBClientConfig {
  const timeout = options.timeout ?? 5000;
  const config: DynamoDBClientConfig = {
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: timeout,
      requestTimeout: timeout,
      throwOnRequestTimeout: true,
    },
  };
  if (options.url !== undefined) {
    config.endpoint = options.url;
    config.region = "us-east-1";
    if (LOOPBACK.test(options.url)) {
      config.credentials = { accessKeyId: "local", secretAccessKey: "local" };
    }
  }
  if (options.region !== undefined) config.region = options.region;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  return { ...config, ...(options.clientConfig as DynamoDBClientConfig | undefined) };
}

/** Whether `error` is the AWS SDK error named `name`. */
export function isNamed(error: unknown, name: string): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === name;
}

/**
 * Checks the table (creating it when `autoCreate` allows) and enables TTL on
 * the `ttl` attribute.
 */
export async function setupTable(
  ddb: DynamoContext,
  autoCreate: boolean,
  tableConfig: Partial<CreateTableCommandInput>,
): Promise<void> {
  const { client, tableName: TableName } = ddb;
  let exists = true;
  try {
    await client.send(new DescribeTableCommand({ TableName }));
  } catch (error) {
    if (!isNamed(error, "ResourceNotFoundException")) throw ddb.errors.map(error, "setup");
    exists = false;
  }
  if (!exists) {
    if (!autoCreate) {
      throw missingError("DynamoDBStore", "table", TableName, { tableName: TableName });
    }
    await createTable(ddb, tableConfig);
  }
  const ttl = await ddb.errors.call(
    "setup",
    () => client.send(new DescribeTimeToLiveCommand({ TableName })),
  );
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === undefined || status === "DISABLED") {
    await ddb.errors.call("setup", () =>
      client.send(
        new UpdateTimeToLiveCommand({
          TableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: "ttl" },
        }),
      ));
  }
}

async function createTable(
  ddb: DynamoContext,
  tableConfig: Partial<CreateTableCommandInput>,
): Promise<void> {
  const { client, tableName: TableName } = ddb;
  try {
    await client.send(
      new CreateTableCommand({
        ...tableConfig,
        TableName,
        KeySchema: [
          { AttributeName: "collection", KeyType: "HASH" },
          { AttributeName: "key", KeyType: "RANGE" },
        ],
        AttributeDefinitions: [
          { AttributeName: "collection", AttributeType: "S" },
          { AttributeName: "key", AttributeType: "S" },
        ],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  } catch (error) {
    // Another process created it first: fine.
    if (!isNamed(error, "ResourceInUseException")) throw ddb.errors.map(error, "setup");
  }
  try {
    await waitUntilTableExists(
      { client, maxWaitTime: 120, minDelay: 1, maxDelay: 5 },
      { TableName },
    );
  } catch (error) {
    throw ddb.errors.map(error, "setup");
  }
}
