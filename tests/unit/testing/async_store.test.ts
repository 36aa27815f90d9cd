// The wrappers' network-like test store keeps the protocol itself, has no
// synchronous read path, and makes first calls wait for its setup.

import assert from "node:assert/strict";
import { test } from "node:test";
import { syncReadOf } from "../../../core/_read_now.ts";
import { capabilitiesOf } from "../../../core/capabilities.ts";
import { testConformance } from "../../../testing/_conformance.ts";
import { ALL, AsyncStore } from "../wrappers/_helpers.ts";

testConformance("AsyncStore (the wrappers' test store)", {
  factory: ({ clock }) => new AsyncStore({ clock }),
  clock: true,
  capabilities: ALL,
  propertyRuns: 50,
  construct: (extra) => new AsyncStore(extra),
});

test("AsyncStore has every capability and no synchronous read path", () => {
  const store = new AsyncStore();
  assert.deepEqual(capabilitiesOf(store).sort(), [...ALL].sort());
  assert.equal(syncReadOf(store), undefined);
});

test("AsyncStore makes the first put wait for setup, and each collection's first put for its setup", async () => {
  const store = new AsyncStore();
  const first = store.put("k", { n: 1 });
  assert.equal(store.setups.store, 0, "setup has not finished when put() returns");
  await first;
  assert.equal(store.setups.store, 1);
  assert.deepEqual(store.setups.collections, ["default_collection"]);
  await store.put("k", { n: 1 }, { collection: "c" });
  await store.put("k2", { n: 1 }, { collection: "c" });
  assert.deepEqual(store.setups.collections, ["default_collection", "c"]);
  assert.equal(store.setups.store, 1);
});
