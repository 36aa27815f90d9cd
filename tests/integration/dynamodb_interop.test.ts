// Interoperability with py-key-value on a shared DynamoDB table (DynamoDB
// Local): Python writes and DynamoDBStore reads, and the reverse.

import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { DynamoDBStore } from "../../stores/dynamodb/mod.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";
import {
  assertTtlNear,
  findPython,
  INTEROP_VALUES,
  type PyItem,
  type PyTarget,
  runPython,
} from "./_py_docstores.ts";

const url = serviceUrl("dynamodb");
const python = url ? findPython() : undefined;
const skip = url
  ? (python ? {} : { skip: "py-key-value's Python is missing (scripts/py_env.sh)" })
  : skipUnless(url, "dynamodb");
const tableName = `kv_interop_${uniqueSuffix()}`;
const target: PyTarget = { backend: "dynamodb", url: url ?? "", namespace: tableName };

after(async () => {
  if (!url) return;
  const admin = new DynamoDBClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    await admin.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as Error).name !== "ResourceNotFoundException") throw error;
  }
  admin.destroy();
});

describe("DynamoDBStore and py-key-value share a table", skip, () => {
  test("DynamoDBStore reads what py-key-value wrote (and py-key-value creates the table)", async () => {
    const items: PyItem[] = [
      ...INTEROP_VALUES.map((value, i) => ({ collection: "from_py", key: `k${i}`, value })),
      { collection: "from_py", key: "ttl", value: { t: 1 }, ttl: 300 },
      { collection: "odd::name*", key: "k::1 é", value: { special: true } },
    ];
    const written = await runPython(python!, target, "write", items);
    assert.deepEqual(written.map((entry) => entry.value), items.map((item) => item.value));
    const store = new DynamoDBStore({ url: url!, tableName, autoCreate: false });
    for (const item of items) {
      const [value, ttl] = await store.ttl(item.key, { collection: item.collection });
      assert.deepEqual(value, item.value);
      if (item.ttl) assertTtlNear(ttl, item.ttl);
      else assert.equal(ttl, undefined);
    }
    assert.deepEqual(await store.getMany(["k0", "k2", "missing"], { collection: "from_py" }), [
      INTEROP_VALUES[0],
      INTEROP_VALUES[2],
      undefined,
    ]);
    assert.deepEqual((await store.keys({ collection: "from_py" })).sort(), [
      "k0",
      "k1",
      "k2",
      "ttl",
    ]);
    await store.close();
  });

  test("py-key-value reads what DynamoDBStore wrote", async () => {
    const store = new DynamoDBStore({ url: url!, tableName });
    const entries = [
      ...INTEROP_VALUES.map((value, i) => ({ collection: "from_ts", key: `k${i}`, value })),
      { collection: "odd::name*", key: "k::2 é", value: { special: true } },
    ];
    await store.putMany(
      entries.slice(0, INTEROP_VALUES.length).map((entry) => entry.key),
      entries.slice(0, INTEROP_VALUES.length).map((entry) => entry.value),
      { collection: "from_ts" },
    );
    await store.put("k::2 é", { special: true }, { collection: "odd::name*" });
    await store.put("ttl", { t: 1 }, { collection: "from_ts", ttl: 300.5 });
    await store.put("short", { t: 2 }, { collection: "from_ts", ttl: 0.2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const read = await runPython(python!, target, "read", [
      ...entries,
      { collection: "from_ts", key: "ttl" },
      { collection: "from_ts", key: "short" },
    ]);
    assert.deepEqual(
      read.slice(0, entries.length).map((entry) => entry.value),
      entries.map((entry) => entry.value),
    );
    const [ttl, short] = read.slice(entries.length);
    assert.deepEqual(ttl!.value, { t: 1 });
    // py-key-value reads the whole-second `ttl` attribute (rounded down by us).
    assertTtlNear(ttl!.ttl, 300.5);
    // An entry that expired a moment ago is gone for py-key-value too.
    assert.equal(short!.value, null);
    await store.close();
  });
});

describe("py-key-value never reads a DynamoDBStore entry as live past its deadline", skip, () => {
  test("py-key-value reads an entry as missing at and after its deadline, and as live before", {
    timeout: 30_000,
  }, async () => {
    // A whole second far enough ahead for Python to start; deadlines just
    // past it, where a `ttl` rounded up would still read as live in Python.
    const second = Math.ceil((Date.now() + 5_000) / 1000) * 1000;
    const readAt = second + 300;
    const written = Date.now();
    const store = new DynamoDBStore({ url: url!, tableName, clock: { now: () => written } });
    const deadlines = { past: second + 100, at: readAt, later: second + 4_600 };
    for (const [key, deadline] of Object.entries(deadlines)) {
      await store.put(key, { key }, { collection: "deadlines", ttl: (deadline - written) / 1000 });
    }
    const read = await runPython(
      python!,
      target,
      "read",
      Object.keys(deadlines).map((key) => ({ collection: "deadlines", key })),
      readAt,
    );
    const [past, at, later] = read;
    assert.equal(past!.value, null, "100 ms past its deadline");
    assert.equal(at!.value, null, "at its deadline");
    assert.deepEqual(later!.value, { key: "later" });
    // Python reads the whole second of the deadline (rounded down): up to 1 s early, never late.
    assert.ok(later!.ttl !== null && later!.ttl <= (deadlines.later - readAt) / 1000);
    assert.ok(later!.ttl > (deadlines.later - readAt) / 1000 - 1.5, `ttl ${later!.ttl}`);
    await store.close();
  });
});
