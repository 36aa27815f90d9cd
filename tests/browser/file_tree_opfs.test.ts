// FileTreeStore on the browser's Origin Private File System: the conformance
// suite and OPFS-specific checks run inside headless Chromium (Debian's
// chromium, driven by playwright-core). The page bundle is built with
// esbuild; node:assert/strict and node:test are mapped to small shims, and
// the store's node:fs part (loaded only for path roots) is left out.
//
// Without /usr/bin/chromium the tests are skipped, or fail under CI
// (scripts/install_browser.sh installs it).

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface Result {
  name: string;
  status: "pass" | "fail" | "skip";
  error?: string;
  ms: number;
}

async function bundle(): Promise<string> {
  // esbuild: the bundler the npm build already depends on; its JS API runs in Deno, Node and Bun.
  const { build } = await import("esbuild");
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const here = (name: string) => fileURLToPath(new URL(`./${name}${ext}`, import.meta.url));
  const result = await build({
    entryPoints: [here("_opfs_page")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    plugins: [{
      name: "browser-shims",
      setup(build) {
        build.onResolve(
          { filter: /^node:assert(\/strict)?$/ },
          () => ({ path: here("_assert_shim") }),
        );
        build.onResolve({ filter: /^node:test$/ }, () => ({ path: here("_test_shim") }));
        // The store loads its node:fs directory only for path roots: keep it out of the page.
        build.onResolve(
          { filter: /^\.\/_node(\.ts|\.js)?$/ },
          (args) =>
            /file_tree[\\/]_open\.(ts|js)$/.test(args.importer)
              ? { path: args.path, external: true }
              : undefined,
        );
      },
    }],
  });
  return result.outputFiles[0]!.text;
}

async function runPage(script: string): Promise<Result[]> {
  const html =
    '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>';
  const server = createServer((request, response) => {
    const isScript = request.url === "/page.js";
    response.writeHead(200, {
      "content-type": isScript ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8",
    });
    response.end(isScript ? script : html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const profile = await mkdtemp(join(tmpdir(), "kv-chromium-"));
  const { chromium } = await import("playwright-core");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`http://127.0.0.1:${port}/`);
    const done = page.waitForFunction(() => "__results" in globalThis, undefined, {
      timeout: 240_000,
      polling: 200,
    });
    const failed = new Promise<never>((_, reject) => {
      const timer = setInterval(() => {
        if (errors.length > 0) {
          clearInterval(timer);
          reject(new Error(`the page failed: ${errors.join("\n")}`));
        }
      }, 100);
      void done.finally(() => clearInterval(timer));
    });
    await Promise.race([done, failed]);
    return await page.evaluate(() => (globalThis as { __results?: Result[] }).__results!);
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    await rm(profile, { recursive: true, force: true });
  }
}

function env(name: string): string | undefined {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return g.Deno?.env ? g.Deno.env.get(name) : process.env[name];
}

if (!existsSync(CHROMIUM)) {
  const reason = `${CHROMIUM} is missing (scripts/install_browser.sh installs it)`;
  if (env("CI")) test("FileTreeStore (OPFS) runs in Chromium", () => assert.fail(reason));
  else test("FileTreeStore (OPFS) runs in Chromium", { skip: reason }, () => {});
} else {
  const results = await runPage(await bundle());
  test("FileTreeStore (OPFS) ran the conformance suite in Chromium", () => {
    assert.ok(results.length > 100, `only ${results.length} cases ran`);
  });
  for (const result of results) {
    test(`${result.name} [Chromium]`, { skip: result.status === "skip" }, () => {
      if (result.status === "fail") assert.fail(result.error);
    });
  }
}
