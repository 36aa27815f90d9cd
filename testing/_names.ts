// Name generators of the conformance suite: (collection, key) pairs built
// around the separators and prefixes that layouts, sanitization strategies
// and prefixing wrappers use, so that a mapping that is not injective is
// likely to meet two pairs it maps to one name.

import fc from "fast-check"; // the property-testing library with shrinking; dev/test only

/** A (collection, key) pair. */
export type NamePair = readonly [collection: string, key: string];

/** Separators and reserved prefixes of the layouts and strategies we know. */
export const SEPARATORS: readonly string[] = [
  "::",
  ":",
  "__",
  "_",
  "-",
  "/",
  ".",
  "..",
  "S_",
  "H_",
  " ",
  "%3A",
  "\\",
  "-info.json",
];

/** Ordinary name parts: case variants, non-ASCII and astral characters. */
export const WORDS: readonly string[] = ["a", "A", "b", "ab", "aB", "é", "ключ", "🔑", "1", "x"];

const pieceArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...SEPARATORS) },
);

/** A short name of one to five pieces, possibly starting or ending with a separator. */
export const shortNameArb: fc.Arbitrary<string> = fc
  .array(pieceArb, { minLength: 1, maxLength: 5 })
  .map((pieces) => pieces.join(""));

/** A name of 200 to 300 characters sharing its stem with other long names. */
export const longNameArb: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 200, max: 290 }), shortNameArb)
  .map(([length, tail]) => "x".repeat(length) + tail);

/** Any name the generators make. */
export const nameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: shortNameArb },
  { weight: 1, arbitrary: longNameArb },
);

/** One pair of independent names. */
const singleArb = fc.tuple(nameArb, nameArb).map((pair): NamePair[] => [pair]);

/** The separators of the layouts we know, for the split generator. */
const LAYOUT_SEPARATORS = ["::", "__", "/", ":", "_", "-", "."];

/**
 * Pairs that concatenate to one string with a separator: words joined with
 * the separator, cut after the first word and before the last ("a" +
 * "b::c" and "a::b" + "c"), for two separators at once.
 */
const splitArb = fc
  .tuple(
    fc.array(fc.constantFrom(...WORDS, ":", "_"), { minLength: 3, maxLength: 5 }),
    fc.uniqueArray(fc.constantFrom(...LAYOUT_SEPARATORS), { minLength: 2, maxLength: 2 }),
  )
  .map(([words, separators]): NamePair[] =>
    separators.flatMap((separator) =>
      [1, words.length - 1].map((cut): NamePair => [
        words.slice(0, cut).join(separator),
        words.slice(cut).join(separator),
      ])
    )
  );

/** A pair and its case variant (collection or key upper-cased). */
const caseArb = fc.tuple(nameArb, nameArb, fc.boolean()).map(([c, k, inKey]): NamePair[] => [
  [c, k],
  inKey ? [c, k.toUpperCase()] : [c.toUpperCase(), k],
]);

/** Long names sharing a stem, differing only at the end (cut or hashed alike by a strategy). */
const stemArb = fc
  .tuple(fc.integer({ min: 200, max: 280 }), shortNameArb, fc.boolean())
  .map(([length, other, inKey]): NamePair[] => {
    const stem = "s".repeat(length);
    return inKey
      ? [[other, `${stem}1`], [other, `${stem}2`], [other, stem]]
      : [[`${stem}1`, other], [`${stem}2`, other], [stem, other]];
  });

/** A name and the same name behind a reserved or separator prefix. */
const prefixArb = fc
  .tuple(shortNameArb, shortNameArb, fc.constantFrom("S_", "H_", "_", "__", ":", "-"))
  .map(([c, k, prefix]): NamePair[] => [[c, k], [prefix + c, k], [c, prefix + k]]);

/** A small set of distinct pairs, up to eight, built by the generators above. */
export const pairSetArb: fc.Arbitrary<NamePair[]> = fc
  .array(
    fc.oneof(
      { weight: 2, arbitrary: singleArb },
      { weight: 4, arbitrary: splitArb },
      { weight: 1, arbitrary: caseArb },
      { weight: 1, arbitrary: stemArb },
      { weight: 2, arbitrary: prefixArb },
    ),
    {
      minLength: 1,
      maxLength: 3,
    },
  )
  .map((groups) => {
    const seen = new Set<string>();
    const pairs: NamePair[] = [];
    for (const pair of groups.flat()) {
      const id = JSON.stringify(pair);
      if (seen.has(id) || pairs.length === 8) continue;
      seen.add(id);
      pairs.push(pair);
    }
    return pairs;
  });

/**
 * Sets every run of the property starts with: the collisions each known
 * layout would make if it did not guard against them (`collection::key`,
 * `prefix__key`, `collection/key`, a trailing separator, case folding,
 * reserved prefixes, cut long names).
 */
export const KNOWN_COLLISIONS: readonly NamePair[][] = [
  [["a", "b::c"], ["a::b", "c"], ["a:", "b"], ["a", ":b"]],
  [["a", "b__c"], ["a__b", "c"], ["a_", "_b"], ["a", "__b"]],
  [["a", "b/c"], ["a/b", "c"], ["a", ".."], ["..", "a"]],
  [["A", "k"], ["a", "k"], ["c", "K"], ["c", "k"]],
  [["S_a", "k"], ["a", "k"], ["H_a", "k"], ["c", "S_k"], ["c", "k"]],
  [["c", "s".repeat(250) + "1"], ["c", "s".repeat(250) + "2"], ["s".repeat(250) + "1", "k"], [
    "s".repeat(250) + "2",
    "k",
  ]],
  [["a-info.json", "k"], ["a", "k"], ["c", "k.json"], ["c", "k"]],
];

/** Names every store must accept: short lower-case alphanumerics. */
export function isPlainName(name: string): boolean {
  return /^[a-z0-9]{1,16}$/.test(name);
}
