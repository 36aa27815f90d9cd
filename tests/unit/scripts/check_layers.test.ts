import assert from "node:assert/strict";
import { test } from "node:test";
import { cycles, layerViolation, localImports } from "../../../scripts/check_layers.ts";

test("check_layers: localImports() finds static, dynamic, type-only and re-export imports, not comments", () => {
  const source = [
    '/** import { x } from "./in_doc.ts"; */',
    'import { a } from "./a.ts";',
    'import type { B } from "../core/b.ts";',
    'export { c } from "./c.ts";',
    'const d = await import("./d.ts");',
    'import "./e.ts";',
    'import { f } from "fast-check";',
    '// import { g } from "./g.ts";',
  ].join("\n");
  assert.deepEqual(localImports("stores/x/mod.ts", source).sort(), [
    "stores/core/b.ts",
    "stores/x/a.ts",
    "stores/x/c.ts",
    "stores/x/d.ts",
    "stores/x/e.ts",
  ]);
});

test("check_layers: layerViolation() keeps core, store folders, wrappers and adapters in their layers", () => {
  assert.equal(layerViolation("core/a.ts", "core/b.ts"), undefined);
  assert.match(layerViolation("core/a.ts", "stores/memory.ts")!, /core\/ imports only core/);
  assert.equal(layerViolation("stores/file_tree/mod.ts", "stores/file_tree/_dir.ts"), undefined);
  assert.equal(layerViolation("stores/file_tree/mod.ts", "stores/_shared/errors.ts"), undefined);
  assert.match(
    layerViolation("stores/deno_kv/multi_disk.ts", "stores/file_tree/_names.ts")!,
    /only itself/,
  );
  assert.equal(layerViolation("stores/redis.ts", "stores/_resp/store.ts"), undefined);
  assert.match(layerViolation("stores/redis.ts", "stores/file_tree/mod.ts")!, /store module/);
  assert.match(layerViolation("stores/_shared/errors.ts", "stores/_resp/x.ts")!, /_shared/);
  assert.equal(layerViolation("wrappers/retry.ts", "wrappers/base.ts"), undefined);
  assert.match(layerViolation("wrappers/retry.ts", "stores/memory.ts")!, /wrappers\//);
  assert.match(layerViolation("adapters/schema.ts", "wrappers/base.ts")!, /adapters\//);
  assert.equal(layerViolation("registry.ts", "stores/memory.ts"), undefined);
  assert.match(layerViolation("registry.ts", "stores/redis.ts")!, /registry/);
  assert.equal(layerViolation("mod.ts", "wrappers/base.ts"), undefined);
});

test("check_layers: cycles() finds cycles of any length and self-loops, and nothing in a DAG", () => {
  const dag = new Map([["a", ["b", "c"]], ["b", ["c"]], ["c", []]]);
  assert.deepEqual(cycles(dag), []);
  const looped = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["d"]], ["e", ["a"]]]);
  assert.deepEqual(cycles(looped).sort(), [["a", "b", "c"], ["d"]]);
});
