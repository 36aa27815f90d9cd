// The synchronous read path of MemoryStore and the wrappers above it
// (core/_read_now.ts): it must answer exactly as the async path does, and
// never bypass a subclass's own `get` or `getEntry`.

import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidKeyError } from "../../../core/errors.ts";
import type { Entry } from "../../../core/envelope.ts";
import type { KeyOptions, Value } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { PrefixKeysWrapper } from "../../../wrappers/prefix_keys.ts";
import { RetryWrapper } from "../../../wrappers/retry.ts";
import { StatisticsWrapper } from "../../../wrappers/statistics.ts";
import { TimeoutWrapper } from "../../../wrappers/timeout.ts";
import { TTLClampWrapper } from "../../../wrappers/ttl_clamp.ts";
import type { AsyncKeyValue } from "../../../core/protocol.ts";

function stack(inner: AsyncKeyValue): StatisticsWrapper & { top: AsyncKeyValue } {
  const stats = new StatisticsWrapper(inner);
  const top = new RetryWrapper(
    new TimeoutWrapper(
      new PrefixKeysWrapper(new TTLClampWrapper(stats, { maxTtl: 60 }), { prefix: "app" }),
      { timeout: 1 },
    ),
    { maxRetries: 1 },
  );
  return Object.assign(stats, { top });
}

test("MemoryStore.get() reads through a subclass's getEntry()", async () => {
  let reads = 0;
  class Counting extends MemoryStore {
    protected override getEntry(collection: string, key: string): Promise<Entry | undefined> {
      reads++;
      return super.getEntry(collection, key);
    }
  }
  const store = new Counting();
  await store.put("k", { n: 1 });
  assert.deepEqual(await store.get("k"), { n: 1 });
  const { top } = stack(store);
  await top.put("k", { n: 2 });
  assert.deepEqual(await top.get("k"), { n: 2 });
  assert.equal(reads, 2);
});

test("wrappers over a MemoryStore subclass go through its own get()", async () => {
  const seen: string[] = [];
  class Spy extends MemoryStore {
    override get(key: string, options?: KeyOptions): Promise<Value | undefined> {
      seen.push(key);
      return super.get(key, options);
    }
  }
  const stats = stack(new Spy());
  await stats.top.put("k", { n: 1 });
  assert.deepEqual(await stats.top.get("k"), { n: 1 });
  assert.deepEqual(seen, ["app__k"]);
  const [counted] = Object.values(stats.statistics.collections);
  assert.equal(counted!.get.hits, 1);
});

test("a wrapper above a wrapper subclass goes through the subclass's get()", async () => {
  let calls = 0;
  class MyPrefix extends PrefixKeysWrapper {
    override get(key: string, options?: KeyOptions): Promise<Value | undefined> {
      calls++;
      return super.get(key, options);
    }
  }
  const store = new StatisticsWrapper(new MyPrefix(new MemoryStore(), { prefix: "p" }));
  await store.put("k", { n: 1 });
  assert.deepEqual(await store.get("k"), { n: 1 });
  assert.equal(calls, 1);
});

test("a stack over MemoryStore counts, maps and refuses on the synchronous path as on the async one", async () => {
  const memory = new MemoryStore();
  const stats = stack(memory);
  const { top } = stats;
  await top.put("k", { n: 1 }, { collection: "c" });
  assert.deepEqual(await memory.get("app__k", { collection: "c" }), { n: 1 });
  assert.deepEqual(await top.get("k", { collection: "c" }), { n: 1 });
  assert.equal(await top.get("missing", { collection: "c" }), undefined);
  // A refused key rejects (never throws synchronously) and is not counted.
  const refused = top.get("", { collection: "c" });
  assert.ok(refused instanceof Promise);
  await assert.rejects(refused, InvalidKeyError);
  await assert.rejects(top.get("k", { collection: 7 as unknown as string }), TypeError);
  assert.deepEqual(stats.statistics.collections.c!.get, { count: 2, hits: 1, misses: 1 });
  // Reads hand out copies, as the async path does.
  const first = (await top.get("k", { collection: "c" })) as { n: number };
  first.n = 99;
  assert.deepEqual(await top.get("k", { collection: "c" }), { n: 1 });
});

test("a stack over MemoryStore does not return an expired value", async () => {
  const { top } = stack(new MemoryStore());
  await top.put("k", { n: 1 }, { ttl: 0.02 });
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(await top.get("k"), undefined);
});

// ------------------------------------------------------------------------
// The synchronous read follows what a store's `get` is at call time: a get
// replaced on the instance after construction (a spy, a stub, fault
// injection) or a Proxy around the store is always called.

import { OperationTimeoutError, StoreConnectionError } from "../../../core/errors.ts";

type Get = (key: string, options?: KeyOptions) => Promise<Value | undefined>;

/** A clock a test moves by hand. */
function manualClock(start = 1_700_000_000_000): { now(): number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** Replaces `store.get` on the instance, the way jest.spyOn or sinon.stub do. */
function spyOn(store: AsyncKeyValue, replacement: (original: Get) => Get): () => void {
  const original = store.get;
  store.get = replacement(original.bind(store));
  return () => {
    store.get = original;
  };
}

test("RetryWrapper retries a get replaced on the MemoryStore after construction", async () => {
  const memory = new MemoryStore();
  const store = new RetryWrapper(memory, { initialDelay: 0, maxRetries: 3 });
  await store.put("k", { n: 1 });
  let calls = 0;
  spyOn(memory, (original) => (key, options) => {
    calls++;
    if (calls <= 2) return Promise.reject(new StoreConnectionError("Cannot get: reset"));
    return original(key, options);
  });
  assert.deepEqual(await store.get("k"), { n: 1 });
  assert.equal(calls, 3);
});

test("TimeoutWrapper times out a get replaced on the MemoryStore after construction", async () => {
  const memory = new MemoryStore();
  const store = new TimeoutWrapper(memory, { timeout: 0.02 });
  await store.put("k", { n: 1 });
  const restore = spyOn(memory, () => () => new Promise(() => {}));
  await assert.rejects(store.get("k"), OperationTimeoutError);
  restore();
  assert.deepEqual(await store.get("k"), { n: 1 });
});

test("StatisticsWrapper counts what a get replaced after construction answers", async () => {
  const memory = new MemoryStore();
  const store = new StatisticsWrapper(memory);
  await store.put("k", { n: 1 });
  const seen: string[] = [];
  spyOn(memory, () => (key) => {
    seen.push(key);
    return Promise.resolve(key === "stub" ? { stubbed: true } : undefined);
  });
  assert.deepEqual(await store.get("stub"), { stubbed: true });
  assert.equal(await store.get("k"), undefined);
  assert.deepEqual(seen, ["stub", "k"]);
  assert.deepEqual(store.statistics.collections.default_collection!.get, {
    count: 2,
    hits: 1,
    misses: 1,
  });
});

test("a stack calls a get replaced on a layer in its middle after construction", async () => {
  const memory = new MemoryStore();
  const stats = stack(memory);
  await stats.top.put("k", { n: 1 });
  const prefix = new PrefixKeysWrapper(memory, { prefix: "app" });
  const top = new StatisticsWrapper(new TimeoutWrapper(prefix, { timeout: 1 }));
  const seen: string[] = [];
  spyOn(prefix, (original) => (key, options) => {
    seen.push(key);
    return original(key, options);
  });
  assert.deepEqual(await top.get("k"), { n: 1 });
  assert.deepEqual(seen, ["k"]);
  // And on the store under a full stack.
  spyOn(memory, (original) => (key, options) => {
    seen.push(key);
    return original(key, options);
  });
  assert.deepEqual(await stats.top.get("k"), { n: 1 });
  assert.deepEqual(seen, ["k", "app__k"]);
});

test("a stack over a Proxy of a MemoryStore calls the get the Proxy hands out", async () => {
  const memory = new MemoryStore();
  await memory.put("app__k", { n: 1 });
  const seen: string[] = [];
  const proxy = new Proxy(memory, {
    get(target, name) {
      const member = Reflect.get(target, name, target);
      if (name === "get") {
        return (key: string, options?: KeyOptions) => {
          seen.push(key);
          return member.call(target, key, options);
        };
      }
      return typeof member === "function" ? member.bind(target) : member;
    },
  });
  const stats = stack(proxy);
  assert.deepEqual(await stats.top.get("k"), { n: 1 });
  assert.deepEqual(seen, ["app__k"]);
  assert.equal(stats.statistics.collections.default_collection!.get.hits, 1);
});

test("MemoryStore.get() calls a getEntry replaced on the instance after construction", async () => {
  const memory = new MemoryStore();
  await memory.put("k", { n: 1 });
  const top = new StatisticsWrapper(memory);
  // deno-lint-ignore no-explicit-any
  const loose = memory as any;
  const original = loose.getEntry;
  let reads = 0;
  loose.getEntry = function (this: MemoryStore, collection: string, key: string) {
    reads++;
    return original.call(this, collection, key);
  };
  assert.deepEqual(await memory.get("k"), { n: 1 });
  assert.deepEqual(await top.get("k"), { n: 1 });
  assert.equal(reads, 2);
});

test("a stack over MemoryStore answers in one microtask (the synchronous path is taken)", async () => {
  const memory = new MemoryStore();
  const stats = stack(memory);
  await stats.top.put("k", { n: 1 });
  const layers: AsyncKeyValue[] = [memory, stats, stats.top];
  for (const store of layers) {
    let settled = false;
    store.get("k").then(() => settled = true);
    await Promise.resolve();
    assert.ok(settled, "answered at once");
  }
  // A replaced get takes the async path, and a restored one the synchronous path again.
  const restore = spyOn(memory, (original) => (key, options) => original(key, options));
  let settled = false;
  stats.top.get("k").then(() => settled = true);
  await Promise.resolve();
  assert.equal(settled, false);
  restore();
  stats.top.get("k").then(() => settled = true);
  await Promise.resolve();
  assert.ok(settled);
});

test("a stack answers alike on the synchronous and the async path", async () => {
  async function run(asyncPath: boolean) {
    const clock = manualClock();
    const memory = new MemoryStore({ clock, maxEntriesPerCollection: 3 });
    // An instance-level get that does what the class's does: the async path all the way.
    if (asyncPath) spyOn(memory, (original) => (key, options) => original(key, options));
    const stats = stack(memory);
    const { top } = stats;
    const log: unknown[] = [];
    const note = async (call: () => Promise<unknown>) => {
      try {
        log.push(await call());
      } catch (error) {
        log.push(`${(error as Error).name}: ${(error as Error).message}`);
      }
    };
    await top.put("k", { n: 1, list: [1, { deep: true }] }, { collection: "c", ttl: 1 });
    await top.put("other", { n: 2 });
    await note(() => top.get("k", { collection: "c" }));
    await note(() => top.get("other"));
    await note(() => top.get("missing"));
    await note(() => top.get(""));
    await note(() => top.get(5 as unknown as string));
    await note(() => top.get("k", { collection: 7 as unknown as string }));
    await note(() => top.get("k", { collection: "\ud800" }));
    clock.advance(999);
    await note(() => top.get("k", { collection: "c" }));
    clock.advance(1); // exactly at the deadline: expired
    await note(() => top.get("k", { collection: "c" }));
    for (let i = 0; i < 4; i++) await top.put(`e${i}`, { i });
    await note(() => top.get("other")); // evicted by the LRU bound
    log.push(stats.statistics, memory.size);
    return log;
  }
  assert.deepEqual(await run(false), await run(true));
});

test("a get replaced under forwarding wrappers is called (each layer of the stack is checked)", async () => {
  const memory = new MemoryStore();
  const stats = new StatisticsWrapper(memory);
  const clamp = new TTLClampWrapper(stats, { maxTtl: 60 });
  const timeout = new TimeoutWrapper(clamp, { timeout: 1 });
  const top = new RetryWrapper(new TimeoutWrapper(timeout, { timeout: 1 }), { maxRetries: 0 });
  await top.put("k", { n: 1 });
  const seen: string[] = [];
  for (const layer of [memory, stats, clamp, timeout] as AsyncKeyValue[]) {
    const restore = spyOn(layer, (original) => (key, options) => {
      seen.push(layer.constructor.name);
      return original(key, options);
    });
    assert.deepEqual(await top.get("k"), { n: 1 });
    restore();
    assert.deepEqual(await top.get("k"), { n: 1 });
  }
  assert.deepEqual(seen, ["MemoryStore", "StatisticsWrapper", "TTLClampWrapper", "TimeoutWrapper"]);
  assert.equal(stats.statistics.collections.default_collection!.get.count, 8);
});
