// ElasticsearchStore's share of the contract's rules, without a server:
// injective index names and document ids (Elasticsearch lowercases index
// names), strict options, and the shared error mapping (through a fake
// client).

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  InvalidKeyError,
  KeyValueStoreError,
  StoreConnectionError,
} from "../../../../core/errors.ts";
import { HashExcessLengthStrategy, PassthroughStrategy } from "../../../../core/sanitization.ts";
import {
  belongsTo,
  documentId,
  ElasticsearchLongKeyStrategy,
  ElasticsearchWhenNeededStrategy,
  indexName,
  indexNameProblem,
} from "../../../../stores/elasticsearch/_documents.ts";
import { ElasticsearchStore } from "../../../../stores/elasticsearch/mod.ts";
import {
  ElasticsearchV1CollectionSanitizationStrategy,
  ElasticsearchV1KeySanitizationStrategy,
} from "../../../../stores/elasticsearch/sanitization.ts";

const CONTEXT = "put into ElasticsearchStore";

/** Names biased towards the ones index naming gets wrong. */
const tricky = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: fc.constantFrom("a", "A", "_", "-", "s", "S", ".", ":"), maxLength: 10 }),
  fc.tuple(
    fc.string({ unit: fc.constantFrom("a", "b", "_"), maxLength: 6 }),
    fc.stringMatching(/^[0-9a-f]{8}$/),
  )
    .map(([stem, hash]) => `s_${stem}-${hash}`),
  fc.string({ unit: fc.constantFrom("x", "X"), minLength: 195, maxLength: 205 }),
).filter((name) => name !== "" && name.isWellFormed());

test("ElasticsearchStore's default index names keep collections apart that differ only in case", () => {
  const strategy = new ElasticsearchWhenNeededStrategy();
  const upper = indexName("kv", "A", strategy, CONTEXT);
  const lower = indexName("kv", "a", strategy, CONTEXT);
  assert.equal(lower, "kv-a");
  assert.notEqual(upper, lower);
  // The lowercased sanitized name, used as a collection, is sanitized in turn.
  const lookalike = upper.slice("kv-".length);
  assert.match(lookalike, /^s_a-[0-9a-f]{8}$/);
  assert.notEqual(indexName("kv", lookalike, strategy, CONTEXT), upper);
  fc.assert(
    fc.property(tricky, tricky, (a, b) => {
      fc.pre(a !== b);
      const names = [indexName("kv", a, strategy, CONTEXT), indexName("kv", b, strategy, CONTEXT)];
      assert.equal(indexNameProblem(names[0]!), undefined);
      assert.notEqual(names[0], names[1]);
    }),
    { numRuns: 5000 },
  );
  const v1 = new ElasticsearchV1CollectionSanitizationStrategy();
  fc.assert(
    fc.property(tricky, tricky, (a, b) => {
      fc.pre(a !== b);
      let names: string[];
      try {
        names = [indexName("kv", a, v1, CONTEXT), indexName("kv", b, v1, CONTEXT)];
      } catch (error) {
        if (error instanceof InvalidKeyError) return; // V1 refuses `S_`/`H_` names
        throw error;
      }
      assert.notEqual(names[0], names[1]);
    }),
    { numRuns: 3000 },
  );
});

test("ElasticsearchStore refuses a custom strategy's upper-case index name, which lowercasing would merge", () => {
  for (
    const strategy of [new PassthroughStrategy(), new HashExcessLengthStrategy({ maxLength: 10 })]
  ) {
    assert.equal(indexName("kv", "users", strategy, CONTEXT), "kv-users");
    const name = strategy instanceof PassthroughStrategy ? "Users" : "x".repeat(20);
    assert.throws(() => indexName("kv", name, strategy, CONTEXT), (error: Error) => {
      assert.ok(error instanceof InvalidKeyError);
      assert.match(error.message, /upper-case.*ElasticsearchV1CollectionSanitizationStrategy/);
      return true;
    });
  }
});

test("ElasticsearchStore's default document ids are injective: a hashed id never equals a kept key", () => {
  const strategy = new ElasticsearchLongKeyStrategy();
  const long = "k".repeat(600);
  const id = documentId(long, strategy, CONTEXT);
  assert.match(id, /^H_[0-9a-f]{64}$/);
  assert.notEqual(documentId(id, strategy, CONTEXT), id); // the id used as a key is hashed too
  const hex = new ElasticsearchV1KeySanitizationStrategy().sanitize(long);
  assert.equal(documentId(hex, strategy, CONTEXT), hex); // a bare digest is an ordinary key
  const keys = fc.oneof(
    fc.string({ minLength: 1, maxLength: 20 }),
    fc.string({ unit: fc.constantFrom("k", "é"), minLength: 250, maxLength: 600 }),
    fc.stringMatching(/^[0-9a-f]{64}$/).map((hash) => `H_${hash}`),
  );
  fc.assert(
    fc.property(keys, keys, (a, b) => {
      fc.pre(a !== b);
      assert.notEqual(documentId(a, strategy, CONTEXT), documentId(b, strategy, CONTEXT));
    }),
    { numRuns: 3000 },
  );
  assert.notEqual(
    documentId(documentId(long, strategy, CONTEXT), strategy, CONTEXT),
    documentId(long, strategy, CONTEXT),
  );
});

test("ElasticsearchStore reads a document that names another collection or key as a miss", () => {
  assert.equal(belongsTo({ key: "k", collection: "c" }, "c", "k"), true);
  assert.equal(belongsTo({ value: {} }, "c", "k"), true); // another writer recorded none
  assert.equal(belongsTo({ key: "k", collection: "C" }, "c", "k"), false);
  assert.equal(belongsTo({ key: "K", collection: "c" }, "c", "k"), false);
});

/** A fake Elasticsearch client whose every request fails with `fail()`. */
function fakeClient(fail: () => unknown) {
  const rejecting = () => Promise.reject(fail());
  return {
    indices: { create: () => Promise.resolve({}), exists: () => Promise.resolve(true) },
    get: rejecting,
    mget: rejecting,
    index: rejecting,
    bulk: rejecting,
    delete: rejecting,
    search: rejecting,
    close: () => Promise.resolve(),
  };
}

test("ElasticsearchStore maps an unknown client error to KeyValueStoreError with the cause kept", async () => {
  const boom = Object.assign(new Error("circuit_breaking_exception"), { name: "ResponseError" });
  const store = new ElasticsearchStore({ client: fakeClient(() => boom) });
  for (
    const call of [
      () => store.get("k"),
      () => store.getMany(["a", "b"]),
      () => store.put("k", { n: 1 }),
      () => store.putMany(["a"], [{ n: 1 }]),
      () => store.delete("k"),
      () => store.deleteMany(["a", "b"]),
      () => store.keys(),
      () => store.collections(),
      () => store.cull(),
    ]
  ) {
    await assert.rejects(call(), (error: Error) => {
      assert.equal(error.constructor, KeyValueStoreError);
      assert.equal(error.cause, boom);
      assert.match(error.message, /^Cannot .* ElasticsearchStore: circuit_breaking_exception$/);
      return true;
    });
  }
});

test("ElasticsearchStore maps socket codes and the client's connection errors to StoreConnectionError", async () => {
  const failures = [
    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    Object.assign(new Error("x"), { cause: Object.assign(new Error("y"), { code: "ECONNRESET" }) }),
    Object.assign(new Error("no living connections"), { name: "ConnectionError" }),
    Object.assign(new Error("request timed out"), { name: "TimeoutError" }),
  ];
  for (const failure of failures) {
    const store = new ElasticsearchStore({ client: fakeClient(() => failure) });
    await assert.rejects(store.get("k"), (error: Error) => {
      assert.ok(error instanceof StoreConnectionError, failure.message);
      assert.equal(error.cause, failure);
      return true;
    });
  }
});

test("ElasticsearchStore refuses unknown options, naming the valid ones", () => {
  const client = fakeClient(() => new Error("unused"));
  assert.throws(
    () => new ElasticsearchStore({ client, index_prefix: "x" } as never),
    { name: "TypeError", message: /unknown option "index_prefix".*indexPrefix/ },
  );
  new ElasticsearchStore({
    client,
    indexPrefix: "p",
    refresh: false,
    autoCreate: false,
    timeout: 5,
    clock: { now: Date.now },
  });
});
