/**
 * A short tour of @kv/core on a persistent FileTreeStore in `./.demo-data/`:
 * put/get, TTL, collections and a batch, printing what it does. Run it twice:
 * the second run finds what the first one kept.
 *
 * Run: `deno task demo` (or `npm run demo`). Delete `.demo-data/` to start over.
 *
 * @module
 */

import { FileTreeStore } from "../stores/file_tree/mod.ts";

const store = new FileTreeStore({ directory: ".demo-data" });
const format = (value: unknown) =>
  (JSON.stringify(value, (_, item) => item === undefined ? "\0" : item) ?? "undefined")
    .replaceAll('"\\u0000"', "undefined");
const show = (label: string, value: unknown) => console.log(`${label.padEnd(48)} ${format(value)}`);

// What the previous run left behind.
const last = await store.get("last-run", { collection: "demo" });
if (last === undefined) {
  console.log("First run: nothing stored yet in .demo-data/\n");
} else {
  console.log(`Found data from run #${last.run} (${last.at}):`);
  show('  get("greeting") ->', await store.get("greeting"));
  show('  ttl("token") (an hour, set by run #1) ->', await store.ttl("token"));
  show('  keys({ collection: "users" }) ->', (await store.keys({ collection: "users" })).sort());
  console.log();
}
const run = typeof last?.run === "number" ? last.run + 1 : 1;
await store.put("last-run", { run, at: new Date().toISOString() }, { collection: "demo" });

await store.put("greeting", { text: "hello", run });
show('put("greeting") then get("greeting") ->', await store.get("greeting"));

if (last === undefined) await store.put("token", { secret: "t0k3n" }, { ttl: 3600 });
await store.put("session", { user: "ada" }, { ttl: 0.5 });
const [, ttl] = await store.ttl("session");
show('put("session", ttl 0.5 s); ttl("session") ->', Math.round(ttl! * 10) / 10);
await new Promise((resolve) => setTimeout(resolve, 600));
show('after 0.6 s, get("session") ->', await store.get("session"));
show("cull() removes expired files; removed ->", await store.cull());

await store.put(`user-${run}`, { role: run === 1 ? "admin" : "member" }, { collection: "users" });
show(
  `get("user-${run}", { collection: "users" }) ->`,
  await store.get(`user-${run}`, {
    collection: "users",
  }),
);
show(`get("user-${run}") in the default collection ->`, await store.get(`user-${run}`));

await store.putMany(["a", "b", "c"], [{ n: 1 }, { n: 2 }, { n: 3 }], { ttl: 60 });
show("putMany(a, b, c); getMany(a, c, zzz) ->", await store.getMany(["a", "c", "zzz"]));
show("deleteMany(a, b, zzz) ->", await store.deleteMany(["a", "b", "zzz"]));
show("collections() ->", (await store.collections()).sort());

console.log(`\nThe files are in ${store.location}: one directory per collection, one JSON`);
console.log("file per key. Run the demo again to see them kept.");
