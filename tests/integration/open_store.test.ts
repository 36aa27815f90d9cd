// openStore() against the real servers of scripts/services.sh: each URL opens
// the store it names with the URL's parameters applied, and what it writes is
// read by the same store built by hand from the equivalent options.

import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { closeStore, openStore } from "../../open/mod.ts";
import type { AsyncKeyValue } from "../../core/protocol.ts";
import { RedisStore } from "../../stores/redis.ts";
import { ValkeyStore } from "../../stores/valkey.ts";
import { MemcachedStore } from "../../stores/memcached/mod.ts";
import { MongoDBStore } from "../../stores/mongodb/mod.ts";
import { DynamoDBStore } from "../../stores/dynamodb/mod.ts";
import { ElasticsearchStore } from "../../stores/elasticsearch/mod.ts";
import { PostgresStore } from "../../stores/postgres/mod.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";

const run = uniqueSuffix();
const opened: AsyncKeyValue[] = [];
after(async () => {
  for (const store of opened) await closeStore(store);
});

/** Writes through `viaUrl`, reads through `direct`, then cleans up. */
async function roundTrip(viaUrl: AsyncKeyValue, direct: AsyncKeyValue, collection: string) {
  opened.push(viaUrl, direct);
  const key = `open-${run}`;
  await viaUrl.put(key, { from: "url" }, { collection, ttl: 60 });
  assert.deepEqual(await direct.get(key, { collection }), { from: "url" });
  const [, ttl] = await direct.ttl(key, { collection });
  assert.ok(ttl !== undefined && ttl > 50 && ttl <= 60);
  assert.equal(await viaUrl.delete(key, { collection }), true);
  assert.equal(await direct.get(key, { collection }), undefined);
}

const redis = serviceUrl("redis");
describe("openStore(redis://)", skipUnless(redis, "redis"), () => {
  test("openStore() opens a RedisStore with the URL's prefix and default collection", async () => {
    const store = await openStore(`${redis}/0?prefix=app${run}:&defaultCollection=c${run}`);
    assert.ok(store instanceof RedisStore);
    const direct = new RedisStore({ url: redis!, prefix: `app${run}:` });
    await roundTrip(store, direct, `c${run}`);
    await store.put("k", { n: 1 });
    assert.deepEqual(await direct.get("k", { collection: `c${run}` }), { n: 1 });
    const unprefixed = new RedisStore({ url: redis! });
    opened.push(unprefixed);
    assert.equal(await unprefixed.get("k", { collection: `c${run}` }), undefined);
    await direct.delete("k", { collection: `c${run}` });
  });
});

const cluster = serviceUrl("redisCluster");
describe("openStore(redis://...?cluster=)", skipUnless(cluster, "redis cluster"), () => {
  test("openStore() opens a RedisStore on a cluster seeded by the URL and the listed nodes", async () => {
    const [first, ...more] = cluster!.split(",");
    const store = await openStore(`redis://${first}?cluster=${more.join(",")}`);
    const direct = new RedisStore({ clusterNodes: cluster!.split(",") });
    await roundTrip(store, direct, `c${run}`);
    const seedOnly = await openStore(`redis://${first}?cluster`);
    await roundTrip(seedOnly, new RedisStore({ clusterNodes: [first!] }), `d${run}`);
  });
});

const valkey = serviceUrl("valkey");
describe("openStore(valkey://)", skipUnless(valkey, "valkey"), () => {
  test("openStore() opens a ValkeyStore from a valkey:// URL", async () => {
    const address = new URL(valkey!).host;
    const store = await openStore(`valkey://${address}`);
    assert.ok(store instanceof ValkeyStore);
    await roundTrip(store, new ValkeyStore({ url: valkey! }), `c${run}`);
  });
});

const memcached = serviceUrl("memcached");
describe("openStore(memcached://)", skipUnless(memcached, "memcached"), () => {
  test("openStore() opens a MemcachedStore with the URL's prefix", async () => {
    const store = await openStore(`memcached://${memcached}?prefix=p${run}`);
    assert.ok(store instanceof MemcachedStore);
    await roundTrip(store, new MemcachedStore({ url: memcached!, prefix: `p${run}` }), "c");
  });
});

const mongodb = serviceUrl("mongodb");
describe("openStore(mongodb://)", skipUnless(mongodb, "mongodb"), () => {
  test("openStore() opens a MongoDBStore, leaving the driver's own URL options to the driver", async () => {
    const database = `kv_open_${run}`;
    const base = mongodb!.endsWith("/") ? mongodb! : `${mongodb}/`;
    const store = await openStore(`${base}?database=${database}&serverSelectionTimeoutMS=5000`);
    assert.ok(store instanceof MongoDBStore);
    assert.equal(store.database, database);
    const direct = new MongoDBStore({ url: mongodb!, database });
    await roundTrip(store, direct, "c");
    await direct.destroyCollection("c");
  });
});

const dynamodb = serviceUrl("dynamodb");
describe("openStore(dynamodb://)", skipUnless(dynamodb, "dynamodb"), () => {
  test("openStore() opens a DynamoDBStore on the URL's table at the given endpoint", async () => {
    const table = `kv_open_${run}`;
    const store = await openStore(`dynamodb://${table}?endpoint=${dynamodb}&region=us-east-1`);
    assert.ok(store instanceof DynamoDBStore);
    const direct = new DynamoDBStore({ url: dynamodb!, region: "us-east-1", tableName: table });
    await roundTrip(store, direct, "c");
  });
});

const elasticsearch = serviceUrl("elasticsearch");
describe("openStore(elasticsearch+http://)", skipUnless(elasticsearch, "elasticsearch"), () => {
  test("openStore() opens an ElasticsearchStore with the URL's index prefix", async () => {
    const indexPrefix = `kv-open-${run}`;
    const address = new URL(elasticsearch!).host;
    const store = await openStore(
      `elasticsearch+http://${address}?indexPrefix=${indexPrefix}&refresh=wait_for`,
    );
    assert.ok(store instanceof ElasticsearchStore);
    const direct = new ElasticsearchStore({ url: elasticsearch!, indexPrefix, refresh: true });
    await roundTrip(store, direct, "c");
    await direct.destroyCollection("c");
  });
});

const postgres = serviceUrl("postgres");
describe("openStore(postgres://)", skipUnless(postgres, "postgres"), () => {
  test("openStore() opens a PostgresStore on the URL's table, leaving driver options to node-postgres", async () => {
    const table = `kv_open_${run}`;
    const store = await openStore(`${postgres}?table=${table}&application_name=kv-open-test`);
    assert.ok(store instanceof PostgresStore);
    const direct = new PostgresStore({ url: postgres!, tableName: table });
    await roundTrip(store, direct, "c");
  });
});
