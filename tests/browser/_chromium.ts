// Running a page bundle in headless Chromium (Debian's chromium, driven by
// playwright-core) for the browser tests: a local http server serves the
// bundle and a page that loads it; the page publishes its cases' results on
// `globalThis.__results`, and each becomes a node:test test.
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
import type { PageResult } from "./_page_runner.ts";

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

/** One case's outcome, as a page publishes it. */
export type Result = PageResult;

function env(name: string): string | undefined {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  return g.Deno?.env ? g.Deno.env.get(name) : process.env[name];
}

/**
 * Whether Chromium is there; if not, registers `name` as a skipped test (a
 * failed one under CI) and returns false.
 */
export function haveChromium(name: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const reason = `${CHROMIUM} is missing (scripts/install_browser.sh installs it)`;
  if (env("CI")) test(name, () => assert.fail(reason));
  else test(name, { skip: reason }, () => {});
  return false;
}

/** Loads `script` (an ES module) in a fresh Chromium profile and returns its results. */
export async function runPage(script: string): Promise<Result[]> {
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

/** Registers one test per result, named `<case> [Chromium]`. */
export function reportResults(results: readonly Result[]): void {
  for (const result of results) {
    test(`${result.name} [Chromium]`, { skip: result.status === "skip" }, () => {
      if (result.status === "fail") assert.fail(result.error);
    });
  }
}
