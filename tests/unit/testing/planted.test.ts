// The conformance suite catches each class of defect it was built for: every
// case group is run against a store that keeps the rule (it passes) and a
// store with the defect planted (it fails).

import assert from "node:assert/strict";
import { test } from "node:test";
import type { AsyncKeyValue } from "../../../core/protocol.ts";
import { type ConformanceOptions, testConformance } from "../../../testing/_conformance.ts";
import { ALL, AsyncStore } from "../wrappers/_helpers.ts";
import {
  collapsing,
  Concat,
  Good,
  LateDeadline,
  LateValue,
  OneByOne,
  Parallel,
  ReadsTwice,
} from "./_planted.ts";

type Body = () => Promise<void>;

/** Registers the suite into a map of case title to body, instead of node:test. */
function suite<S extends AsyncKeyValue>(options: ConformanceOptions<S>): Map<string, Body> {
  const found = new Map<string, Body>();
  testConformance("planted", {
    propertyRuns: 0,
    namesRuns: 30,
    ...options,
    test: (title, _options, fn) => found.set(title.slice("planted: ".length), fn),
  });
  return found;
}

function body(cases: Map<string, Body>, title: string): Body {
  const found = cases.get(title);
  assert.ok(found, `no case ${title}`);
  return found;
}

const good = suite({ factory: ({ clock }) => new Good({ clock }), clock: true, capabilities: ALL });

function planted(
  defect: string,
  factory: ConformanceOptions["factory"],
  titles: readonly string[],
  options: Partial<ConformanceOptions> = {},
): void {
  const bad = suite({ factory, clock: true, capabilities: ALL, ...options });
  for (const title of titles) {
    test(`the conformance case "${title}" passes a good store and fails one that ${defect}`, async () => {
      await body(good, title)();
      await assert.rejects(body(bad, title)());
    });
  }
}

const fresh = (what: string, where: string) =>
  `${what} keeps the value${
    what === "putMany()" ? "s as they were" : " as it was"
  } at the call when ${
    what === "putMany()" ? "they are" : "it is"
  } mutated before the call settles, on a fresh ${where}`;

planted("reads the value after an await", ({ clock }) => new LateValue({ clock }), [
  fresh("put()", "store"),
  fresh("put()", "collection"),
  fresh("putMany()", "store"),
  fresh("putMany()", "collection"),
  fresh("putIfAbsent()", "store"),
  fresh("putIfAbsent()", "collection"),
]);
planted("serializes the caller's object", ({ clock }) => new ReadsTwice({ clock }), [
  "a getter that answers differently on a second read is stored as read once at the call",
  "a Proxy whose traps change their answers is stored as read once at the call",
  "a non-enumerable toJSON is never consulted: the own enumerable data is stored",
  "an array carrying a toJSON property is stored as its items",
]);
/** Reads the caller's keys array (and values) only after an await: BaseStore itself copies them at the call. */
class LateKeys extends AsyncStore {
  override async putMany(
    keys: readonly string[],
    values: readonly Record<string, unknown>[],
    options?: { collection?: string; ttl?: number | null },
  ): Promise<void> {
    await null;
    await new Promise((resolve) => setTimeout(resolve, 0));
    return super.putMany(keys, values, options);
  }
}
planted("uses the caller's keys array after an await", ({ clock }) => new LateKeys({ clock }), [
  "putMany() and the batch reads use the keys as they were at the call",
]);
planted("collapses lone surrogates", ({ clock }) => collapsing(new Good({ clock })), [
  "every operation refuses a key with a lone surrogate with InvalidKeyError and changes nothing",
  "every operation refuses a collection with a lone surrogate with InvalidKeyError and changes nothing",
]);
planted("writes a batch one entry at a time", ({ clock }) => new OneByOne({ clock }), [
  "a batch with one empty key among good keys rejects whole and changes nothing",
  "a batch with one key with a lone surrogate among good keys rejects whole and changes nothing",
]);
planted("writes a batch in parallel", ({ clock }) => new Parallel({ clock }), [
  "a batch with one empty key among good keys rejects whole and changes nothing",
]);
planted("reads an entry at its deadline as live", ({ clock }) => new LateDeadline({ clock }), [
  "an entry exactly at its deadline is a miss for get, getMany, ttl and ttlMany",
  "a fractional ttl counts to the millisecond by the clock: 1.25 s is live at 1249 ms, expired at 1250 ms",
]);
planted("ignores the clock it declares", () => new Good(), [
  "an entry exactly at its deadline is a miss for get, getMany, ttl and ttlMany",
  "one millisecond before its deadline an entry is live, with a ttl of 0.001 s",
]);
planted(
  "maps names by concatenation and counts expired deletes",
  ({ clock }) => new Concat({ clock }),
  [
    "names are injective: pairs around separators, prefixes and case read back their own values",
    "delete() of an expired entry returns false",
    "deleteMany() does not count expired entries",
    "delete() of an entry exactly at its deadline returns false, and deleteMany() does not count it",
  ],
  { capabilities: [] },
);

test("the strict-options case fails a construct that ignores an unknown option or does not name it", async () => {
  const strict = suite({
    factory: () => new Good(),
    construct: (extra) => new Good(extra),
  });
  const title = "an unknown constructor option is a TypeError naming it";
  await body(strict, title)();
  const lax = suite({ factory: () => new Good(), construct: () => new Good() });
  await assert.rejects(body(lax, title)(), /accepted silently/);
  const vague = suite({
    factory: () => new Good(),
    construct: (extra) => {
      if ("notAnOption" in extra) throw new TypeError("bad options");
      return new Good();
    },
  });
  await assert.rejects(body(vague, title)(), /name the unknown option/);
});

test("the refusedKeys and refusedCollections cases are registered only when declared", () => {
  const titles = [...good.keys()];
  assert.ok(!titles.some((title) => title.includes("refusedKeys")));
  const declared = suite({
    factory: () => new Good(),
    refusedKeys: ["x"],
    refusedCollections: ["y"],
  });
  assert.ok([...declared.keys()].some((title) => title.includes("(refusedKeys)")));
  assert.ok([...declared.keys()].some((title) => title.includes("(refusedCollections)")));
});

test("the refusedKeys case fails a store that accepts a key it declares refused", async () => {
  const declared = suite({ factory: () => new Good(), refusedKeys: ["a::b"] });
  await assert.rejects(
    body(
      declared,
      "a batch with one key the store refuses (refusedKeys) rejects whole and changes nothing",
    )(),
  );
});
