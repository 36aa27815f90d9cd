// This module is browser compatible.
// The conformance page of file_tree_package.test.ts: the shared suite, from
// the npm package's `@kv/core/testing`, against the FileTreeStore a browser
// bundle gets for `@kv/core/stores/file-tree` (the `browser` export
// condition's web build), each case in a fresh OPFS directory.

import { FileTreeStore } from "@kv/core/stores/file-tree";
import { testConformance } from "@kv/core/testing";
import { registered, test } from "./_test_shim.ts";
import { runAndPublish } from "./_page_runner.ts";

const root = await navigator.storage.getDirectory();
for await (const [name] of root.entries()) await root.removeEntry(name, { recursive: true });
let n = 0;
const handle = () => root.getDirectoryHandle(`c${n++}`, { create: true });

testConformance("FileTreeStore (npm package, OPFS)", {
  factory: async ({ clock }) => new FileTreeStore({ directory: await handle(), clock }),
  clock: true,
  capabilities: ["keys", "collections", "destroyCollection", "destroy", "cull", "putIfAbsent"],
  propertyRuns: 20,
  namesRuns: 10,
  construct: async (extra) => new FileTreeStore({ directory: await handle(), ...extra }),
  test,
});

await runAndPublish(registered);
