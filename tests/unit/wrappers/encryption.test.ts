import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CorruptedDataError,
  DecryptionError,
  EncryptionVersionError,
} from "../../../core/errors.ts";
import type { Value } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { EncryptionWrapper } from "../../../wrappers/encryption.ts";
import { ALL, RUNS, testWrapper } from "./_helpers.ts";

const KEY = new Uint8Array(32).map((_, i) => i);
const OTHER = new Uint8Array(32).fill(7);

testWrapper("EncryptionWrapper", {
  wrap: (inner) => new EncryptionWrapper(inner(), { keys: [KEY] }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) => new EncryptionWrapper(inner(), { keys: [KEY], ...extra }),
});

const SECRET = { card: "4111 1111 1111 1111", nested: { pin: 1234 } };

test("EncryptionWrapper leaves only ciphertext in the inner store", async () => {
  const inner = new MemoryStore();
  const store = new EncryptionWrapper(inner, { keys: [KEY] });
  await store.put("k", SECRET);
  const stored = (await inner.get("k"))!;
  assert.deepEqual(Object.keys(stored).sort(), [
    "__encrypted_data__",
    "__encryption_algorithm__",
    "__encryption_version__",
  ]);
  assert.equal(stored.__encryption_version__, 2);
  assert.equal(stored.__encryption_algorithm__, "AES-256-GCM");
  assert.ok(!JSON.stringify(stored).includes("4111"));
  assert.deepEqual(await store.get("k"), SECRET);
  await store.put("k2", SECRET);
  assert.notEqual(
    (await inner.get("k2"))!.__encrypted_data__,
    stored.__encrypted_data__,
    "fresh IV",
  );
});

test("EncryptionWrapper round-trips many values through every read", async () => {
  const store = new EncryptionWrapper(new MemoryStore(), { keys: [KEY] });
  const values = [SECRET, {}, { s: "é🌍".repeat(100) }];
  await store.putMany(["a", "b", "c"], values, { ttl: 60 });
  assert.deepEqual(await store.getMany(["a", "b", "c", "d"]), [...values, undefined]);
  const entries = await store.ttlMany(["a", "d"]);
  assert.deepEqual(entries[0]![0], SECRET);
  assert.deepEqual(entries[1], [undefined, undefined]);
  assert.equal(await store.putIfAbsent("e", SECRET), true);
  assert.deepEqual((await store.ttl("e"))[0], SECRET);
});

test("EncryptionWrapper derives a key from a password with PBKDF2-SHA256", async () => {
  const inner = new MemoryStore();
  const password = { password: "correct horse", salt: "battery", iterations: 10_000 };
  await new EncryptionWrapper(inner, { keys: [password] }).put("k", SECRET);
  assert.deepEqual(await new EncryptionWrapper(inner, { keys: [password] }).get("k"), SECRET);
  const wrong = { ...password, password: "wrong horse" };
  await assert.rejects(new EncryptionWrapper(inner, { keys: [wrong] }).get("k"), DecryptionError);
  const material = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode("correct horse"),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const raw = new Uint8Array(
    await crypto.subtle.deriveBits(
      {
        name: "PBKDF2",
        hash: "SHA-256",
        salt: new TextEncoder().encode("battery"),
        iterations: 10_000,
      },
      material,
      256,
    ),
  );
  assert.deepEqual(await new EncryptionWrapper(inner, { keys: [raw] }).get("k"), SECRET);
});

test("EncryptionWrapper accepts a WebCrypto AES-GCM key", async () => {
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  const store = new EncryptionWrapper(new MemoryStore(), { keys: [key] });
  await store.put("k", SECRET);
  assert.deepEqual(await store.get("k"), SECRET);
});

test("EncryptionWrapper encrypts with the first key and decrypts with any (rotation)", async () => {
  const inner = new MemoryStore();
  await new EncryptionWrapper(inner, { keys: [OTHER] }).put("old", SECRET);
  const rotated = new EncryptionWrapper(inner, { keys: [KEY, OTHER] });
  assert.deepEqual(await rotated.get("old"), SECRET);
  await rotated.put("new", SECRET);
  assert.deepEqual(await new EncryptionWrapper(inner, { keys: [KEY] }).get("new"), SECRET);
  await assert.rejects(new EncryptionWrapper(inner, { keys: [OTHER] }).get("new"), DecryptionError);
});

test("EncryptionWrapper reads tampered data, a wrong key or an unknown version as DecryptionError", async () => {
  const inner = new MemoryStore();
  const store = new EncryptionWrapper(inner, { keys: [KEY] });
  await store.put("k", SECRET);
  const good = (await inner.get("k"))!;
  const data = good.__encrypted_data__ as string;
  const flipped = data[20] === "A" ? "B" : "A";
  const cases: [string, Value, typeof DecryptionError][] = [
    ["one flipped character", {
      ...good,
      __encrypted_data__: data.slice(0, 20) + flipped + data.slice(21),
    }, DecryptionError],
    ["truncated data", { ...good, __encrypted_data__: data.slice(0, 24) }, DecryptionError],
    ["bad base64", { ...good, __encrypted_data__: "%%%" }, CorruptedDataError],
    ["data that is not a string", { ...good, __encrypted_data__: 5 }, CorruptedDataError],
    ["no version", { __encrypted_data__: data }, CorruptedDataError],
    ["a string version", { ...good, __encryption_version__: "2" }, CorruptedDataError],
    ["version 3", { ...good, __encryption_version__: 3 }, DecryptionError],
    ["Fernet's version 1", { ...good, __encryption_version__: 1 }, DecryptionError],
    ["another algorithm", { ...good, __encryption_algorithm__: "ChaCha20" }, DecryptionError],
  ];
  for (const [label, stored, type] of cases) {
    await inner.put("bad", stored);
    await assert.rejects(store.get("bad"), type, label);
    await assert.rejects(store.ttlMany(["k", "bad"]), type, label);
  }
  await inner.put("bad", { ...good, __encryption_version__: 3 });
  await assert.rejects(store.get("bad"), (error: unknown) => {
    assert.ok(error instanceof DecryptionError);
    assert.ok(error.cause instanceof EncryptionVersionError);
    return true;
  });
  await assert.rejects(new EncryptionWrapper(inner, { keys: [OTHER] }).get("k"), DecryptionError);
});

test("EncryptionWrapper reads unreadable data as a miss when raiseOnDecryptionError is false", async () => {
  const inner = new MemoryStore();
  await new EncryptionWrapper(inner, { keys: [KEY] }).put("k", SECRET);
  const store = new EncryptionWrapper(inner, { keys: [OTHER], raiseOnDecryptionError: false });
  assert.equal(await store.get("k"), undefined);
  assert.deepEqual(await store.ttl("k"), [undefined, undefined]);
  await inner.put("corrupt", { __encrypted_data__: 1, __encryption_version__: 2 });
  assert.deepEqual(await store.getMany(["k", "corrupt"]), [undefined, undefined]);
});

test("EncryptionWrapper passes unencrypted stored values through", async () => {
  const inner = new MemoryStore();
  await inner.put("plain", { hello: "world" });
  assert.deepEqual(await new EncryptionWrapper(inner, { keys: [KEY] }).get("plain"), {
    hello: "world",
  });
});

test("EncryptionWrapper refuses bad keys", () => {
  const inner = new MemoryStore();
  assert.throws(() => new EncryptionWrapper(inner, { keys: [] }), TypeError);
  assert.throws(() => new EncryptionWrapper(inner, { keys: [new Uint8Array(16)] }), TypeError);
  assert.throws(
    () => new EncryptionWrapper(inner, { keys: [{ password: "", salt: "s" }] }),
    TypeError,
  );
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new EncryptionWrapper(inner, { keys: ["a string" as any] }), TypeError);
});

test("EncryptionWrapper copies key material at construction: wiping the caller's buffer changes nothing", async () => {
  const inner = new MemoryStore();
  const key = KEY.slice();
  const store = new EncryptionWrapper(inner, { keys: [key] });
  key.fill(0); // the caller wipes its copy of the secret
  await store.put("k", SECRET);
  assert.deepEqual(await new EncryptionWrapper(inner, { keys: [KEY] }).get("k"), SECRET);
  const zero = new EncryptionWrapper(inner, { keys: [new Uint8Array(32)] });
  await assert.rejects(zero.get("k"), DecryptionError);
});

test("EncryptionWrapper copies a password key at construction", async () => {
  const inner = new MemoryStore();
  const salt = new TextEncoder().encode("salt");
  const source = { password: "secret", salt, iterations: 1000 };
  const store = new EncryptionWrapper(inner, { keys: [source] });
  source.password = "changed";
  salt.fill(0);
  source.iterations = 1;
  await store.put("k", SECRET);
  const same = { password: "secret", salt: "salt", iterations: 1000 };
  assert.deepEqual(await new EncryptionWrapper(inner, { keys: [same] }).get("k"), SECRET);
});

test("EncryptionWrapper refuses an unknown field in a password key", () => {
  assert.throws(
    () =>
      new EncryptionWrapper(new MemoryStore(), {
        keys: [{ password: "p", salt: "s", iteration: 1000 } as never],
      }),
    { name: "TypeError", message: /unknown option "iteration".*password, salt, iterations/ },
  );
});
