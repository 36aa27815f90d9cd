import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { InvalidKeyError } from "../../../../core/errors.ts";
import {
  escapeName,
  fileSystemName,
  isHashedName,
  MAX_KEY_NAME,
  unescapeName,
} from "../../../../stores/_shared/file_names.ts";

const SAFE_OUTPUT = /^[a-z0-9_.%uA-F~-]+$/;

test("FileTreeStore names keep plain lowercase names as they are", () => {
  for (const name of ["default_collection", "user_1", "a-b", "v1.2", "session.json"]) {
    assert.equal(escapeName(name), name);
  }
});

test("FileTreeStore names escape separators, dots at the edges, uppercase and unicode", () => {
  assert.equal(escapeName("user:1"), "user%3A1");
  assert.equal(escapeName("a/b"), "a%2Fb");
  assert.equal(escapeName(".."), "%2E%2E");
  assert.equal(escapeName(".hidden"), "%2Ehidden");
  assert.equal(escapeName("trail."), "trail%2E");
  assert.equal(escapeName("Ada"), "%41da");
  assert.equal(escapeName("é"), "%C3%A9");
  assert.equal(escapeName("🔑"), "%F0%9F%94%91");
  assert.equal(escapeName("%2f"), "%252f");
  assert.equal(escapeName("%2F"), "%252%46");
  assert.equal(escapeName("a~b"), "a%7Eb");
  assert.equal(escapeName("\uD800x"), "%uD800x");
});

test("FileTreeStore names escape Windows device names", () => {
  assert.equal(escapeName("con"), "%63on");
  assert.equal(escapeName("nul.txt"), "%6Eul.txt");
  assert.equal(escapeName("console"), "console");
});

test("FileTreeStore names round-trip every string and stay distinct ignoring case", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 40 }), (name) => {
      fc.pre(name !== "");
      const escaped = escapeName(name);
      assert.match(escaped, SAFE_OUTPUT);
      assert.ok(!escaped.startsWith(".") && !escaped.endsWith("."));
      assert.equal(unescapeName(escaped), name);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
      fc.pre(a !== b && a !== "" && b !== "");
      assert.notEqual(escapeName(a).toLowerCase(), escapeName(b).toLowerCase());
    }),
    { numRuns: 2000 },
  );
});

test("FileTreeStore names refuse names the escaping never produces", () => {
  for (const foreign of ["Foo", "a%2f", "%2", "%ZZ", "a~b", "S_test_key-a2bc4860", "%FF"]) {
    assert.equal(unescapeName(foreign), undefined, foreign);
  }
});

test("FileTreeStore names hash over-long names within NAME_MAX", () => {
  const long = "ключ".repeat(300);
  const name = fileSystemName(long, MAX_KEY_NAME);
  assert.ok(name.length <= MAX_KEY_NAME, `${name.length}`);
  assert.ok(isHashedName(name));
  assert.equal(unescapeName(name), undefined);
  assert.notEqual(fileSystemName(long + "x", MAX_KEY_NAME), name);
  assert.equal(fileSystemName("short", MAX_KEY_NAME), "short");
  const edge = "a".repeat(MAX_KEY_NAME);
  assert.equal(fileSystemName(edge, MAX_KEY_NAME), edge);
  assert.ok(isHashedName(fileSystemName(edge + "a", MAX_KEY_NAME)));
  // The kept prefix never splits an escape.
  for (let pad = 0; pad < 6; pad++) {
    const hashed = fileSystemName("a".repeat(pad) + "é".repeat(200), MAX_KEY_NAME);
    const prefix = hashed.slice(0, hashed.indexOf("~"));
    assert.ok(!/%.?$/.test(prefix), prefix);
  }
});

test("file names hash exactly: a lone surrogate past the kept prefix is refused, not hashed as U+FFFD", () => {
  const long = "a".repeat(300);
  assert.throws(() => fileSystemName(long + "\uD800", MAX_KEY_NAME), InvalidKeyError);
  assert.throws(() => fileSystemName(long + "\uDFFF", MAX_KEY_NAME), InvalidKeyError);
  // Short names still escape a lone surrogate exactly (%uXXXX); nothing is hashed.
  assert.equal(fileSystemName("\uD800", MAX_KEY_NAME), "%uD800");
  assert.notEqual(
    fileSystemName(long + "\u{1F511}", MAX_KEY_NAME),
    fileSystemName(long + "\u{1F512}", MAX_KEY_NAME),
  );
});

test("file names never end with a reserved ending, and round-trip with it", () => {
  const INFO = "-info.json";
  assert.equal(escapeName("x-info.json", INFO), "x-info.jso%6E");
  assert.equal(escapeName("-info.json", INFO), "-info.jso%6E");
  assert.equal(escapeName("x-info.json"), "x-info.json");
  assert.equal(escapeName("x-info.jsonx", INFO), "x-info.jsonx");
  assert.equal(unescapeName("x-info.jso%6E", INFO), "x-info.json");
  assert.equal(unescapeName("x-info.json", INFO), undefined);
  assert.equal(unescapeName("x-info.jso%6E"), undefined);
  assert.ok(!fileSystemName("x".repeat(300) + INFO, 245, INFO).endsWith(INFO));
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 20 }), fc.boolean(), (stem, clash) => {
      const name = clash ? stem + INFO : stem;
      fc.pre(name !== "");
      const escaped = escapeName(name, INFO);
      assert.ok(!escaped.endsWith(INFO), escaped);
      assert.match(escaped, SAFE_OUTPUT);
      assert.equal(unescapeName(escaped, INFO), name);
    }),
    { numRuns: 2000 },
  );
});
