// How RedisStore and ValkeyStore name entries (`prefix + collection::key`):
// the compound rule keeps the mapping injective and exactly reversible, and
// every collection it refuses really could collide. Property tests over
// names built from ':', '::' and a few letters.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { InvalidKeyError } from "../../../../core/errors.ts";
import {
  checkCompoundCollection,
  compoundProblem,
  expiredAt,
  namesAnotherPair,
} from "../../../../stores/_shared/compound.ts";
import { ownEntry, respName, respPair } from "../../../../stores/_resp/names.ts";

// Names around the separator: ':', '::', ':::' and letters, anywhere.
const name = fc.array(fc.constantFrom(":", "a", "b", "::", "é"), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(""));
const key = fc.oneof(name, fc.constant(":"), fc.constant("::"));
const prefix = fc.constantFrom("", "p:", "app1::", ":");
const allowed = (collection: string) => compoundProblem(collection) === undefined;

describe("respName", () => {
  test("maps distinct pairs of allowed collections to distinct names", () => {
    fc.assert(
      fc.property(prefix, name, key, name, key, (p, c1, k1, c2, k2) => {
        fc.pre(allowed(c1) && allowed(c2));
        fc.pre(c1 !== c2 || k1 !== k2);
        assert.notEqual(respName(p, c1, k1), respName(p, c2, k2));
      }),
      { numRuns: 20_000 },
    );
  });

  test("is exactly reversed by respPair", () => {
    fc.assert(
      fc.property(prefix, name, key, (p, collection, k) => {
        fc.pre(allowed(collection));
        assert.deepEqual(respPair(respName(p, collection, k), p), { collection, key: k });
      }),
      { numRuns: 5_000 },
    );
  });

  test("refuses exactly the collections that could collide with another pair", () => {
    fc.assert(
      fc.property(name, key, (collection, k) => {
        const problem = compoundProblem(collection);
        assert.equal(problem !== undefined, collection.includes("::") || collection.endsWith(":"));
        if (problem === undefined) return;
        // The pair the name splits into is another one, with the same name.
        const other = respPair(respName("", collection, k), "");
        if (other === undefined) return; // a collection starting with "::"
        assert.notDeepEqual(other, { collection, key: k });
        assert.equal(respName("", other.collection, other.key), respName("", collection, k));
        assert.ok(allowed(other.collection));
      }),
      { numRuns: 5_000 },
    );
  });

  test("the refusal is an InvalidKeyError naming the rule", () => {
    for (const collection of ["a::b", "a:", ":", "::"]) {
      assert.throws(
        () => checkCompoundCollection(collection, "put into RedisStore"),
        (e: Error) => {
          assert.ok(e instanceof InvalidKeyError);
          assert.match(e.message, /^Cannot put into RedisStore: collection ".*" (contains|ends)/);
          assert.match(e.message, /a collection must not contain "::" nor end with ":"/);
          return true;
        },
      );
    }
    for (const collection of ["a", ":a", "a:b", "a:b:c", "é"]) {
      checkCompoundCollection(collection, "put into RedisStore");
    }
  });

  test("'a' + 'b::c' and 'a::b' + 'c' (py-key-value's collision) now differ or are refused", () => {
    assert.equal(respName("", "a", "b::c"), "a::b::c");
    assert.throws(() => checkCompoundCollection("a::b", "put"), InvalidKeyError);
    assert.equal(respName("", "a", ":b"), "a:::b");
    assert.throws(() => checkCompoundCollection("a:", "put"), InvalidKeyError);
  });
});

describe("envelope checks", () => {
  const text = (collection: unknown, key: unknown) =>
    JSON.stringify({ collection, key, value: {}, version: 1 });

  test("ownEntry accepts only an envelope naming exactly the pair its name splits into", () => {
    const mine = ownEntry("c::x::k", text("c", "x::k"), "");
    assert.deepEqual(mine && { collection: mine.collection, key: mine.key }, {
      collection: "c",
      key: "x::k",
    });
    assert.ok(ownEntry("p:c::k", text("c", "k"), "p:"));
    // py-key-value's entry of collection "c::x": its name splits another way.
    assert.equal(ownEntry("c::x::k", text("c::x", "k"), ""), undefined);
    assert.equal(ownEntry("c::k", text("c", "k"), "p:"), undefined, "outside the prefix");
    assert.equal(ownEntry("c::k", "not json", ""), undefined);
    assert.equal(ownEntry("c::k", '{"collection":"c","key":"k"}', ""), undefined, "no value");
    assert.equal(ownEntry("c::k", "[1]", ""), undefined);
    assert.equal(ownEntry("c::k", null, ""), undefined);
    assert.equal(ownEntry("::k", text("", "k"), ""), undefined);
  });

  test("namesAnotherPair: a present collection or key that differs", () => {
    assert.equal(namesAnotherPair({ collection: "a", key: "b" }, "a", "b"), false);
    assert.equal(namesAnotherPair({ value: {} }, "a", "b"), false);
    assert.equal(namesAnotherPair({ collection: "a::b", key: "c" }, "a", "b::c"), true);
    assert.equal(namesAnotherPair({ collection: "a", key: "x" }, "a", "b"), true);
    assert.equal(namesAnotherPair({ collection: null }, "a", "b"), true);
  });

  test("expiredAt: expires_at <= now is expired", () => {
    const at = Date.UTC(2026, 0, 1, 0, 0, 10, 123);
    assert.equal(expiredAt("2026-01-01T00:00:10.123000+00:00", at), true);
    assert.equal(expiredAt("2026-01-01T00:00:10.123000+00:00", at - 1), false);
    assert.equal(expiredAt("2026-01-01T00:00:10.123Z", at), true);
    assert.equal(expiredAt(undefined, at), false);
    assert.equal(expiredAt("not a time", at), false);
  });
});
