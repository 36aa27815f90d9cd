// MongoDBStore's share of the contract's rules, without a server: injective
// collection names, strict options, and the shared error mapping (through a
// fake client).

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  InvalidKeyError,
  KeyValueStoreError,
  StoreConnectionError,
} from "../../../../core/errors.ts";
import {
  belongsTo,
  collectionNameProblem,
  mongoCollectionName,
  MongoDBWhenNeededStrategy,
} from "../../../../stores/mongodb/_documents.ts";
import { MongoDBStore } from "../../../../stores/mongodb/mod.ts";
import {
  MongoDBCollectionSanitizationStrategy,
  MongoDBV1CollectionSanitizationStrategy,
} from "../../../../stores/mongodb/sanitization.ts";

/** Names biased towards the ones sanitization gets wrong. */
const tricky = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: fc.constantFrom("a", "Z", "_", "-", "S", "$", ".", "é"), maxLength: 12 }),
  fc.tuple(fc.string({ maxLength: 10 }), fc.stringMatching(/^[0-9a-f]{8}$/))
    .map(([stem, hash]) => `S_${stem}-${hash}`),
  fc.string({ unit: fc.constantFrom("x", "y"), minLength: 195, maxLength: 210 }),
).filter((name) => name !== "" && name.isWellFormed());

const CONTEXT = "put into MongoDBStore";

test("MongoDBStore's default collection names never land on a name another collection keeps", () => {
  const strategy = new MongoDBWhenNeededStrategy();
  // A sanitized name used as a collection of its own is sanitized again.
  const sanitized = mongoCollectionName("price$", strategy, CONTEXT);
  assert.equal(sanitized, "S_price_-0f2bb7e0");
  assert.notEqual(mongoCollectionName(sanitized, strategy, CONTEXT), sanitized);
  assert.equal(mongoCollectionName("S_plain", strategy, CONTEXT), "S_plain"); // no hash: kept
  fc.assert(
    fc.property(tricky, (name) => {
      const mapped = mongoCollectionName(name, strategy, CONTEXT);
      assert.equal(collectionNameProblem(mapped), undefined);
      // Only names kept as they are map to themselves; a changed name's
      // result is never kept as it is, so no two names share one result.
      if (mapped !== name) assert.notEqual(mongoCollectionName(mapped, strategy, CONTEXT), mapped);
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(tricky, tricky, (a, b) => {
      fc.pre(a !== b);
      assert.notEqual(
        mongoCollectionName(a, strategy, CONTEXT),
        mongoCollectionName(b, strategy, CONTEXT),
      );
    }),
    { numRuns: 3000 },
  );
});

test("MongoDBStore's V1 strategy refuses a name it would truncate without a hash", () => {
  const v1 = new MongoDBV1CollectionSanitizationStrategy();
  assert.equal(v1.sanitize("test_collection!@#$%^&*()"), "S_test_collection_-daf4a2ec");
  v1.validate("x".repeat(200));
  for (const name of ["x".repeat(201) + "a", "x".repeat(201) + "b"]) {
    assert.throws(() => mongoCollectionName(name, v1, CONTEXT), (error: Error) => {
      assert.ok(error instanceof InvalidKeyError);
      assert.match(error.message, /MongoDBCollectionSanitizationStrategy/);
      return true;
    });
  }
  const hashing = new MongoDBCollectionSanitizationStrategy();
  assert.notEqual(hashing.sanitize("x".repeat(201) + "a"), hashing.sanitize("x".repeat(201) + "b"));
  fc.assert(
    fc.property(tricky, tricky, (a, b) => {
      fc.pre(a !== b);
      let names: string[];
      try {
        names = [mongoCollectionName(a, v1, CONTEXT), mongoCollectionName(b, v1, CONTEXT)];
      } catch (error) {
        if (error instanceof InvalidKeyError) return; // refused: nothing shared
        throw error;
      }
      assert.notEqual(names[0], names[1]);
    }),
    { numRuns: 3000 },
  );
});

test("MongoDBStore reads a document that names another collection or key as a miss", () => {
  assert.equal(belongsTo({ key: "k", collection: "c" }, "c", "k"), true);
  assert.equal(belongsTo({ key: "k" }, "c", "k"), true); // another writer recorded none
  assert.equal(belongsTo({ key: "k", collection: "other" }, "c", "k"), false);
  assert.equal(belongsTo({ key: "other", collection: "c" }, "c", "k"), false);
});

/** A fake MongoClient whose collections answer `find`/`findOne`/... with `fail()`. */
function fakeClient(fail: () => unknown) {
  const rejecting = () => Promise.reject(fail());
  const handle = {
    createIndex: () => Promise.resolve("ok"),
    findOne: rejecting,
    find: () => ({ toArray: rejecting, limit: () => ({ toArray: rejecting }) }),
    replaceOne: rejecting,
    bulkWrite: rejecting,
    deleteOne: rejecting,
    deleteMany: rejecting,
  };
  const db = {
    createCollection: () => Promise.resolve(),
    collection: () => handle,
    listCollections: () => ({ toArray: rejecting }),
  };
  return { db: () => db, close: () => Promise.resolve() };
}

test("MongoDBStore maps an unknown driver error to KeyValueStoreError with the cause kept", async () => {
  const boom = Object.assign(new Error("Document failed validation"), { code: 121 });
  const store = new MongoDBStore({ client: fakeClient(() => boom) });
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
      () => store.putIfAbsent("k", { n: 1 }),
      () => store.cull(),
    ]
  ) {
    await assert.rejects(call(), (error: Error) => {
      assert.equal(error.constructor, KeyValueStoreError);
      assert.equal(error.cause, boom);
      assert.match(error.message, /^Cannot .* MongoDBStore: Document failed validation$/);
      return true;
    });
  }
});

test("MongoDBStore maps socket codes and the driver's network errors to StoreConnectionError", async () => {
  const failures = [
    Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    Object.assign(new Error("x"), { cause: Object.assign(new Error("y"), { code: "EPIPE" }) }),
    Object.assign(new Error("connection closed"), { name: "MongoNetworkError" }),
    Object.assign(new Error("no server"), { name: "MongoServerSelectionError" }),
  ];
  for (const failure of failures) {
    const store = new MongoDBStore({ client: fakeClient(() => failure) });
    await assert.rejects(store.get("k"), (error: Error) => {
      assert.ok(error instanceof StoreConnectionError, failure.message);
      assert.equal(error.cause, failure);
      return true;
    });
  }
});

test("MongoDBStore refuses unknown options, naming the valid ones", () => {
  const client = fakeClient(() => new Error("unused"));
  assert.throws(
    () => new MongoDBStore({ client, db: "x" } as never),
    { name: "TypeError", message: /unknown option "db".*url, client, database/ },
  );
  assert.throws(
    () => new MongoDBStore({ client, keySanitizationStrategy: {} } as never),
    { name: "TypeError", message: /unknown option "keySanitizationStrategy"/ },
  );
  new MongoDBStore({
    client,
    database: "d",
    autoCreate: false,
    timeout: 5,
    clock: { now: Date.now },
  });
});
