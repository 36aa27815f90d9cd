import assert from "node:assert/strict";
import { test } from "node:test";
import { OperationTimeoutError } from "../../../core/errors.ts";
import type { KeyOptions, Value } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { TimeoutWrapper } from "../../../wrappers/timeout.ts";
import { ALL, Faulty, RUNS, sleep, testWrapper } from "./_helpers.ts";

testWrapper("TimeoutWrapper", {
  wrap: (inner) => new TimeoutWrapper(inner(), { timeout: 5 }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) => new TimeoutWrapper(inner(), { timeout: 5, ...extra }),
});

test("TimeoutWrapper times out a slow store on every operation and capability", async () => {
  const slow = new Faulty(new MemoryStore());
  const store = new TimeoutWrapper(slow, { timeout: 0.02 });
  slow.delayMs = 200;
  const calls: [string, () => Promise<unknown>][] = [
    ["get", () => store.get("k")],
    ["getMany", () => store.getMany(["k"])],
    ["ttl", () => store.ttl("k")],
    ["ttlMany", () => store.ttlMany(["k"])],
    ["put", () => store.put("k", { n: 1 })],
    ["putMany", () => store.putMany(["k"], [{ n: 1 }])],
    ["delete", () => store.delete("k")],
    ["deleteMany", () => store.deleteMany(["k"])],
    ["keys", () => store.keys()],
    ["collections", () => store.collections()],
    ["destroyCollection", () => store.destroyCollection("c")],
    ["destroy", () => store.destroy()],
    ["cull", () => store.cull()],
    ["putIfAbsent", () => store.putIfAbsent("k", { n: 1 })],
  ];
  await Promise.all(calls.map(async ([method, call]) => {
    const started = Date.now();
    await assert.rejects(call(), (error: unknown) => {
      assert.ok(error instanceof OperationTimeoutError, `${method}: ${error}`);
      assert.deepEqual(error.extraInfo, { operation: method, timeout: 0.02 });
      return true;
    });
    assert.ok(Date.now() - started < 150, `${method} waited for the slow store`);
  }));
  await sleep(250); // let the slow calls finish before the test ends
});

test("TimeoutWrapper passes an AbortSignal that aborts with the timeout error", async () => {
  let seen: AbortSignal | undefined;
  class SignalStore extends MemoryStore {
    override async get(key: string, options?: KeyOptions): Promise<Value | undefined> {
      seen = (options as { signal?: AbortSignal }).signal;
      await new Promise((resolve) => seen!.addEventListener("abort", resolve));
      return await super.get(key, options);
    }
  }
  const store = new TimeoutWrapper(new SignalStore(), { timeout: 0.02 });
  await assert.rejects(store.get("k", { collection: "c" }), OperationTimeoutError);
  assert.ok(seen?.aborted);
  assert.ok(seen.reason instanceof OperationTimeoutError);
});

test("TimeoutWrapper keeps the caller's options and stops its timer soon after the last call", async () => {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const active = new Set<unknown>();
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  g.setTimeout = (fn: () => void, ms: number) => {
    const id = realSet(() => {
      active.delete(id);
      fn();
    }, ms);
    active.add(id);
    return id;
  };
  g.clearTimeout = (id: unknown) => {
    active.delete(id);
    realClear(id as number);
  };
  try {
    const inner = new MemoryStore();
    const store = new TimeoutWrapper(inner, { timeout: 60 });
    await store.put("k", { n: 1 }, { collection: "c", ttl: 100 });
    assert.deepEqual(await store.get("k", { collection: "c" }), { n: 1 });
    await assert.rejects(store.put("", { n: 1 }));
    assert.equal(active.size, 1, "one timer while calls are recent");
    // The timer stops at its first tick with no call in flight: at most 50 ms.
    await new Promise((resolve) => realSet(resolve, 120));
    assert.equal(active.size, 0);
    const [, ttl] = await inner.ttl("k", { collection: "c" });
    assert.ok(ttl! > 99);
  } finally {
    g.setTimeout = realSet;
    g.clearTimeout = realClear;
  }
});

test("TimeoutWrapper does not raise an unhandled rejection when a timed-out call fails later", async () => {
  const slow = new Faulty(new MemoryStore()).fail(1, new Error("late failure"));
  slow.delayMs = 50;
  const store = new TimeoutWrapper(slow, { timeout: 0.01 });
  await assert.rejects(store.get("k"), OperationTimeoutError);
  await sleep(100);
});

test("TimeoutWrapper refuses a timeout that is not a positive number", () => {
  assert.throws(() => new TimeoutWrapper(new MemoryStore(), { timeout: 0 }), RangeError);
  assert.throws(() => new TimeoutWrapper(new MemoryStore(), { timeout: Infinity }), RangeError);
  assert.equal(new TimeoutWrapper(new MemoryStore()).timeout, 5);
});

test("TimeoutWrapper refuses an unknown option, naming it and the valid ones", () => {
  // deno-lint-ignore no-explicit-any
  const make = (options: any) => new TimeoutWrapper(new MemoryStore(), options);
  assert.throws(() => make({ timeoutMs: 500 }), {
    name: "TypeError",
    message: /TimeoutWrapper.*"timeoutMs".*timeout/,
  });
  assert.throws(() => make(0.5), TypeError);
  assert.equal(make({ timeout: 0.5 }).timeout, 0.5);
});

test("TimeoutWrapper times out on time while the event loop is busy in 100 ms chunks", async () => {
  class Stuck extends MemoryStore {
    override get(): Promise<Value | undefined> {
      return new Promise(() => {});
    }
  }
  const store = new TimeoutWrapper(new Stuck(), { timeout: 0.5 });
  const started = Date.now();
  let elapsed: number | undefined;
  const rejected = assert.rejects(store.get("k"), OperationTimeoutError).then(() => {
    elapsed = Date.now() - started;
  });
  while (elapsed === undefined && Date.now() - started < 3_000) {
    const end = Date.now() + 100;
    while (Date.now() < end) { /* a synchronous 100 ms chunk */ }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await rejected;
  // 0.5 s, plus at most one chunk the timer waited for, plus slack (it took
  // about 1.75 s when the Watchdog counted ticks instead of reading the clock).
  assert.ok(elapsed! >= 500 && elapsed! < 800, `timed out after ${elapsed} ms`);
});
