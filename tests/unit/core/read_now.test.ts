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
