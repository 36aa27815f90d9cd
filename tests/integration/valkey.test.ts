// ValkeyStore against a real Valkey 8: the shared RESP cases (conformance,
// raw layout, foreign keys surviving destroy(), keys() over 25,000 keys,
// prefix, client ownership) in logical database 1 (see redis.test.ts for the
// databases each file uses).

import { test } from "node:test";
import { Valkey } from "iovalkey";
import { ValkeyStore } from "../../stores/valkey.ts";
import { serviceUrl } from "../_services.ts";
import { type RawClient, respCases, type RespTarget } from "./_resp_cases.ts";
import { respStrictCases } from "./_resp_strict_cases.ts";

const url = serviceUrl("valkey");
const DB = 1;

if (url) {
  const target: RespTarget = {
    name: "ValkeyStore",
    url,
    db: DB,
    store: (options) => new ValkeyStore(options),
    raw: () => new Valkey(url, { db: DB }) as unknown as RawClient,
  };
  respCases(target);
  respStrictCases(target);
} else {
  test("ValkeyStore against Valkey", { skip: "Valkey is not running (scripts/services.sh up)" });
}
