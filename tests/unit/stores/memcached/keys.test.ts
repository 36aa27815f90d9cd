// MemcachedStore's naming and expiry rules, without a server.

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compoundName, compoundProblem } from "../../../../stores/_shared/compound.ts";
import { sha256Hex } from "../../../../core/_sha256.ts";
import { InvalidKeyError } from "../../../../core/errors.ts";
import { MemcachedV1KeySanitizationStrategy } from "../../../../stores/memcached/sanitization.ts";
import {
  keyProblem,
  MAX_RELATIVE_EXPIRY,
  memcachedExpiry,
  memcachedKey,
} from "../../../../stores/memcached/_keys.ts";

test("memcachedKey keeps a name memcached can hold", () => {
  assert.equal(memcachedKey("users::ada", undefined, "put"), "users::ada");
  const exact = `c::${"k".repeat(247)}`; // 250 bytes
  assert.equal(memcachedKey(exact, undefined, "put"), exact);
});

test("memcachedKey hashes names over 250 UTF-8 bytes or with spaces or control characters", () => {
  for (
    const name of [
      `c::${"k".repeat(248)}`,
      `c::${"é".repeat(124)}`,
      "c::a b",
      "c::a\nb",
      "c::\u007f",
    ]
  ) {
    assert.ok(keyProblem(name), name);
    assert.equal(memcachedKey(name, undefined, "put"), `H_${sha256Hex(name)}`);
  }
  assert.equal(keyProblem(`c::${"é".repeat(123)}`), undefined, "249 bytes fits");
});

test("memcachedKey with the V1 strategy matches py-key-value and refuses what memcached cannot hold", () => {
  const v1 = new MemcachedV1KeySanitizationStrategy();
  const long = `c::${"k".repeat(238)}`; // 241 characters
  assert.equal(memcachedKey(long, v1, "put"), `H_${sha256Hex(long)}`);
  assert.equal(memcachedKey(`c::${"k".repeat(237)}`, v1, "put"), `c::${"k".repeat(237)}`);
  assert.throws(() => memcachedKey("c::a b", v1, "put"), InvalidKeyError);
  assert.throws(() => memcachedKey(`c::${"é".repeat(200)}`, v1, "put"), InvalidKeyError);
  assert.throws(() => memcachedKey("H_c::k", v1, "put"), InvalidKeyError);
});

test("memcachedExpiry rounds up to whole seconds and never returns 0 for a TTL", () => {
  const now = 1_700_000_000_000;
  assert.equal(memcachedExpiry(undefined, now), 0);
  assert.equal(memcachedExpiry(now + 1, now), 1);
  assert.equal(memcachedExpiry(now + 1_000, now), 1);
  assert.equal(memcachedExpiry(now + 1_001, now), 2);
  assert.equal(memcachedExpiry(now + 300, now), 1);
});

test("memcachedExpiry sends a Unix time beyond 30 days", () => {
  const now = 1_700_000_000_000;
  assert.equal(memcachedExpiry(now + MAX_RELATIVE_EXPIRY * 1000, now), MAX_RELATIVE_EXPIRY);
  const later = now + (MAX_RELATIVE_EXPIRY + 1) * 1000 + 500;
  assert.equal(memcachedExpiry(later, now), Math.ceil(later / 1000));
});

test("memcachedExpiry counts a Unix time from the server's clock when the store's differs", () => {
  const now = 1_000_000_000_000; // the store's clock, far behind the server's
  const serverNow = 1_700_000_000_000;
  const ttl = (MAX_RELATIVE_EXPIRY + 10) * 1000;
  assert.equal(memcachedExpiry(now + ttl, now, serverNow), Math.ceil((serverNow + ttl) / 1000));
  assert.equal(memcachedExpiry(now + 60_000, now, serverNow), 60, "relative seconds stay relative");
});

test("memcachedKey of prefix + collection::key is injective for allowed collections, hashed or not", () => {
  const v1 = new MemcachedV1KeySanitizationStrategy();
  const part = fc.array(fc.constantFrom(":", "::", "a", " ", "é", "k".repeat(120)), {
    minLength: 1,
    maxLength: 5,
  }).map((parts) => parts.join(""));
  const name = (strategy: typeof v1 | undefined, collection: string, key: string) => {
    try {
      return memcachedKey(`p:${compoundName(collection, key)}`, strategy, "put");
    } catch (error) {
      if (error instanceof InvalidKeyError) return undefined; // refused, never stored
      throw error;
    }
  };
  fc.assert(
    fc.property(part, part, part, part, (c1, k1, c2, k2) => {
      fc.pre(compoundProblem(c1) === undefined && compoundProblem(c2) === undefined);
      fc.pre(c1 !== c2 || k1 !== k2);
      for (const strategy of [undefined, v1]) {
        const [a, b] = [name(strategy, c1, k1), name(strategy, c2, k2)];
        if (a !== undefined && b !== undefined) assert.notEqual(a, b);
      }
    }),
    { numRuns: 5_000 },
  );
});
