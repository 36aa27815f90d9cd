// Interoperability with py-key-value on a shared MongoDB (FerretDB): Python
// writes and MongoDBStore reads, and the reverse. Python uses py-key-value's
// MongoDB V1 collection strategy, which names every collection exactly as
// MongoDBStore's default does for the names used here.

import { MongoClient } from "mongodb";
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { MongoDBStore } from "../../stores/mongodb/mod.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";
import {
  assertTtlNear,
  findPython,
  INTEROP_VALUES,
  type PyItem,
  type PyTarget,
  runPython,
} from "./_py_docstores.ts";

const url = serviceUrl("mongodb");
const python = url ? findPython() : undefined;
const skip = url
  ? (python ? {} : { skip: "py-key-value's Python is missing (scripts/py_env.sh)" })
  : skipUnless(url, "mongodb");
const database = `kv_interop_${uniqueSuffix()}`;
const target: PyTarget = { backend: "mongodb", url: url ?? "", namespace: database, v1: true };
const SPECIAL = "test_collection!@#$%^&*()";
const admin = url ? new MongoClient(url, { serverSelectionTimeoutMS: 5000 }) : undefined;

after(async () => {
  if (!admin) return;
  await admin.db(database).dropDatabase();
  await admin.close();
});

describe("MongoDBStore and py-key-value share a database", skip, () => {
  test("MongoDBStore reads what py-key-value wrote", async () => {
    // py-key-value cannot create a collection on FerretDB (it always adds a
    // TTL index, which FerretDB refuses); MongoDBStore creates them first.
    const store = new MongoDBStore({ url: url!, database });
    await store.put("setup", { n: 0 }, { collection: "from_py" });
    await store.put("setup", { n: 0 }, { collection: SPECIAL });
    const items: PyItem[] = [
      ...INTEROP_VALUES.map((value, i) => ({ collection: "from_py", key: `k${i}`, value })),
      { collection: "from_py", key: "ttl", value: { t: 1 }, ttl: 300 },
      { collection: SPECIAL, key: "k::1", value: { special: true } },
    ];
    const written = await runPython(python!, target, "write", items);
    assert.deepEqual(written.map((entry) => entry.value), items.map((item) => item.value));
    for (const item of items) {
      const [value, ttl] = await store.ttl(item.key, { collection: item.collection });
      assert.deepEqual(value, item.value);
      if (item.ttl) assertTtlNear(ttl, item.ttl);
      else assert.equal(ttl, undefined);
    }
    assert.deepEqual(await store.getMany(["k0", "k1", "missing"], { collection: "from_py" }), [
      INTEROP_VALUES[0],
      INTEROP_VALUES[1],
      undefined,
    ]);
    assert.deepEqual((await store.keys({ collection: SPECIAL })).sort(), ["k::1", "setup"]);
    const collections = await store.collections();
    assert.ok(collections.includes(SPECIAL), JSON.stringify(collections));
    await store.close();
  });

  test("py-key-value reads what MongoDBStore wrote", async () => {
    const store = new MongoDBStore({ url: url!, database });
    const entries = [
      ...INTEROP_VALUES.map((value, i) => ({ collection: "from_ts", key: `k${i}`, value })),
      // Shapes FerretDB refuses as BSON are stored as JSON text, which Python reads too.
      { collection: "from_ts", key: "dotted", value: { "a.b": 1, nested: [[1, 2], [3]] } },
      { collection: SPECIAL, key: "k::2", value: { special: true } },
    ];
    for (const entry of entries) {
      await store.put(entry.key, entry.value, { collection: entry.collection });
    }
    await store.putMany(["ttl", "short"], [{ t: 1 }, { t: 2 }], {
      collection: "from_ts",
      ttl: 300,
    });
    await store.put("short", { t: 2 }, { collection: "from_ts", ttl: 0.2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const read = await runPython(python!, target, "read", [
      ...entries,
      { collection: "from_ts", key: "ttl" },
      { collection: "from_ts", key: "short" },
      { collection: "from_ts", key: "missing" },
    ]);
    assert.deepEqual(
      read.slice(0, entries.length).map((entry) => entry.value),
      entries.map((entry) => entry.value),
    );
    for (const entry of read.slice(0, entries.length)) assert.equal(entry.ttl, null);
    const [ttl, short, missing] = read.slice(entries.length);
    assert.deepEqual(ttl!.value, { t: 1 });
    assertTtlNear(ttl!.ttl, 300);
    assert.equal(short!.value, null); // expired: Python honours our expires_at
    assert.equal(missing!.value, null);
    await store.close();
  });
});
