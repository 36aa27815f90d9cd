// Runs the edge tests (tests/edge/) inside workerd, through Miniflare, and
// inside Vercel's edge-runtime: MemoryStore, the wrappers and the adapters
// under the conformance suite, plus runtime checks (CompressionStream,
// PBKDF2 at 100,000 iterations, CompressionWrapper's TypeError without a
// codec on edge-runtime).
//
//   ./node_modules/deno/deno run -A scripts/test_edge.ts
//
// Run with Deno, like the other scripts/*.ts: it runs TypeScript as it is,
// and Miniflare, edge-runtime and esbuild all work under it from
// node_modules. Each runtime gets one esbuild bundle (esm, no splitting,
// platform "browser"), with node:test and node:assert mapped to the shims of
// tests/browser/; any other node: import (or Node built-in) is a failure, so
// what runs is what an edge deployment would run. Tests run in slices, one
// request (or evaluate call) per suite and one per property test, so no
// request runs long and each slice is timed from outside (workerd freezes
// Date.now() inside a request until its next I/O).
//
// Prints, per runtime, "N passed, N failed, N skipped" and each failure;
// the last line is "edge runtimes: N passed, N failed" (scripts/test_all.sh
// adds it to its summary). Exit code 1 on any failure or on zero tests.

import { build, type Plugin } from "esbuild";
import { EdgeRuntime } from "edge-runtime";
import { Miniflare } from "miniflare";
import { builtinModules } from "node:module";
import process from "node:process";
import { fileURLToPath } from "node:url";

interface Result {
  name: string;
  status: "pass" | "fail" | "skip";
  error?: string;
}

/** A runtime under test: its test names, and a way to run a slice of them. */
interface Target {
  names(): Promise<string[]>;
  run(from: number, to: number): Promise<Result[]>;
  close(): Promise<void>;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const BUILTINS = new Set(builtinModules);

/** Bundles one entry of tests/edge/; throws when a Node built-in would remain in it. */
async function bundle(entry: string): Promise<string> {
  const leaked = new Set<string>();
  const shims: Plugin = {
    name: "edge-shims",
    setup(build) {
      build.onResolve(
        { filter: /^node:assert(\/strict)?$/ },
        () => ({ path: here("../tests/browser/_assert_shim.ts") }),
      );
      build.onResolve(
        { filter: /^node:test$/ },
        () => ({ path: here("../tests/browser/_test_shim.ts") }),
      );
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const bare = args.path.replace(/^node:/, "");
        if (!args.path.startsWith("node:") && !BUILTINS.has(bare)) return undefined;
        leaked.add(`${args.path} (imported by ${args.importer})`);
        return { path: args.path, external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [here(`../tests/edge/${entry}`)],
    bundle: true,
    splitting: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [shims],
  });
  for (const output of Object.values(result.metafile!.outputs)) {
    for (const item of output.imports) if (item.external) leaked.add(item.path);
  }
  if (leaked.size > 0) {
    throw new Error(`the ${entry} bundle still imports: ${[...leaked].join(", ")}`);
  }
  return result.outputFiles[0]!.text;
}

async function workerd(): Promise<Target> {
  const script = await bundle("_workerd.ts");
  // No nodejs_compat flag: the library must run on workerd's Web APIs alone.
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2026-07-01" });
  const get = async (path: string) => {
    const response = await mf.dispatchFetch(`http://edge.test${path}`);
    const text = await response.text();
    if (!response.ok) throw new Error(`workerd answered ${response.status} to ${path}: ${text}`);
    return JSON.parse(text);
  };
  return {
    names: async () => (await get("/names")).names,
    run: (from, to) => get(`/run?from=${from}&to=${to}`),
    close: () => mf.dispose(),
  };
}

async function edgeRuntime(): Promise<Target> {
  const code = await bundle("_edge_runtime.ts");
  // evaluate() runs scripts: the bundle has no import or export left, so it is one.
  if (/^\s*(import|export)\b/m.test(code)) throw new Error("the edge-runtime bundle is a module");
  // "use strict": module code is strict, and so is what Vercel deploys.
  const runtime = new EdgeRuntime({ initialCode: `"use strict";\n${code}` });
  return {
    names: () => Promise.resolve(JSON.parse(runtime.evaluate("__kvEdge.names()"))),
    run: async (from, to) => JSON.parse(await runtime.evaluate(`__kvEdge.run(${from}, ${to})`)),
    close: () => Promise.resolve(),
  };
}

/** The slices run one at a time: each suite's cases together, each property test alone. */
function plan(names: string[]): [number, number, string][] {
  const slices: [number, number, string][] = [];
  const group = (name: string) => /random/.test(name) ? name : name.split(": ")[0]!;
  for (let i = 0; i < names.length;) {
    let j = i + 1;
    while (j < names.length && group(names[j]!) === group(names[i]!) && !/random/.test(names[j]!)) {
      j++;
    }
    slices.push([i, j, group(names[i]!)]);
    i = j;
  }
  return slices;
}

async function runTarget(label: string, make: () => Promise<Target>, verbose: boolean) {
  const t0 = performance.now();
  const target = await make();
  const results: Result[] = [];
  try {
    const names = await target.names();
    for (const [from, to, group] of plan(names)) {
      const t = performance.now();
      const slice = await target.run(from, to);
      results.push(...slice);
      const ms = Math.round(performance.now() - t);
      if (verbose || /random/.test(group)) {
        console.log(`  ${label}: ${group} (${to - from}): ${ms} ms`);
      }
    }
  } finally {
    await target.close();
  }
  const count = (status: Result["status"]) => results.filter((r) => r.status === status).length;
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  for (const failure of results.filter((r) => r.status === "fail")) {
    console.log(`FAIL ${label}: ${failure.name}\n  ${failure.error?.replaceAll("\n", "\n  ")}`);
  }
  console.log(
    `${label}: ${count("pass")} passed, ${count("fail")} failed, ${
      count("skip")
    } skipped (${seconds}s)`,
  );
  return { passed: count("pass"), failed: count("fail") };
}

const verbose = process.argv.includes("--verbose");
const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice(7);
const targets: [string, () => Promise<Target>][] = [["workerd", workerd], [
  "edge-runtime",
  edgeRuntime,
]];
let passed = 0;
let failed = 0;
for (const [label, make] of targets) {
  if (only !== undefined && only !== label) continue;
  try {
    const counts = await runTarget(label, make, verbose);
    passed += counts.passed;
    failed += counts.failed;
  } catch (error) {
    console.log(`FAIL ${label}: ${error instanceof Error ? error.stack : error}`);
    console.log(`${label}: 0 passed, 1 failed, 0 skipped (could not run)`);
    failed++;
  }
}
console.log(`edge runtimes: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
