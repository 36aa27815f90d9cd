import assert from "node:assert/strict";
import { test } from "node:test";
import { ManualClock } from "../../../testing/_clock.ts";

test("ManualClock runs with real time until it is frozen", () => {
  const clock = new ManualClock();
  assert.equal(clock.frozen, false);
  assert.ok(Math.abs(clock.now() - Date.now()) < 50);
  const at = clock.freeze();
  assert.equal(clock.frozen, true);
  assert.equal(clock.now(), at);
});

test("ManualClock.advance() moves a frozen clock exactly, and a running one forward of real time", () => {
  const clock = new ManualClock();
  const at = clock.freeze();
  assert.equal(clock.advance(999), at + 999);
  assert.equal(clock.advance(1), at + 1000);
  assert.equal(clock.now(), at + 1000);
  clock.resume();
  assert.equal(clock.frozen, false);
  assert.ok(clock.now() >= at + 1000);
  const before = clock.now();
  clock.advance(60_000);
  assert.ok(clock.now() - before >= 60_000);
  assert.ok(clock.now() - Date.now() >= 60_000, "the running clock stays ahead of real time");
});

test("ManualClock.set() sets the time, frozen or running", () => {
  const clock = new ManualClock();
  clock.set(1_000_000);
  assert.ok(clock.now() >= 1_000_000 && clock.now() < 1_000_050);
  clock.freeze();
  clock.set(5);
  assert.equal(clock.now(), 5);
  clock.resume();
  assert.ok(clock.now() >= 5 && clock.now() < 55);
});

test("ManualClock.advance() and set() refuse a negative or non-finite time with RangeError", () => {
  const clock = new ManualClock();
  assert.throws(() => clock.advance(-1), RangeError);
  assert.throws(() => clock.advance(NaN), RangeError);
  assert.throws(() => clock.advance(Infinity), RangeError);
  assert.throws(() => clock.set(NaN), RangeError);
  clock.freeze();
  assert.throws(() => clock.advance(-1), RangeError);
});
