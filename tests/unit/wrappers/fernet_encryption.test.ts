import assert from "node:assert/strict";
import { test } from "node:test";
import { CorruptedDataError, DecryptionError } from "../../../core/errors.ts";
import type { Value } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { EncryptionWrapper } from "../../../wrappers/encryption.ts";
import { FernetEncryptionWrapper } from "../../../wrappers/fernet_encryption.ts";
import { FernetKey } from "../../../wrappers/_fernet.ts";
import { ALL, RUNS, testWrapper } from "./_helpers.ts";
import { pythonWith, runPython, testdata } from "./_python.ts";

const KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
const OTHER = FernetEncryptionWrapper.generateKey();

testWrapper("FernetEncryptionWrapper", {
  wrap: (inner) => new FernetEncryptionWrapper(inner(), { keys: [KEY] }),
  capabilities: ALL,
  propertyRuns: RUNS,
  construct: (inner) => (extra) => new FernetEncryptionWrapper(inner(), { keys: [KEY], ...extra }),
});

interface Fixture {
  key: string;
  values: Value[];
  stored: Value[];
  derivation: { "source_material": string; salt: string; key: string; stored: Value[] };
}

test("Fernet tokens match the Fernet specification's test vector byte for byte", async () => {
  // https://github.com/fernet/spec/blob/master/generate.json
  const key = await FernetKey.fromString(KEY);
  const now = Date.parse("1985-10-26T01:20:00-07:00");
  const iv = new Uint8Array(16).map((_, i) => i);
  const token = await key.encrypt(new TextEncoder().encode("hello"), now, iv);
  assert.equal(
    token,
    "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==",
  );
  assert.equal(new TextDecoder().decode(await key.decrypt(token)), "hello");
});

test("FernetEncryptionWrapper reads values py-key-value 0.5.0 encrypted (recorded fixture)", async () => {
  const fixture = await testdata("fernet_interop.json") as Fixture;
  const inner = new MemoryStore();
  const keys = fixture.stored.map((_, i) => `k${i}`);
  await inner.putMany(keys, fixture.stored);
  const store = new FernetEncryptionWrapper(inner, { keys: [fixture.key] });
  assert.deepEqual(await store.getMany(keys), fixture.values);
});

test("FernetEncryptionWrapper derives py-key-value's key from source material and salt", async () => {
  const fixture = await testdata("fernet_interop.json") as Fixture;
  const { salt, key } = fixture.derivation;
  const sourceMaterial = fixture.derivation["source_material"];
  const started = Date.now();
  assert.equal(await FernetEncryptionWrapper.deriveKey({ sourceMaterial, salt }), key);
  const elapsed = Date.now() - started;
  const inner = new MemoryStore();
  await inner.put("k", fixture.derivation.stored[0]!);
  const store = new FernetEncryptionWrapper(inner, { keys: [{ sourceMaterial, salt }] });
  assert.deepEqual(await store.get("k"), fixture.values[0]);
  const again = Date.now();
  await store.put("k2", { n: 1 });
  assert.deepEqual(await store.get("k2"), { n: 1 });
  assert.ok(Date.now() - again < Math.max(200, elapsed / 2), "the derived key is cached");
});

test("FernetEncryptionWrapper stores py-key-value's format: base64 of the token, version 1", async () => {
  const inner = new MemoryStore();
  const store = new FernetEncryptionWrapper(inner, { keys: [KEY] });
  await store.put("k", { secret: "s3cr3t" });
  const stored = (await inner.get("k"))!;
  assert.deepEqual(Object.keys(stored).sort(), ["__encrypted_data__", "__encryption_version__"]);
  assert.equal(stored.__encryption_version__, 1);
  const token = atob(stored.__encrypted_data__ as string);
  assert.match(token, /^gAAAAA[A-Za-z0-9_-]+=*$/);
  assert.ok(!token.includes("s3cr3t"));
});

test("FernetEncryptionWrapper rotates keys like MultiFernet", async () => {
  const inner = new MemoryStore();
  await new FernetEncryptionWrapper(inner, { keys: [OTHER] }).put("old", { n: 1 });
  const rotated = new FernetEncryptionWrapper(inner, { keys: [KEY, OTHER] });
  assert.deepEqual(await rotated.get("old"), { n: 1 });
  await rotated.put("new", { n: 2 });
  assert.deepEqual(await new FernetEncryptionWrapper(inner, { keys: [KEY] }).get("new"), { n: 2 });
  await assert.rejects(
    new FernetEncryptionWrapper(inner, { keys: [OTHER] }).get("new"),
    DecryptionError,
  );
});

test("FernetEncryptionWrapper reads tampered, malformed or newer data as DecryptionError, or a miss", async () => {
  const inner = new MemoryStore();
  const store = new FernetEncryptionWrapper(inner, { keys: [KEY] });
  await store.put("k", { n: 1 });
  const good = (await inner.get("k"))!;
  const token = atob(good.__encrypted_data__ as string);
  const tampered = btoa(token.slice(0, 30) + (token[30] === "A" ? "B" : "A") + token.slice(31));
  const cases: [string, Value, typeof DecryptionError][] = [
    ["a tampered token", { ...good, __encrypted_data__: tampered }, DecryptionError],
    [
      "a token that is not base64",
      { ...good, __encrypted_data__: btoa("not a token!") },
      DecryptionError,
    ],
    ["data that is not base64", { ...good, __encrypted_data__: "***" }, CorruptedDataError],
    ["no version", { __encrypted_data__: good.__encrypted_data__ }, CorruptedDataError],
    ["version 2", { ...good, __encryption_version__: 2 }, DecryptionError],
  ];
  const quiet = new FernetEncryptionWrapper(inner, { keys: [KEY], raiseOnDecryptionError: false });
  for (const [label, stored, type] of cases) {
    await inner.put("bad", stored);
    await assert.rejects(store.get("bad"), type, label);
    assert.equal(await quiet.get("bad"), undefined, label);
  }
  await assert.rejects(
    new FernetEncryptionWrapper(inner, { keys: [OTHER] }).get("k"),
    DecryptionError,
  );
});

test("FernetEncryptionWrapper and EncryptionWrapper tell each other's data apart", async () => {
  const inner = new MemoryStore();
  await new FernetEncryptionWrapper(inner, { keys: [KEY] }).put("fernet", { n: 1 });
  await new EncryptionWrapper(inner, { keys: [new Uint8Array(32)] }).put("gcm", { n: 2 });
  await assert.rejects(
    new EncryptionWrapper(inner, { keys: [new Uint8Array(32)] }).get("fernet"),
    /version 1 is Fernet/,
  );
  await assert.rejects(
    new FernetEncryptionWrapper(inner, { keys: [KEY] }).get("gcm"),
    /version 2 is AES-256-GCM/,
  );
});

test("FernetEncryptionWrapper refuses bad keys", () => {
  const inner = new MemoryStore();
  assert.throws(() => new FernetEncryptionWrapper(inner, { keys: [] }), TypeError);
  assert.throws(() => new FernetEncryptionWrapper(inner, { keys: ["short"] }), TypeError);
  assert.throws(
    () => new FernetEncryptionWrapper(inner, { keys: [{ sourceMaterial: " ", salt: "s" }] }),
    TypeError,
  );
  assert.throws(
    () => new FernetEncryptionWrapper(inner, { keys: [{ sourceMaterial: "m", salt: "" }] }),
    TypeError,
  );
});

const py = pythonWith(
  "cryptography, key_value.aio",
  "py-key-value-aio[wrappers-encryption]==0.5.0",
);

test("FernetEncryptionWrapper and Python's cryptography read each other's tokens (live Python)", {
  skip: py.skip,
}, async () => {
  const values: Value[] = [{ secret: "s3cr3t" }, { unicode: "世界 🌍", list: [1, null] }, {}];
  const keys = [KEY, OTHER];
  // Python (MultiFernet [KEY, OTHER]) writes, we read.
  const { stored } = runPython(py.python!, "fernet_interop.py", { keys, write: values }) as {
    stored: Value[];
  };
  const inner = new MemoryStore();
  await inner.putMany(["a", "b", "c"], stored);
  assert.deepEqual(
    await new FernetEncryptionWrapper(inner, { keys: [KEY] }).getMany(["a", "b", "c"]),
    values,
  );
  // We write with OTHER, Python reads with its MultiFernet.
  await new FernetEncryptionWrapper(inner, { keys: [OTHER, KEY] }).putMany(["a", "b", "c"], values);
  const ours = await inner.getMany(["a", "b", "c"]);
  const read = runPython(py.python!, "fernet_interop.py", { keys, read: ours }) as {
    values: Value[];
  };
  assert.deepEqual(read.values, values);
  // A key Python does not hold fails there too.
  const denied = runPython(py.python!, "fernet_interop.py", { keys: [KEY], read: ours }) as {
    values: Value[];
  };
  assert.deepEqual(denied.values.map((v) => v.error), [
    "DecryptionError",
    "DecryptionError",
    "DecryptionError",
  ]);
  // The derived key is the same on both sides.
  const derived = runPython(py.python!, "fernet_interop.py", { derive: [["mat", "salt"]] }) as {
    keys: string[];
  };
  assert.equal(
    await FernetEncryptionWrapper.deriveKey({ sourceMaterial: "mat", salt: "salt" }),
    derived.keys[0],
  );
});

test("FernetEncryptionWrapper copies a key source at construction", async () => {
  const inner = new MemoryStore();
  const source = { sourceMaterial: "secret", salt: "salt" };
  const store = new FernetEncryptionWrapper(inner, { keys: [source] });
  source.sourceMaterial = "changed";
  source.salt = "changed";
  await store.put("k", { n: 1 });
  const key = await FernetEncryptionWrapper.deriveKey({ sourceMaterial: "secret", salt: "salt" });
  assert.deepEqual(await new FernetEncryptionWrapper(inner, { keys: [key] }).get("k"), { n: 1 });
});

test("FernetEncryptionWrapper refuses an unknown field in a key source", () => {
  assert.throws(
    () =>
      new FernetEncryptionWrapper(new MemoryStore(), {
        keys: [{ sourceMaterial: "m", salt: "s", iterations: 5 } as never],
      }),
    { name: "TypeError", message: /unknown option "iterations".*sourceMaterial, salt/ },
  );
});
