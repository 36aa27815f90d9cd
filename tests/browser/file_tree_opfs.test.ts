// FileTreeStore on the browser's Origin Private File System, from the
// TypeScript sources: the conformance suite and OPFS-specific checks run
// inside headless Chromium. The page imports the web entry
// (stores/file_tree/web.ts), which never reaches node:*; esbuild bundles it
// with node:assert/strict and node:test mapped to small shims (the suite's
// test harness), and nothing of the store left out.
// file_tree_package.test.ts does the same with the built npm package.

import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { haveChromium, reportResults, runPage } from "./_chromium.ts";

async function bundle(): Promise<string> {
  // esbuild: the bundler the npm build already depends on; its JS API runs in Deno, Node and Bun.
  const { build } = await import("esbuild");
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const here = (name: string) => fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
  const result = await build({
    entryPoints: [here("_opfs_page")],
    bundle: true,
    splitting: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    plugins: [{
      name: "test-harness-shims",
      setup(build) {
        build.onResolve(
          { filter: /^node:assert(\/strict)?$/ },
          () => ({ path: here("_assert_shim") }),
        );
        build.onResolve({ filter: /^node:test$/ }, () => ({ path: here("_test_shim") }));
      },
    }],
  });
  return result.outputFiles[0]!.text;
}

if (haveChromium("FileTreeStore (OPFS) runs in Chromium")) {
  const script = await bundle();
  const results = await runPage(script);
  test("FileTreeStore (OPFS): the page bundle holds no node: import", () => {
    assert.doesNotMatch(script, /["']node:/);
  });
  test("FileTreeStore (OPFS) ran the conformance suite in Chromium", () => {
    assert.ok(results.length > 100, `only ${results.length} cases ran`);
  });
  reportResults(results);
}
