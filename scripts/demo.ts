/**
 * A short tour of @kv/core on the embedded default store: put/get, TTL,
 * collections and a batch, printing what it does.
 *
 * Run: `deno task demo` (or `npm run demo`).
 *
 * @module
 */

import { MemoryStore } from "../mod.ts";

const store = new MemoryStore();
const show = (label: string, value: unknown) =>
  console.log(`${label.padEnd(44)} ${JSON.stringify(value)}`);

await store.put("greeting", { text: "hello" });
show('put("greeting") then get("greeting") ->', await store.get("greeting"));

await store.put("session", { user: "ada" }, { ttl: 0.5 });
show('put("session", ttl 0.5 s); ttl("session") ->', await store.ttl("session"));
await new Promise((resolve) => setTimeout(resolve, 600));
show('after 0.6 s, get("session") ->', await store.get("session"));

await store.put("ada", { role: "admin" }, { collection: "users" });
show('get("ada", { collection: "users" }) ->', await store.get("ada", { collection: "users" }));
show('get("ada") in the default collection ->', await store.get("ada"));

await store.putMany(["a", "b", "c"], [{ n: 1 }, { n: 2 }, { n: 3 }], { ttl: 60 });
show("putMany(a, b, c); getMany(a, c, zzz) ->", await store.getMany(["a", "c", "zzz"]));
show("deleteMany(a, b, zzz) ->", await store.deleteMany(["a", "b", "zzz"]));
show("collections() ->", await store.collections());
