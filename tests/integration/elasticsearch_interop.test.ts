// Interoperability with py-key-value on a shared Elasticsearch: Python writes
// and ElasticsearchStore reads, and the reverse, with py-key-value's defaults
// (plain names) and with its V1 strategies (any names).

import { Client, HttpConnection } from "@elastic/elasticsearch";
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import {
  ElasticsearchV1CollectionSanitizationStrategy,
  ElasticsearchV1KeySanitizationStrategy,
} from "../../stores/elasticsearch/sanitization.ts";
import { ElasticsearchStore } from "../../stores/elasticsearch/mod.ts";
import { serviceUrl, skipUnless, uniqueSuffix } from "../_services.ts";
import {
  assertTtlNear,
  findPython,
  INTEROP_VALUES,
  type PyItem,
  type PyTarget,
  runPython,
} from "./_py_docstores.ts";

// Bun's undici shim breaks the client's default UndiciConnection; node:http works everywhere.
const BUN = "Bun" in globalThis ? { Connection: HttpConnection } : {};
const url = serviceUrl("elasticsearch");
const python = url ? findPython() : undefined;
const skip = url
  ? (python ? {} : { skip: "py-key-value's Python is missing (scripts/py_env.sh)" })
  : skipUnless(url, "elasticsearch");
const prefix = `kv_interop_${uniqueSuffix()}`;

after(async () => {
  if (!url) return;
  const admin = new Client({ node: url, ...BUN });
  const found = await admin.indices.get({ index: `${prefix}*` }, { ignore: [404] });
  const names = Object.keys(found).filter((name) => name.startsWith(prefix));
  if (names.length > 0) await admin.indices.delete({ index: names });
  await admin.close();
});

for (const v1 of [false, true]) {
  const namespace = `${prefix}_${v1 ? "v1" : "plain"}`;
  const target: PyTarget = { backend: "elasticsearch", url: url ?? "", namespace, v1 };
  const collection = v1 ? "Odd::Name*" : "users";
  const key = v1 ? "k::1 é/".repeat(100) : "k1";
  const newStore = () =>
    new ElasticsearchStore({
      url: url!,
      indexPrefix: namespace,
      ...(v1
        ? {
          collectionSanitizationStrategy: new ElasticsearchV1CollectionSanitizationStrategy(),
          keySanitizationStrategy: new ElasticsearchV1KeySanitizationStrategy(),
        }
        : {}),
    });
  const mode = v1 ? "V1 strategies" : "default names";

  describe(`ElasticsearchStore and py-key-value share indices (${mode})`, skip, () => {
    test(`ElasticsearchStore reads what py-key-value wrote (${mode})`, async () => {
      const items: PyItem[] = [
        ...INTEROP_VALUES.map((value, i) => ({ collection, key: `${key}${i}`, value })),
        { collection, key: `${key}ttl`, value: { t: 1 }, ttl: 300 },
      ];
      const written = await runPython(python!, target, "write", items);
      assert.deepEqual(written.map((entry) => entry.value), items.map((item) => item.value));
      const store = newStore();
      for (const item of items) {
        const [value, ttl] = await store.ttl(item.key, { collection });
        assert.deepEqual(value, item.value);
        if (item.ttl) assertTtlNear(ttl, item.ttl);
        else assert.equal(ttl, undefined);
      }
      assert.deepEqual(await store.getMany([`${key}1`, "missing"], { collection }), [
        INTEROP_VALUES[1],
        undefined,
      ]);
      assert.deepEqual(
        (await store.keys({ collection })).sort(),
        items.map((item) => item.key).sort(),
      );
      assert.deepEqual(await store.collections(), [collection]);
      await store.close();
    });

    test(`py-key-value reads what ElasticsearchStore wrote (${mode})`, async () => {
      const store = newStore();
      const keys = INTEROP_VALUES.map((_, i) => `${key}ts${i}`);
      await store.putMany(keys, INTEROP_VALUES, { collection });
      await store.put(`${key}tsttl`, { t: 1 }, { collection, ttl: 300 });
      await store.put(`${key}short`, { t: 2 }, { collection, ttl: 0.2 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const read = await runPython(python!, target, "read", [
        ...keys.map((k) => ({ collection, key: k })),
        { collection, key: `${key}tsttl` },
        { collection, key: `${key}short` },
      ]);
      assert.deepEqual(read.slice(0, keys.length).map((entry) => entry.value), INTEROP_VALUES);
      const [ttl, short] = read.slice(keys.length);
      assert.deepEqual(ttl!.value, { t: 1 });
      assertTtlNear(ttl!.ttl, 300);
      assert.equal(short!.value, null);
      await store.close();
    });
  });
}
