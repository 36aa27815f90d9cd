import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryStore } from "../../../stores/memory.ts";
import { LoggingWrapper, type LogRecord } from "../../../wrappers/logging.ts";
import { ALL, RUNS, testWrapper } from "./_helpers.ts";

function spy() {
  const lines: unknown[] = [];
  const errors: unknown[] = [];
  return {
    lines,
    errors,
    logger: { info: (x: unknown) => lines.push(x), error: (x: unknown) => errors.push(x) },
  };
}

testWrapper("LoggingWrapper (text, with values)", {
  wrap: (inner) => new LoggingWrapper(inner(), { logger: spy().logger, logValues: true }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) =>
    new LoggingWrapper(inner(), { logger: spy().logger, logValues: true, ...extra }),
});
testWrapper("LoggingWrapper (structured)", {
  wrap: (inner) => new LoggingWrapper(inner(), { logger: spy().logger, structured: true }),
  capabilities: ALL,
  propertyRuns: 0,
  namesRuns: 10,
});

test("LoggingWrapper logs a start and a finish message for each operation, without values by default", async () => {
  const { lines, logger } = spy();
  const store = new LoggingWrapper(new MemoryStore(), { logger });
  await store.put("k", { secret: "hunter2" }, { ttl: 60, collection: "c" });
  await store.get("k", { collection: "c" });
  await store.getMany(["k", "x"], { collection: "c" });
  await store.ttl("x");
  await store.ttlMany(["k"]);
  await store.putMany(["a"], [{ n: 1 }]);
  await store.delete("a");
  await store.deleteMany(["a", "b"]);
  assert.deepEqual(lines, [
    `Start PUT collection="c" keys="k" ({"ttl":60})`,
    `Finish PUT collection="c" keys="k" ({"ttl":60})`,
    `Start GET collection="c" keys="k"`,
    `Finish GET collection="c" keys="k" ({"hit":true})`,
    `Start GET_MANY collection="c" keys=["k","x"]`,
    `Finish GET_MANY collection="c" keys=["k","x"] ({"hits":1,"misses":1})`,
    `Start TTL collection="default_collection" keys="x"`,
    `Finish TTL collection="default_collection" keys="x" ({"hit":false,"ttl":null})`,
    `Start TTL_MANY collection="default_collection" keys=["k"]`,
    `Finish TTL_MANY collection="default_collection" keys=["k"] ({"hits":0,"misses":1})`,
    `Start PUT_MANY collection="default_collection" keys=["a"] ({"ttl":null})`,
    `Finish PUT_MANY collection="default_collection" keys=["a"] ({"ttl":null})`,
    `Start DELETE collection="default_collection" keys="a"`,
    `Finish DELETE collection="default_collection" keys="a" ({"deleted":true})`,
    `Start DELETE_MANY collection="default_collection" keys=["a","b"]`,
    `Finish DELETE_MANY collection="default_collection" keys=["a","b"] ({"deleted":0})`,
  ]);
  assert.ok(!lines.some((line) => String(line).includes("hunter2")));
});

test("LoggingWrapper logs values only when logValues is true", async () => {
  const { lines, logger } = spy();
  const store = new LoggingWrapper(new MemoryStore(), { logger, logValues: true });
  await store.put("k", { n: 1 });
  await store.get("k");
  await store.get("missing");
  assert.deepEqual(lines, [
    `Start PUT collection="default_collection" keys="k" value={"n":1} ({"ttl":null})`,
    `Finish PUT collection="default_collection" keys="k" value={"n":1} ({"ttl":null})`,
    `Start GET collection="default_collection" keys="k"`,
    `Finish GET collection="default_collection" keys="k" value={"n":1} ({"hit":true})`,
    `Start GET collection="default_collection" keys="missing"`,
    `Finish GET collection="default_collection" keys="missing" value=null ({"hit":false})`,
  ]);
});

test("LoggingWrapper gives a structured logger one record per message", async () => {
  const { lines, logger } = spy();
  const store = new LoggingWrapper(new MemoryStore(), { logger, structured: true });
  await store.get("k", { collection: "c" });
  await store.keys({ collection: "c" });
  await store.collections();
  assert.deepEqual(lines as LogRecord[], [
    { status: "start", action: "GET", collection: "c", keys: "k" },
    { status: "finish", action: "GET", collection: "c", keys: "k", extra: { hit: false } },
    { status: "start", action: "KEYS", collection: "c", keys: undefined },
    { status: "finish", action: "KEYS", collection: "c", keys: undefined, extra: { count: 0 } },
    { status: "start", action: "COLLECTIONS", collection: undefined, keys: undefined },
    {
      status: "finish",
      action: "COLLECTIONS",
      collection: undefined,
      keys: undefined,
      extra: { count: 0 },
    },
  ]);
});

test("LoggingWrapper logs a failure at error level and rethrows it", async () => {
  const { lines, errors, logger } = spy();
  const store = new LoggingWrapper(new MemoryStore(), { logger, logValues: true });
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  await assert.rejects(store.put("k", cycle), { name: "SerializationError" });
  assert.equal(lines.length, 1);
  assert.match(String(lines[0]), /^Start PUT .*value=\[a value JSON cannot carry\]/);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /^Error PUT .*SerializationError/);
});

test("LoggingWrapper names the inner store's own default collection", async () => {
  const { lines, logger } = spy();
  const store = new LoggingWrapper(new MemoryStore({ defaultCollection: "main" }), { logger });
  await store.delete("k");
  assert.equal(lines[0], `Start DELETE collection="main" keys="k"`);
});

test("LoggingWrapper refuses a logger without the chosen level", () => {
  assert.throws(
    () => new LoggingWrapper(new MemoryStore(), { logger: {}, level: "debug" }),
    TypeError,
  );
});

test("LoggingWrapper logs with logValues what is stored, as it was at the call", async () => {
  const { lines, logger } = spy();
  const inner = new MemoryStore();
  const store = new LoggingWrapper(inner, { logger, logValues: true });
  let reads = 0;
  const value = {
    get n() {
      return reads++ === 0 ? 1 : 2;
    },
    list: Object.assign([1], { toJSON: () => "lie" }),
  };
  const done = store.put("k", value as never);
  value.list.push(2);
  await done;
  assert.deepEqual(await inner.get("k"), { n: 1, list: [1] });
  assert.deepEqual(lines, [
    `Start PUT collection="default_collection" keys="k" value={"n":1,"list":[1]} ({"ttl":null})`,
    `Finish PUT collection="default_collection" keys="k" value={"n":1,"list":[1]} ({"ttl":null})`,
  ]);
});

test("LoggingWrapper gives a structured logger its own copy of a written value", async () => {
  const records: LogRecord[] = [];
  const logger = { info: (record: unknown) => records.push(record as LogRecord) };
  const inner = new MemoryStore();
  const store = new LoggingWrapper(inner, { logger, structured: true, logValues: true });
  const value = { n: 1 };
  await store.put("k", value);
  (records[0]!.value as { n: number }).n = 99; // a logger that changes what it got
  assert.deepEqual(await inner.get("k"), { n: 1 });
  assert.notEqual(records[0]!.value, value);
});
