// Child process of redis_fault.test.ts: creates a RedisStore or ValkeyStore
// for a port nothing listens on, makes one get (which must fail with
// StoreConnectionError), closes the store and prints the time it closed;
// the parent times how long the process takes to exit after that.

import process from "node:process";
import { StoreConnectionError } from "../../core/errors.ts";
import { RedisStore } from "../../stores/redis.ts";
import { ValkeyStore } from "../../stores/valkey.ts";

const [name, port] = process.argv.slice(-2);
const url = `redis://127.0.0.1:${port}`;
const store = name === "ValkeyStore" ? new ValkeyStore({ url }) : new RedisStore({ url });
const error = await store.get("k").catch((e) => e);
if (!(error instanceof StoreConnectionError)) {
  console.error(`expected a StoreConnectionError, got ${error}`);
  process.exit(2);
}
await store.close();
console.log(Date.now());
