// A put's TTL counts from the write: a slow first setup (creating a table or
// an index on a remote server) must not eat into a short TTL.

import assert from "node:assert/strict";
import { test } from "node:test";
import { BaseStore } from "../../../core/base_store.ts";
import type { Entry } from "../../../core/envelope.ts";

class SlowSetupStore extends BaseStore {
  readonly entries = new Map<string, Entry>();
  protected override async setupStore(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  protected getEntry(_collection: string, key: string): Promise<Entry | undefined> {
    return Promise.resolve(this.entries.get(key));
  }
  protected putEntry(_collection: string, key: string, entry: Entry): Promise<void> {
    this.entries.set(key, entry);
    return Promise.resolve();
  }
  protected deleteEntry(_collection: string, key: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(key));
  }
}

test("BaseStore.put() starts the TTL after a slow first setup", async () => {
  const store = new SlowSetupStore();
  await store.put("k", { n: 1 }, { ttl: 0.2 });
  assert.deepEqual(await store.get("k"), { n: 1 });
});

test("BaseStore.putMany() starts the TTL after a slow first setup", async () => {
  const store = new SlowSetupStore();
  await store.putMany(["a", "b"], [{ n: 1 }, { n: 2 }], { ttl: 0.2 });
  assert.deepEqual(await store.getMany(["a", "b"]), [{ n: 1 }, { n: 2 }]);
});
