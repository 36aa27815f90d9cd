// Defect 14: every wrapper and adapter of this area, and the registry,
// refuses an unknown constructor option with a TypeError that names it and
// lists the valid ones.

import assert from "node:assert/strict";
import { test } from "node:test";
import { RaiseOnMissingAdapter } from "../../../adapters/raise_on_missing.ts";
import { SchemaAdapter, type StandardSchemaV1 } from "../../../adapters/schema.ts";
import { StoreRegistry } from "../../../registry.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { CollectionRoutingWrapper } from "../../../wrappers/collection_routing.ts";
import { CompressionWrapper } from "../../../wrappers/compression.ts";
import { DefaultValueWrapper } from "../../../wrappers/default_value.ts";
import { EncryptionWrapper } from "../../../wrappers/encryption.ts";
import { FallbackWrapper } from "../../../wrappers/fallback.ts";
import { FernetEncryptionWrapper } from "../../../wrappers/fernet_encryption.ts";
import { LimitSizeWrapper } from "../../../wrappers/limit_size.ts";
import { LoggingWrapper } from "../../../wrappers/logging.ts";
import { PassthroughCacheWrapper } from "../../../wrappers/passthrough_cache.ts";
import { ReadOnlyWrapper } from "../../../wrappers/read_only.ts";
import { RoutingWrapper } from "../../../wrappers/routing.ts";
import { TTLClampWrapper } from "../../../wrappers/ttl_clamp.ts";

const schema: StandardSchemaV1 = {
  "~standard": { version: 1, vendor: "test", validate: (value) => ({ value }) },
};

// Each case: the class, the valid options it needs, and every option name it accepts.
const CASES: [
  string,
  (options: Record<string, unknown>) => unknown,
  Record<string, unknown>,
  string[],
][] = [
  [
    "PassthroughCacheWrapper",
    (o) => new PassthroughCacheWrapper(new MemoryStore(), o as never),
    { cache: new MemoryStore() },
    ["cache", "maxTtl", "missingTtl"],
  ],
  [
    "EncryptionWrapper",
    (o) => new EncryptionWrapper(new MemoryStore(), o as never),
    { keys: [new Uint8Array(32)] },
    ["keys", "raiseOnDecryptionError"],
  ],
  [
    "FernetEncryptionWrapper",
    (o) => new FernetEncryptionWrapper(new MemoryStore(), o as never),
    { keys: [FernetEncryptionWrapper.generateKey()] },
    ["keys", "raiseOnDecryptionError"],
  ],
  [
    "CompressionWrapper",
    (o) => new CompressionWrapper(new MemoryStore(), o),
    {},
    ["threshold", "codec"],
  ],
  [
    "DefaultValueWrapper",
    (o) => new DefaultValueWrapper(new MemoryStore(), o as never),
    { value: {} },
    ["value", "ttl"],
  ],
  [
    "LimitSizeWrapper",
    (o) => new LimitSizeWrapper(new MemoryStore(), o),
    {},
    ["minSize", "maxSize", "raiseOnTooSmall", "raiseOnTooLarge"],
  ],
  [
    "LoggingWrapper",
    (o) => new LoggingWrapper(new MemoryStore(), o),
    {},
    ["logger", "level", "logValues", "structured"],
  ],
  [
    "RoutingWrapper",
    (o) => new RoutingWrapper(new MemoryStore(), o as never),
    { route: () => undefined },
    ["route", "stores"],
  ],
  [
    "CollectionRoutingWrapper",
    (o) => new CollectionRoutingWrapper(new MemoryStore(), o as never),
    { collections: {} },
    ["collections"],
  ],
  [
    "FallbackWrapper",
    (o) => new FallbackWrapper(new MemoryStore(), o as never),
    { fallback: new MemoryStore() },
    ["fallback", "fallbackOn", "writeToFallback", "onFallback"],
  ],
  [
    "ReadOnlyWrapper",
    (o) => new ReadOnlyWrapper(new MemoryStore(), o),
    {},
    ["raiseOnWrite"],
  ],
  [
    "TTLClampWrapper",
    (o) => new TTLClampWrapper(new MemoryStore(), o),
    {},
    ["minTtl", "maxTtl", "missingTtl"],
  ],
  [
    "RaiseOnMissingAdapter",
    (o) => new RaiseOnMissingAdapter(new MemoryStore(), o),
    {},
    ["raiseOnMissing"],
  ],
  [
    "SchemaAdapter",
    (o) => new SchemaAdapter(new MemoryStore(), o as never),
    { schema },
    ["schema", "collection", "raiseOnValidationError"],
  ],
  ["StoreRegistry", (o) => new StoreRegistry(o), {}, ["stores", "defaultFactory"]],
];

for (const [name, make, required, valid] of CASES) {
  test(`${name} refuses an unknown option with a TypeError naming it and the valid ones`, () => {
    assert.ok(make(required), "the valid options are accepted");
    assert.throws(() => make({ ...required, notAnOption: 1 }), (error: unknown) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.match(error.message, new RegExp(name));
      assert.match(error.message, /unknown option "notAnOption"/);
      assert.match(error.message, new RegExp(`valid options are: ${valid.join(", ")}$`));
      return true;
    });
  });
}
