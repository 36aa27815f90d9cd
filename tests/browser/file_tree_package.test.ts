// FileTreeStore from the built npm package, bundled for a browser as a user
// would bundle it, run on OPFS in headless Chromium.
//
// The package is npm/ (`deno task build:npm`; built here when missing or
// older than the sources, since scripts/test_all.sh runs this after its npm
// step). A throwaway app directory gets node_modules/@kv/core -> npm/ and
// _package_page.ts as its entry, which imports FileTreeStore by package name.
// esbuild bundles it with `platform: "browser"`, no code splitting and no
// plugin at all, so the `browser` export condition is all that keeps Node
// code out; the bundle must hold no `node:` import and no `require(`. The
// conformance suite then runs against the same package build (its page maps
// node:test and node:assert, the suite's harness, to the browser shims).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { haveChromium, reportResults, runPage } from "./_chromium.ts";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const npm = join(repo, "npm");
const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** The newest modification time (ms) of the sources the npm build reads. */
function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return path.endsWith(".ts") || path.endsWith(".json") ? stat.mtimeMs : 0;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, name)));
  return newest;
}

/** Builds npm/ unless it is there and newer than every source it is built from. */
function ensurePackage(): void {
  const manifest = join(npm, "package.json");
  const sources = ["mod.ts", "registry.ts", "deno.json", "core", "stores", "wrappers", "adapters"]
    .concat(["testing", "scripts/build_npm.ts"])
    .map((name) => newestSource(join(repo, name)));
  if (existsSync(manifest) && statSync(manifest).mtimeMs >= Math.max(...sources)) return;
  execFileSync(join(repo, "node_modules/deno/deno"), ["task", "build:npm"], {
    cwd: repo,
    stdio: "inherit",
  });
}

async function bundle(entry: string, nodePaths: string[], shims: boolean): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    nodePaths,
    plugins: shims
      ? [{
        name: "test-harness-shims",
        setup(build) {
          build.onResolve(
            { filter: /^node:assert(\/strict)?$/ },
            () => ({ path: here("_assert_shim.ts") }),
          );
          build.onResolve({ filter: /^node:test$/ }, () => ({ path: here("_test_shim.ts") }));
        },
      }]
      : [],
  });
  return result.outputFiles[0]!.text;
}

if (haveChromium("FileTreeStore (npm package, OPFS) runs in Chromium")) {
  ensurePackage();
  const app = await mkdtemp(join(tmpdir(), "kv-browser-app-"));
  after(() => rm(app, { recursive: true, force: true }));
  await mkdir(join(app, "node_modules", "@kv"), { recursive: true });
  await symlink(npm, join(app, "node_modules", "@kv", "core"), "dir");
  await copyFile(here("_package_page.ts"), join(app, "main.ts"));

  const script = await bundle(join(app, "main.ts"), [], false);
  test("FileTreeStore (npm package): a browser bundle of the app holds no Node code", () => {
    assert.doesNotMatch(script, /["']node:/);
    assert.doesNotMatch(script, /\brequire\(/);
    assert.doesNotMatch(script, /\bimport\(/);
    assert.doesNotMatch(script, /realpath|O_NOFOLLOW/); // the node:fs directory's code
    assert.match(script, /createWritable/);
  });
  const results = await runPage(script);
  test("FileTreeStore (npm package, OPFS) ran the app's checks in Chromium", () => {
    assert.equal(results.length, 5);
  });
  reportResults(results);

  const suite = await runPage(
    await bundle(here("_package_conformance_page.ts"), [join(app, "node_modules")], true),
  );
  test("FileTreeStore (npm package, OPFS) ran the conformance suite in Chromium", () => {
    assert.ok(suite.length > 100, `only ${suite.length} cases ran`);
  });
  reportResults(suite);
}
