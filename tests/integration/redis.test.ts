// RedisStore against a real standalone Redis: the shared RESP cases
// (conformance, raw layout, foreign keys surviving destroy(), keys() over
// 25,000 keys, prefix, client ownership) in logical database 1.
//
// Logical databases used by the test files on the shared Redis and Valkey
// servers (each file its own, so destroy() in one never touches another's):
//   db 1  tests/integration/redis.test.ts, tests/integration/valkey.test.ts
//   db 3  tests/integration/redis_interop.test.ts, tests/integration/valkey_interop.test.ts
// The cluster has only db 0: redis_cluster.test.ts scopes every store with a
// unique prefix instead.

import { test } from "node:test";
import { Redis } from "ioredis";
import { RedisStore } from "../../stores/redis.ts";
import { serviceUrl } from "../_services.ts";
import { type RawClient, respCases, type RespTarget } from "./_resp_cases.ts";
import { respStrictCases } from "./_resp_strict_cases.ts";

const url = serviceUrl("redis");
const DB = 1;

if (url) {
  const target: RespTarget = {
    name: "RedisStore",
    url,
    db: DB,
    store: (options) => new RedisStore(options),
    raw: () => new Redis(url, { db: DB }) as unknown as RawClient,
  };
  respCases(target);
  respStrictCases(target);
} else {
  test("RedisStore against Redis", { skip: "Redis is not running (scripts/services.sh up)" });
}
