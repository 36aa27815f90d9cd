import assert from "node:assert/strict";
import { test } from "node:test";
import {
  InvalidKeyError,
  OperationTimeoutError,
  StoreConnectionError,
} from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { RetryWrapper } from "../../../wrappers/retry.ts";
import { ALL, Faulty, RUNS, testWrapper } from "./_helpers.ts";

testWrapper("RetryWrapper", {
  wrap: (inner) => new RetryWrapper(inner(), { initialDelay: 0.001 }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) => new RetryWrapper(inner(), { initialDelay: 0.001, ...extra }),
});

const lost = () => new StoreConnectionError("Cannot get from Faulty: connection reset");

test("RetryWrapper succeeds after two failures (three attempts)", async () => {
  const faulty = new Faulty(new MemoryStore());
  const store = new RetryWrapper(faulty, { maxRetries: 3, initialDelay: 0.001 });
  await store.put("k", { n: 1 });
  faulty.calls = [];
  faulty.fail(2, lost());
  assert.deepEqual(await store.get("k"), { n: 1 });
  assert.deepEqual(faulty.calls.map((c) => c.method), ["get", "get", "get"]);
});

test("RetryWrapper throws the last error once the retries are used up", async () => {
  const faulty = new Faulty(new MemoryStore()).fail(Infinity, lost());
  const store = new RetryWrapper(faulty, { maxRetries: 2, initialDelay: 0.001 });
  await assert.rejects(store.put("k", { n: 1 }), StoreConnectionError);
  assert.equal(faulty.calls.length, 3);
});

test("RetryWrapper does not retry other errors", async () => {
  const faulty = new Faulty(new MemoryStore()).fail(1, new InvalidKeyError("Cannot get: bad"));
  const store = new RetryWrapper(faulty, { initialDelay: 0.001 });
  await assert.rejects(store.get("k"), InvalidKeyError);
  assert.equal(faulty.calls.length, 1);
  const plain = new Faulty(new MemoryStore()).fail(1, new Error("bug"));
  await assert.rejects(new RetryWrapper(plain, { initialDelay: 0.001 }).get("k"), /bug/);
  assert.equal(plain.calls.length, 1);
});

test("RetryWrapper retries a timeout by default, and what a predicate chooses", async () => {
  const timing = new Faulty(new MemoryStore()).fail(
    1,
    new OperationTimeoutError("Cannot get: slow"),
  );
  assert.equal(await new RetryWrapper(timing, { initialDelay: 0.001 }).get("k"), undefined);
  assert.equal(timing.calls.length, 2);
  const custom = new Faulty(new MemoryStore()).fail(2, new Error("EAGAIN"));
  const store = new RetryWrapper(custom, {
    initialDelay: 0.001,
    retryOn: (error) => error instanceof Error && error.message === "EAGAIN",
  });
  assert.equal(await store.keys().then((keys) => keys.length), 0);
  assert.equal(custom.calls.length, 3);
});

test("RetryWrapper passes through when nothing fails", async () => {
  const faulty = new Faulty(new MemoryStore());
  const store = new RetryWrapper(faulty);
  await store.put("k", { n: 1 });
  assert.deepEqual(await store.get("k"), { n: 1 });
  assert.equal(faulty.calls.length, 2);
});

test("RetryWrapper backs off exponentially up to maxDelay", async () => {
  const store = new RetryWrapper(new MemoryStore(), {
    initialDelay: 0.1,
    exponentialBase: 3,
    maxDelay: 1,
  });
  assert.deepEqual([0, 1, 2, 3].map((n) => store.delayCap(n)), [0.1, 0.30000000000000004, 0.9, 1]);
  const faulty = new Faulty(new MemoryStore()).fail(2, lost());
  const steady = new RetryWrapper(faulty, { initialDelay: 0.04, jitter: false });
  const started = Date.now();
  await steady.get("k");
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 115 && elapsed < 400, `waited ${elapsed} ms, expected 40 + 80`);
});

test("RetryWrapper with full jitter waits at most the cap", async () => {
  const faulty = new Faulty(new MemoryStore()).fail(3, lost());
  const store = new RetryWrapper(faulty, { initialDelay: 0.05, exponentialBase: 1 });
  const started = Date.now();
  await store.get("k");
  assert.ok(Date.now() - started < 150 + 100);
});

test("RetryWrapper refuses bad options", () => {
  assert.throws(() => new RetryWrapper(new MemoryStore(), { maxRetries: -1 }), RangeError);
  assert.throws(() => new RetryWrapper(new MemoryStore(), { initialDelay: NaN }), RangeError);
});

test("RetryWrapper refuses an unknown option, naming it and the valid ones", () => {
  // deno-lint-ignore no-explicit-any
  const make = (options: any) => new RetryWrapper(new MemoryStore(), options);
  assert.throws(() => make({ retries: 5 }), (error: unknown) => {
    assert.ok(error instanceof TypeError, String(error));
    assert.match(error.message, /RetryWrapper.*"retries"/);
    for (const name of ["maxRetries", "initialDelay", "maxDelay", "exponentialBase", "jitter"]) {
      assert.ok(error.message.includes(name), name);
    }
    assert.ok(error.message.includes("retryOn"));
    return true;
  });
  assert.throws(() => make("fast"), TypeError);
  make({ maxRetries: 1, initialDelay: 0, maxDelay: 1, exponentialBase: 2, jitter: false });
  make({ retryOn: () => true });
});
