// Property tests of the name-mapping wrappers: over names built around every
// separator and prefix, distinct accepted (prefix, collection, key) triples
// get distinct backend names, the inverse (keys(), collections()) gives back
// exactly the names used, destroying one tenant never touches another, and
// every refusal is needed (the refused name would collide with an accepted one).

import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { InvalidKeyError } from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { PrefixCollectionsWrapper } from "../../../wrappers/prefix_collections.ts";
import { PrefixKeysWrapper } from "../../../wrappers/prefix_keys.ts";
import { SingleCollectionWrapper } from "../../../wrappers/single_collection.ts";

const RUNS = 150;
const ATOMS = [
  "_",
  "__",
  "___",
  "::",
  ":",
  "a",
  "ap",
  "app",
  "App",
  "APP",
  "ab",
  "aba",
  "é",
  "😀",
  "\uD800", // a lone high surrogate (well-formed only when a low one follows)
  "\uDC00", // a lone low surrogate
  "-",
  " ",
  "x".repeat(100),
];
const atom = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ATOMS) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 3 }) },
);
/** A non-empty name around separators and prefixes, up to about 300 characters. */
const name = fc.array(atom, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(""));
const collection = fc.option(name, { nil: undefined, freq: 4 });

/** The refusal rule, spelt out: the separator may occur in `name + separator` only at its start and its end. */
function keepsApart(n: string, separator: string): boolean {
  const joined = n + separator;
  for (let i = 1; i < n.length; i++) if (joined.startsWith(separator, i)) return false;
  return true;
}

/** The shorter name and the longer remainder an ambiguous name collides with (py-key-value's layout). */
function witness(n: string, rest: string, separator: string): [string, string] {
  const joined = n + separator + rest;
  for (let i = 1; i < n.length; i++) {
    if (joined.startsWith(separator, i)) return [n.slice(0, i), joined.slice(i + separator.length)];
  }
  throw new Error("no witness");
}

function wellFormed(...names: (string | undefined)[]): boolean {
  return names.every((n) => n === undefined || n.isWellFormed());
}

async function refused(fn: () => unknown): Promise<boolean> {
  try {
    await fn();
    return false;
  } catch (error) {
    assert.ok(error instanceof InvalidKeyError, String(error));
    return true;
  }
}

type Triple = [prefix: string, collection: string | undefined, key: string];
/**
 * Names built from two random ones around `separator`, so that a run holds
 * prefixes of each other and names that differ by where a separator falls
 * (`a`, `a_`, `_b`, `a__b`, ...): the pairs that would meet if a rule were loose.
 */
function related(separator: string): fc.Arbitrary<string[]> {
  const half = separator.slice(0, -1) || separator;
  return fc.tuple(name, name).map(([a, b]) => [
    a,
    b,
    a + half,
    half + b,
    a + separator,
    separator + b,
    a + separator + b,
    a + half + b,
    a + separator + half + b,
    a + half + separator + b,
    a.slice(0, -1) || a,
  ]);
}
const triples = fc.oneof(
  fc.array(fc.tuple(name, collection, name), { minLength: 1, maxLength: 6 }),
  related("__").chain((pool) => {
    const one = fc.constantFrom(...pool);
    return fc.array(fc.tuple(one, fc.option(one, { nil: undefined }), one), {
      minLength: 2,
      maxLength: 8,
    });
  }),
);

/** One tenant wrapper per prefix over `inner`, or undefined when the prefix is refused. */
function tenants<W>(make: (prefix: string) => W, list: Triple[]): Map<string, W | undefined> {
  const out = new Map<string, W | undefined>();
  for (const [prefix] of list) {
    if (out.has(prefix)) continue;
    try {
      out.set(prefix, make(prefix));
    } catch (error) {
      assert.ok(error instanceof InvalidKeyError, String(error));
      out.set(prefix, undefined);
    }
  }
  return out;
}

test("PrefixKeysWrapper names are injective, exactly reversible, and refused only when ambiguous", async () => {
  await fc.assert(
    fc.asyncProperty(triples, async (list) => {
      const inner = new MemoryStore();
      const wrappers = tenants((prefix) => new PrefixKeysWrapper(inner, { prefix }), list);
      const stored = new Map<string, { t: Triple; n: number }>(); // by triple
      const backend = new Set<string>();
      for (const [n, t] of list.entries()) {
        const [prefix, col, key] = t;
        const w = wrappers.get(prefix);
        assert.equal(w === undefined, !wellFormed(prefix) || !keepsApart(prefix, "__"), prefix);
        if (w === undefined) continue;
        const isRefused = await refused(() => w.put(key, { n }, { collection: col }));
        assert.equal(isRefused, !wellFormed(col, key));
        if (isRefused) continue;
        stored.set(JSON.stringify(t), { t, n });
        backend.add(JSON.stringify([col ?? "default_collection", `${prefix}__${key}`]));
      }
      assert.equal(backend.size, stored.size, "distinct triples, distinct backend names");
      for (const { t: [prefix, col, key], n } of stored.values()) {
        assert.deepEqual(await inner.get(`${prefix}__${key}`, { collection: col }), { n });
        assert.deepEqual(await wrappers.get(prefix)!.get(key, { collection: col }), { n });
      }
      for (const [prefix, w] of wrappers) {
        if (w === undefined) continue;
        for (const c of new Set([...stored.values()].map(({ t }) => t[1]))) {
          const mine = [...stored.values()].filter(({ t }) => t[0] === prefix && t[1] === c);
          assert.deepEqual(
            (await w.keys({ collection: c })).sort(),
            mine.map(({ t }) => t[2]).sort(),
          );
        }
      }
      const [first, victim] = [...wrappers].find(([, w]) => w !== undefined) ?? [];
      if (victim === undefined) return;
      await victim.destroy();
      for (const { t: [prefix, col, key], n } of stored.values()) {
        const expected = prefix === first ? undefined : { n };
        assert.deepEqual(await wrappers.get(prefix)!.get(key, { collection: col }), expected);
      }
    }),
    { numRuns: RUNS },
  );
});

test("PrefixCollectionsWrapper names are injective, exactly reversible, and refused only when ambiguous", async () => {
  await fc.assert(
    fc.asyncProperty(triples, async (list) => {
      const inner = new MemoryStore();
      const wrappers = tenants((prefix) => new PrefixCollectionsWrapper(inner, { prefix }), list);
      const stored = new Map<string, { t: Triple; n: number }>();
      const backend = new Set<string>();
      for (const [n, t] of list.entries()) {
        const [prefix, col, key] = t;
        const w = wrappers.get(prefix);
        assert.equal(w === undefined, !wellFormed(prefix) || !keepsApart(prefix, "__"), prefix);
        if (w === undefined) continue;
        const isRefused = await refused(() => w.put(key, { n }, { collection: col }));
        assert.equal(isRefused, !wellFormed(col, key));
        if (isRefused) continue;
        const c = col ?? "default_collection";
        stored.set(JSON.stringify([prefix, c, key]), { t: [prefix, c, key], n });
        backend.add(JSON.stringify([`${prefix}__${c}`, key]));
      }
      assert.equal(backend.size, stored.size, "distinct triples, distinct backend names");
      for (const { t: [prefix, col, key], n } of stored.values()) {
        assert.deepEqual(await inner.get(key, { collection: `${prefix}__${col}` }), { n });
      }
      for (const [prefix, w] of wrappers) {
        if (w === undefined) continue;
        const mine = [...stored.values()].filter(({ t }) => t[0] === prefix);
        assert.deepEqual(
          (await w.collections()).sort(),
          [...new Set(mine.map(({ t }) => t[1]))].sort(),
        );
      }
      const [first, victim] = [...wrappers].find(([, w]) => w !== undefined) ?? [];
      if (victim === undefined) return;
      await victim.destroy();
      assert.deepEqual(await victim.collections(), []);
      for (const { t: [prefix, col, key], n } of stored.values()) {
        const expected = prefix === first ? undefined : { n };
        assert.deepEqual(await wrappers.get(prefix)!.get(key, { collection: col }), expected);
      }
    }),
    { numRuns: RUNS },
  );
});

const separator = fc.constantFrom("__", "::", "_", ":", "aba", "😀");
const pairs = (sep: string) =>
  fc.oneof(
    fc.array(fc.tuple(collection, name), { minLength: 1, maxLength: 8 }),
    related(sep).chain((pool) => {
      const one = fc.constantFrom(...pool);
      return fc.array(fc.tuple(fc.option(one, { nil: undefined }), one), {
        minLength: 2,
        maxLength: 10,
      });
    }),
  );
const separated = separator.chain((sep) => fc.tuple(fc.constant(sep), pairs(sep)));

test("SingleCollectionWrapper names are injective, exactly reversible, and refused only when ambiguous", async () => {
  await fc.assert(
    fc.asyncProperty(separated, async ([sep, list]) => {
      const inner = new MemoryStore();
      // "default_collection" holds "_": with that separator, another default.
      const fallback = keepsApart("default_collection", sep) ? "default_collection" : "dflt";
      const store = new SingleCollectionWrapper(inner, {
        collection: "one",
        separator: sep,
        defaultCollection: fallback,
      });
      const stored = new Map<string, { c: string; key: string; n: number }>();
      const backend = new Set<string>();
      for (const [n, [col, key]] of list.entries()) {
        const isRefused = await refused(() => store.put(key, { n }, { collection: col }));
        const c = col ?? fallback;
        assert.equal(isRefused, !wellFormed(c, key) || !keepsApart(c, sep), `${c} ${key}`);
        if (isRefused) continue;
        stored.set(JSON.stringify([c, key]), { c, key, n });
        backend.add(c + sep + key);
      }
      assert.equal(backend.size, stored.size, "distinct pairs, distinct backend names");
      const entries = [...stored.values()];
      for (const { c, key, n } of entries) {
        assert.deepEqual(await inner.get(c + sep + key, { collection: "one" }), { n });
      }
      const names = [...new Set(entries.map(({ c }) => c))];
      assert.deepEqual((await store.collections()).sort(), [...names].sort());
      for (const c of names) {
        const keys = entries.filter((e) => e.c === c).map((e) => e.key);
        assert.deepEqual((await store.keys({ collection: c })).sort(), keys.sort());
      }
      if (names.length === 0) return;
      await store.destroyCollection(names[0]!);
      for (const { c, key, n } of entries) {
        const expected = c === names[0] ? undefined : { n };
        assert.deepEqual(await store.get(key, { collection: c }), expected);
      }
      await store.destroy();
      assert.deepEqual(await inner.keys({ collection: "one" }), []);
    }),
    { numRuns: RUNS },
  );
});

test("every name the wrappers refuse for ambiguity would collide with an accepted one", async () => {
  const ambiguous = fc.tuple(separator, name, name).filter(([sep, n, key]) =>
    wellFormed(n, key) && !keepsApart(n, sep)
  );
  await fc.assert(
    fc.asyncProperty(ambiguous, async ([sep, n, key]) => {
      const [shorter, rest] = witness(n, key, sep);
      assert.ok(keepsApart(shorter, sep));
      const inner = new MemoryStore();
      const store = new SingleCollectionWrapper(inner, {
        collection: "one",
        separator: sep,
        defaultCollection: "dflt",
      });
      await store.put(rest, { n: 1 }, { collection: shorter });
      assert.deepEqual(await inner.keys({ collection: "one" }), [n + sep + key]);
      await assert.rejects(store.put(key, { n: 2 }, { collection: n }), InvalidKeyError);
      if (sep !== "__") return;
      const keys = new PrefixKeysWrapper(inner, { prefix: shorter });
      await keys.put(rest, { n: 3 });
      assert.deepEqual(await inner.keys(), [n + sep + key]);
      assert.throws(() => new PrefixKeysWrapper(inner, { prefix: n }), InvalidKeyError);
      assert.throws(() => new PrefixCollectionsWrapper(inner, { prefix: n }), InvalidKeyError);
    }),
    { numRuns: RUNS },
  );
});
