import { DenoKvStore } from "../../stores/deno_kv.ts";
import { MAX_VALUE_BYTES } from "../../stores/_deno_kv_keys.ts";
import { testConformance } from "../../testing/conformance.ts";

const ALL = ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"] as const;

testConformance("DenoKvStore", {
  factory: () => new DenoKvStore({ path: ":memory:" }),
  capabilities: ALL,
  maxValueBytes: MAX_VALUE_BYTES - 512,
  propertyRuns: 50,
});
