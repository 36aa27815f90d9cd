import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CLIENTS, type Floors, jsrSpecifier, peerRange } from "../../../scripts/_client_ranges.ts";

const read = (path: string) =>
  JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"));
const floors = read("scripts/client_floors.json").clients as Floors;
const pins = read("package.json").devDependencies as Record<string, string>;
const imports = read("deno.json").imports as Record<string, string>;

test("client ranges: peerRange() spans the lowest tested major up to the pin's", () => {
  const floors: Floors = { a: { lowest: "5.11.1" }, b: { lowest: "1.3.0" } };
  assert.equal(peerRange(floors, "a", "6.0.0"), "^5.11.1 || ^6.0.0");
  assert.equal(peerRange(floors, "b", "1.3.2"), "^1.3.0");
  assert.equal(peerRange(floors, "c", "4.10.2"), "^4.10.2");
});

test("client ranges: jsrSpecifier() is one caret range within the newest supported major", () => {
  const floors: Floors = { a: { lowest: "5.11.1" }, b: { lowest: "1.3.0" } };
  assert.equal(jsrSpecifier(floors, "a", "6.0.0"), "npm:a@^6.0.0");
  assert.equal(jsrSpecifier(floors, "b", "1.3.2"), "npm:b@^1.3.0");
  assert.equal(jsrSpecifier(floors, "@s/c", "3.1.0"), "npm:@s/c@^3.1.0");
});

test("deno.json imports map every client to its range derived from client_floors.json", () => {
  const expected = Object.fromEntries(
    CLIENTS.map((name) => [name, jsrSpecifier(floors, name, pins[name]!)]),
  );
  assert.deepEqual(imports, expected);
});

test("every client has a development pin and every floor names a client", () => {
  for (const name of CLIENTS) assert.ok(pins[name], `${name} has no pin in package.json`);
  for (const name of Object.keys(floors)) assert.ok(CLIENTS.includes(name), `${name} is no client`);
});
