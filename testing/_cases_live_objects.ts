// Conformance cases: no live objects (SPEC.md section 4). A value is
// validated and copied synchronously at the call, and only that copy is
// used afterwards: mutating the value before the call settles, a getter or
// a Proxy that answers differently on a second read, or a `toJSON` the
// copy does not carry, never changes what is stored. What is stored is the
// value's own enumerable data as read once at the call.

import assert from "node:assert/strict";
import { SerializationError } from "../core/errors.ts";
import { canPutIfAbsent } from "../core/capabilities.ts";
import type { AsyncKeyValue, Value } from "../core/protocol.ts";
import { type Case, type Loose, macrotask, rejectsWith } from "./_types.ts";

/** A fresh value with nested objects and arrays. */
function original(): Value {
  return { a: 1, s: "text", list: [1, { b: 2 }], nested: { deep: { c: [3] } } };
}

/** Changes `value` everywhere, in ways a late read would store or choke on. */
function vandalize(value: Loose): void {
  value.a = 2;
  delete value.s;
  value.list.push(9);
  value.list[1].b = 99;
  value.list.toJSON = () => "hijacked";
  value.nested.deep.c.push(4);
  value.nested.deep.when = new Date(0);
  value.added = true;
  Object.defineProperty(value, "toJSON", { value: () => ({ hijacked: true }) });
}

/** A value whose getter answers "first" on the first read and "later" after. */
function shifty(): { value: Value; reads: () => number } {
  let reads = 0;
  const nested = {
    get g() {
      return reads++ === 0 ? "first" : "later";
    },
  };
  return { value: { n: 1, nested }, reads: () => reads };
}

/** A Proxy whose traps answer differently once they have been asked. */
function liar(): Value {
  let listed = 0;
  const gets = new Map<PropertyKey, number>();
  return new Proxy({}, {
    ownKeys: () => (listed++ === 0 ? ["a"] : ["a", "b"]),
    getOwnPropertyDescriptor: () => ({
      value: undefined,
      writable: true,
      enumerable: true,
      configurable: true,
    }),
    get: (_target, name) => {
      const seen = gets.get(name) ?? 0;
      gets.set(name, seen + 1);
      return seen === 0 ? "first" : "later";
    },
  }) as Value;
}

/** An object with a non-enumerable toJSON and a non-enumerable property. */
function withHiddenToJson(data: Value): Value {
  Object.defineProperty(data, "toJSON", { value: () => ({ hijacked: true }) });
  Object.defineProperty(data, "hidden", { value: 1 });
  return data;
}

/** An array carrying a toJSON property. */
function arrayWithToJson(items: unknown[]): unknown[] {
  (items as Loose).toJSON = () => "hijacked";
  return items;
}

async function firstUse(store: AsyncKeyValue, collection: string | undefined): Promise<void> {
  // On a fresh collection, the store is already set up but the collection is new.
  if (collection !== undefined) await store.put("warm", { w: 1 });
}

const PLACES: [string, string | undefined][] = [
  ["on a fresh store", undefined],
  ["on a fresh collection", "fresh_collection"],
];

export const liveObjectCases: Case[] = [
  ...PLACES.map(([where, collection]): Case => ({
    name:
      `put() keeps the value as it was at the call when it is mutated before the call settles, ${where}`,
    run: async (store) => {
      await firstUse(store, collection);
      const value = original();
      const pending = store.put("k", value, { collection });
      vandalize(value);
      await pending;
      assert.deepStrictEqual(await store.get("k", { collection }), original());
      await macrotask();
      assert.deepStrictEqual(await store.get("k", { collection }), original());
    },
  })),
  ...PLACES.map(([where, collection]): Case => ({
    name:
      `putMany() keeps the values as they were at the call when they are mutated before the call settles, ${where}`,
    run: async (store) => {
      await firstUse(store, collection);
      const shared = original();
      const values = [shared, original(), shared];
      const pending = store.putMany(["k1", "k2", "k3"], values, { collection, ttl: 100 });
      vandalize(shared);
      vandalize(values[1]);
      values[0] = { replaced: true };
      values.push({ extra: true });
      await pending;
      assert.deepStrictEqual(
        await store.getMany(["k1", "k2", "k3"], { collection }),
        [original(), original(), original()],
      );
    },
  })),
  ...PLACES.map(([where, collection]): Case => ({
    name:
      `putIfAbsent() keeps the value as it was at the call when it is mutated before the call settles, ${where}`,
    needs: "putIfAbsent",
    run: async (store) => {
      assert.ok(canPutIfAbsent(store));
      await firstUse(store, collection);
      const value = original();
      const pending = store.putIfAbsent("k", value, { collection });
      vandalize(value);
      assert.equal(await pending, true);
      assert.deepStrictEqual(await store.get("k", { collection }), original());
    },
  })),
  {
    name: "putMany() and the batch reads use the keys as they were at the call",
    run: async (store) => {
      const keys = ["k1", "k2"];
      const pending = store.putMany(keys, [{ n: 1 }, { n: 2 }], { collection: "fresh_keys" });
      keys[0] = "other";
      keys.push("k3");
      await pending;
      const options = { collection: "fresh_keys" };
      assert.deepStrictEqual(await store.getMany(["k1", "k2", "other", "k3"], options), [
        { n: 1 },
        { n: 2 },
        undefined,
        undefined,
      ]);
      const reading = ["k1", "k2"];
      const read = store.getMany(reading, options);
      reading.reverse();
      assert.deepStrictEqual(await read, [{ n: 1 }, { n: 2 }]);
      const deleting = ["k1"];
      const deleted = store.deleteMany(deleting, options);
      deleting[0] = "k2";
      assert.equal(await deleted, 1);
      assert.deepStrictEqual(await store.getMany(["k1", "k2"], options), [undefined, { n: 2 }]);
    },
  },
  {
    name: "a getter that answers differently on a second read is stored as read once at the call",
    run: async (store) => {
      const one = shifty();
      await store.put("k", one.value);
      assert.deepStrictEqual(await store.get("k"), { n: 1, nested: { g: "first" } });
      const many = shifty();
      await store.putMany(["m"], [many.value], { collection: "fresh_getter" });
      assert.deepStrictEqual(await store.get("m", { collection: "fresh_getter" }), {
        n: 1,
        nested: { g: "first" },
      });
      assert.equal(one.reads(), 1, `the getter was read ${one.reads()} times by put()`);
      assert.equal(many.reads(), 1, `the getter was read ${many.reads()} times by putMany()`);
    },
  },
  {
    name: "a Proxy whose traps change their answers is stored as read once at the call",
    run: async (store) => {
      await store.put("k", { p: liar() });
      assert.deepStrictEqual(await store.get("k"), { p: { a: "first" } });
      await store.putMany(["m1", "m2"], [liar(), { list: [liar()] }], {
        collection: "fresh_proxy",
      });
      assert.deepStrictEqual(await store.getMany(["m1", "m2"], { collection: "fresh_proxy" }), [
        { a: "first" },
        { list: [{ a: "first" }] },
      ]);
    },
  },
  {
    name: "a non-enumerable toJSON is never consulted: the own enumerable data is stored",
    run: async (store) => {
      const top = withHiddenToJson({ a: 1, nested: withHiddenToJson({ b: [1] }) });
      await store.put("k", top);
      assert.deepStrictEqual(await store.get("k"), { a: 1, nested: { b: [1] } });
      await store.putMany(["m"], [withHiddenToJson({ c: 3 })], { ttl: 100 });
      assert.deepStrictEqual((await store.ttl("m"))[0], { c: 3 });
      if (canPutIfAbsent(store)) {
        assert.equal(await store.putIfAbsent("p", withHiddenToJson({ d: 4 })), true);
        assert.deepStrictEqual(await store.get("p"), { d: 4 });
      }
    },
  },
  {
    name: "an array carrying a toJSON property is stored as its items",
    run: async (store) => {
      const value = { list: arrayWithToJson([1, 2]), deep: [{ inner: arrayWithToJson(["x"]) }] };
      await store.put("k", value);
      assert.deepStrictEqual(await store.get("k"), { list: [1, 2], deep: [{ inner: ["x"] }] });
      await store.putMany(["m"], [{ list: arrayWithToJson([3]) }], { collection: "fresh_array" });
      assert.deepStrictEqual(await store.get("m", { collection: "fresh_array" }), { list: [3] });
    },
  },
  {
    name: "an enumerable own toJSON function is refused with SerializationError and writes nothing",
    run: async (store) => {
      await store.put("keep", { v: 1 });
      const own = () => ({ a: 1, toJSON: () => ({ hijacked: true }) });
      const nested = () => ({ a: { toJSON: () => "hijacked" } });
      for (const make of [own, nested]) {
        await rejectsWith(() => store.put("keep", make()), SerializationError, "put()");
        await rejectsWith(() => store.put("bad", make()), SerializationError, "put()");
        await rejectsWith(
          () => store.putMany(["ok", "bad"], [{ ok: 1 }, make()]),
          SerializationError,
          "putMany()",
        );
        if (canPutIfAbsent(store)) {
          await rejectsWith(
            () => store.putIfAbsent("bad", make()),
            SerializationError,
            "putIfAbsent()",
          );
        }
      }
      assert.deepStrictEqual(await store.getMany(["keep", "bad", "ok"]), [
        { v: 1 },
        undefined,
        undefined,
      ]);
    },
  },
  {
    name: "mutating what any read returned, nested arrays included, never changes the store",
    run: async (store) => {
      const stored = { a: 1, list: [1, [2]], nested: { b: { c: 3 } } };
      await store.put("k", stored, { ttl: 100 });
      const reads: Loose[] = [
        await store.get("k"),
        ...(await store.getMany(["k", "k"])),
        (await store.ttl("k"))[0],
        ...(await store.ttlMany(["k"])).map(([value]) => value),
      ];
      for (const value of reads) {
        value.a = 9;
        value.list[1].push(9);
        value.nested.b.c = 9;
        value.added = true;
      }
      assert.deepStrictEqual(await store.get("k"), stored);
      assert.deepStrictEqual((await store.ttl("k"))[0], stored);
      assert.deepStrictEqual(await store.getMany(["k"]), [stored]);
    },
  },
];
