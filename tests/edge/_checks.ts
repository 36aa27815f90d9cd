// This module is browser compatible.
// The edge tests beyond the conformance suite: what the runtime offers
// (CompressionStream, PBKDF2 at the documented Workers setting) and that the
// library says so where it must (CompressionWrapper's TypeError without a
// codec on edge-runtime), plus the SchemaAdapter with a hand-made Standard
// Schema (no schema library in the bundle).

import assert from "node:assert/strict";
import { DecryptionError } from "../../core/errors.ts";
import { MemoryStore } from "../../stores/memory.ts";
import { SchemaAdapter, type StandardSchemaV1 } from "../../adapters/schema.ts";
import { CompressionWrapper, type GzipCodec } from "../../wrappers/compression.ts";
import { EncryptionWrapper, type PasswordKey } from "../../wrappers/encryption.ts";
import { test } from "../browser/_test_shim.ts";

/** What the checks share with the suite. */
export interface Fixtures {
  /** A raw AES-256 key. */
  readonly aesKey: Uint8Array;
  /** A password key with the documented Workers iteration count. */
  readonly password: PasswordKey;
  /** fflate's gzip codec. */
  readonly codec: GzipCodec;
}

const LARGE = { text: "compress me ".repeat(500), n: [1, 2, 3] };

const name: StandardSchemaV1<{ name: string }> = {
  "~standard": {
    version: 1,
    vendor: "edge-test",
    validate: (value) =>
      typeof value === "object" && value !== null &&
        typeof (value as { name?: unknown }).name === "string"
        ? { value: value as { name: string } }
        : { issues: [{ message: "name must be a string" }] },
  },
};

/** Registers the runtime checks for `runtime`. */
export function registerRuntimeChecks(runtime: string, fixtures: Fixtures): void {
  const native = runtime === "workerd";
  test(
    `${runtime} ${native ? "has" : "has no"} CompressionStream and DecompressionStream`,
    {},
    () => {
      assert.equal(typeof globalThis.CompressionStream, native ? "function" : "undefined");
      assert.equal(typeof globalThis.DecompressionStream, native ? "function" : "undefined");
      return Promise.resolve();
    },
  );
  if (native) {
    test(
      "CompressionWrapper: fflate's gzip and the native streams read each other's data",
      {},
      async () => {
        const inner = new MemoryStore();
        await new CompressionWrapper(inner, { codec: fixtures.codec }).put("f", LARGE);
        await new CompressionWrapper(inner).put("n", LARGE);
        assert.equal((await inner.get("f"))?.__compression_algorithm__, "gzip");
        assert.deepEqual(await new CompressionWrapper(inner).get("f"), LARGE);
        assert.deepEqual(
          await new CompressionWrapper(inner, { codec: fixtures.codec }).get("n"),
          LARGE,
        );
      },
    );
  } else {
    test(
      "CompressionWrapper() without a codec throws the documented TypeError on edge-runtime",
      {},
      () => {
        assert.throws(() => new CompressionWrapper(new MemoryStore()), (error: unknown) => {
          assert.ok(error instanceof TypeError);
          assert.match(error.message, /no CompressionStream/);
          assert.match(error.message, /codec/);
          return true;
        });
        return Promise.resolve();
      },
    );
  }
  test(
    `EncryptionWrapper derives a password key with iterations 100_000 on ${runtime}`,
    {},
    async () => {
      assert.equal(fixtures.password.iterations, 100_000);
      const inner = new MemoryStore();
      await new EncryptionWrapper(inner, { keys: [fixtures.password] }).put("k", LARGE);
      const stored = await inner.get("k");
      assert.equal(stored?.__encryption_algorithm__, "AES-256-GCM");
      const again = new EncryptionWrapper(inner, { keys: [{ ...fixtures.password }] });
      assert.deepEqual(await again.get("k"), LARGE);
      const other = { ...fixtures.password, iterations: 99_999 };
      await assert.rejects(
        new EncryptionWrapper(inner, { keys: [other] }).get("k"),
        DecryptionError,
      );
    },
  );
  test(
    `EncryptionWrapper with a raw key reads what another raw-key wrapper wrote on ${runtime}`,
    {},
    async () => {
      const inner = new MemoryStore();
      await new EncryptionWrapper(inner, { keys: [fixtures.aesKey] }).put("k", { n: 1 });
      const key = await crypto.subtle.importKey(
        "raw",
        fixtures.aesKey as Uint8Array<ArrayBuffer>,
        "AES-GCM",
        false,
        [
          "encrypt",
          "decrypt",
        ],
      );
      assert.deepEqual(await new EncryptionWrapper(inner, { keys: [key] }).get("k"), { n: 1 });
    },
  );
  test(`SchemaAdapter validates through a Standard Schema on ${runtime}`, {}, async () => {
    const users = new SchemaAdapter(new MemoryStore(), { schema: name, collection: "users" });
    await users.put("ada", { name: "Ada" });
    assert.deepEqual(await users.get("ada"), { name: "Ada" });
    await assert.rejects(users.put("bad", { name: 1 } as unknown as { name: string }));
    assert.equal(await users.get("bad"), undefined);
  });
}
