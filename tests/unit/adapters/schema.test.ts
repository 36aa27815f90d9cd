import { type } from "arktype";
import assert from "node:assert/strict";
import { test } from "node:test";
import * as v from "valibot";
import { z } from "zod";
import { SchemaAdapter } from "../../../adapters/schema.ts";
import { DeserializationError, SerializationError } from "../../../core/errors.ts";
import { MemoryStore } from "../../../stores/memory.ts";

const libraries = [
  {
    name: "zod",
    user: z.object({ name: z.string(), age: z.number().int().min(0) }),
    list: z.array(z.number()),
    text: z.string(),
  },
  {
    name: "valibot",
    user: v.object({ name: v.string(), age: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
    list: v.array(v.number()),
    text: v.string(),
  },
  {
    name: "arktype",
    user: type({ name: "string", age: "number.integer >= 0" }),
    list: type("number[]"),
    text: type("string"),
  },
] as const;

for (const lib of libraries) {
  test(`SchemaAdapter (${lib.name}) round-trips a typed object`, async () => {
    const store = new MemoryStore();
    const users = new SchemaAdapter(store, { schema: lib.user });
    await users.put("ada", { name: "Ada", age: 36 }, { ttl: 60 });
    const ada = await users.get("ada");
    assert.deepEqual(ada, { name: "Ada", age: 36 });
    assert.deepEqual(await store.get("ada"), { name: "Ada", age: 36 });
    const [value, ttl] = await users.ttl("ada");
    assert.deepEqual(value, { name: "Ada", age: 36 });
    assert.ok(ttl! > 59);
    assert.equal(await users.get("missing"), undefined);
  });

  test(`SchemaAdapter (${lib.name}) stores non-object values as {"items": ...}`, async () => {
    const store = new MemoryStore();
    const lists = new SchemaAdapter(store, { schema: lib.list });
    await lists.put("l", [1, 2, 3]);
    assert.deepEqual(await store.get("l"), { items: [1, 2, 3] });
    assert.deepEqual(await lists.get("l"), [1, 2, 3]);
    await lists.put("empty", []);
    assert.deepEqual(await lists.get("empty"), []);
    const texts = new SchemaAdapter(store, { schema: lib.text });
    await texts.put("t", "hello");
    assert.deepEqual(await store.get("t"), { items: "hello" });
    assert.equal(await texts.get("t"), "hello");
  });

  test(`SchemaAdapter (${lib.name}) refuses a value the schema rejects, writing nothing`, async () => {
    const store = new MemoryStore();
    const users = new SchemaAdapter(store, { schema: lib.user });
    // deno-lint-ignore no-explicit-any
    const bad = { name: "Ada", age: -1 } as any;
    await assert.rejects(users.put("ada", bad), SerializationError);
    await assert.rejects(
      users.putMany(["a", "b"], [{ name: "A", age: 1 }, bad]),
      (error: unknown) => {
        assert.ok(error instanceof SerializationError);
        assert.ok((error.extraInfo.issues as string[]).length > 0);
        return true;
      },
    );
    assert.deepEqual(await store.keys(), []);
  });

  test(`SchemaAdapter (${lib.name}) reads invalid stored data as a miss, or raises when asked`, async () => {
    const store = new MemoryStore();
    await store.put("bad", { name: 42 });
    await store.put("good", { name: "Ada", age: 1 });
    const quiet = new SchemaAdapter(store, { schema: lib.user });
    assert.equal(await quiet.get("bad"), undefined);
    assert.deepEqual(await quiet.getMany(["good", "bad"]), [{ name: "Ada", age: 1 }, undefined]);
    assert.deepEqual(await quiet.ttl("bad"), [undefined, undefined]);
    assert.deepEqual((await quiet.ttlMany(["bad"]))[0], [undefined, undefined]);
    const loud = new SchemaAdapter(store, { schema: lib.user, raiseOnValidationError: true });
    await assert.rejects(loud.get("bad"), DeserializationError);
    await assert.rejects(loud.getMany(["good", "bad"]), DeserializationError);
    await assert.rejects(loud.ttlMany(["bad"]), DeserializationError);
  });
}

test("SchemaAdapter reads a schema's output: defaults and transforms apply on read", async () => {
  const schema = z.object({
    name: z.string(),
    createdAt: z.string().transform((text) => new Date(text)),
    role: z.string().default("user"),
  });
  const store = new MemoryStore();
  const adapter = new SchemaAdapter(store, { schema });
  await adapter.put("k", { name: "Ada", createdAt: "2026-01-01T00:00:00.000Z" });
  const value = await adapter.get("k");
  assert.ok(value?.createdAt instanceof Date);
  assert.equal(value.role, "user");
  assert.deepEqual(await store.get("k"), { name: "Ada", createdAt: "2026-01-01T00:00:00.000Z" });
});

test("SchemaAdapter keeps an object whose only property is items unambiguous", async () => {
  const store = new MemoryStore();
  const schema = z.object({ items: z.array(z.string()) });
  const adapter = new SchemaAdapter(store, { schema });
  await adapter.put("k", { items: ["a"] });
  assert.deepEqual(await store.get("k"), { items: { items: ["a"] } });
  assert.deepEqual(await adapter.get("k"), { items: ["a"] });
  // As py-key-value's Pydantic adapter writes such a model: not wrapped.
  await store.put("py", { items: ["b"] });
  assert.deepEqual(await adapter.get("py"), { items: ["b"] });
});

test("SchemaAdapter reads a wrapped payload missing items as invalid", async () => {
  const store = new MemoryStore();
  await store.put("k", { other: [1] });
  const lists = new SchemaAdapter(store, { schema: z.array(z.number()) });
  assert.equal(await lists.get("k"), undefined);
  const loud = new SchemaAdapter(store, {
    schema: z.array(z.number()),
    raiseOnValidationError: true,
  });
  await assert.rejects(loud.get("k"), DeserializationError);
});

test("SchemaAdapter uses its collection when a call names none", async () => {
  const store = new MemoryStore();
  const adapter = new SchemaAdapter(store, {
    schema: z.object({ n: z.number() }),
    collection: "c",
  });
  await adapter.putMany(["a", "b"], [{ n: 1 }, { n: 2 }]);
  assert.deepEqual(await store.keys({ collection: "c" }), ["a", "b"]);
  await adapter.put("a", { n: 3 }, { collection: "other" });
  assert.deepEqual(await store.get("a", { collection: "other" }), { n: 3 });
  assert.equal(await adapter.delete("a"), true);
  assert.equal(await adapter.deleteMany(["a", "b"]), 1);
});

test("SchemaAdapter refuses values JSON cannot carry, and a non-schema", async () => {
  const adapter = new SchemaAdapter(new MemoryStore(), { schema: z.object({ d: z.date() }) });
  await assert.rejects(adapter.put("k", { d: new Date() }), SerializationError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new SchemaAdapter(new MemoryStore(), { schema: {} as any }), TypeError);
  await assert.rejects(adapter.putMany(["a"], []), RangeError);
});

test("SchemaAdapter refuses a collection that is not well-formed UTF-16", () => {
  assert.throws(
    () => new SchemaAdapter(new MemoryStore(), { schema: z.object({}), collection: "bad\uD800" }),
    { name: "InvalidKeyError" },
  );
});

test("SchemaAdapter.put() stores what the schema checked at the call, though the caller changes it", async () => {
  const store = new MemoryStore();
  const users = new SchemaAdapter(store, { schema: z.object({ name: z.string() }) });
  const ada = { name: "Ada" };
  const done = users.put("ada", ada);
  (ada as Record<string, unknown>).name = 42; // the schema would refuse this
  await done;
  assert.deepEqual(await store.get("ada"), { name: "Ada" });
  const tags = new SchemaAdapter(store, { schema: z.array(z.string()) });
  const list = ["a"];
  const put = tags.put("tags", list);
  list.push("b");
  await put;
  assert.deepEqual(await store.get("tags"), { items: ["a"] });
});

test("SchemaAdapter still reports the schema's issues for a value JSON cannot carry", async () => {
  const users = new SchemaAdapter(new MemoryStore(), { schema: z.object({ name: z.string() }) });
  await assert.rejects(users.put("k", { name: 1, when: new Date() } as never), {
    name: "SerializationError",
    message: /does not match the schema/,
  });
  const dates = new SchemaAdapter(new MemoryStore(), { schema: z.object({ when: z.date() }) });
  await assert.rejects(dates.put("k", { when: new Date() }), {
    name: "SerializationError",
    message: /value\.when is a Date/,
  });
});
