import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { FileTreeStore } from "../../stores/file_tree.ts";
import { testConformance } from "../../testing/conformance.ts";

const ALL = ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"] as const;
const base = await mkdtemp(join(tmpdir(), "kv-file-tree-"));
let n = 0;
after(() => rm(base, { recursive: true, force: true }));

testConformance("FileTreeStore", {
  factory: () => new FileTreeStore({ directory: join(base, `t${n++}`), fsync: false }),
  capabilities: ALL,
  propertyRuns: 50,
});
