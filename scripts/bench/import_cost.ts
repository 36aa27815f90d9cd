/**
 * Import-cost scenario: what an application ships when it imports the
 * library, against keyv's and unstorage's entry points. Each entry is
 * bundled with the project's esbuild (`--bundle --minify --format=esm
 * --platform=node`: Node's builtins, which keyv imports, stay external and
 * are not counted) and the result is
 * gzipped with node:zlib at its default level.
 *
 * Our entries are bundled from the TypeScript sources, which is what esbuild
 * also sees through the npm build (tsc emits the same code without types).
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** The repository root: the nearest folder above this file with a deno.json (also from a bundle). */
function findRoot(): string {
  let dir = new URL("./", import.meta.url);
  while (!existsSync(fileURLToPath(new URL("deno.json", dir)))) {
    const parent = new URL("../", dir);
    if (parent.href === dir.href) throw new Error("Cannot find the repository root (deno.json)");
    dir = parent;
  }
  return fileURLToPath(dir);
}

const root = findRoot();

/** One bundle to measure. */
export interface ImportEntry {
  /** The row label. */
  name: string;
  /** The entry module's source (resolved from the repository root). */
  source: string;
}

/** The core modules and the in-memory stores: what mod.ts held when the budget was set. */
const CORE_AND_MEMORY = [
  "core/protocol",
  "core/capabilities",
  "core/errors",
  "core/ttl",
  "core/serialization",
  "core/envelope",
  "core/sanitization",
  "core/base_store",
  "stores/memory",
  "stores/null",
  "stores/simple",
].map((path) => `export * from "./${path}.ts";`).join(" ");

/** The entries compared; the first two carry the budget. */
export const IMPORT_ENTRIES: readonly ImportEntry[] = [
  { name: "@kv/core: all of mod.ts", source: `export * from "./mod.ts";` },
  { name: "@kv/core: core/ + in-memory stores", source: CORE_AND_MEMORY },
  {
    name: "@kv/core: `import { MemoryStore }` from mod.ts",
    source: `export { MemoryStore } from "./mod.ts";`,
  },
  {
    name: "@kv/core/stores/memory (MemoryStore)",
    source: `export { MemoryStore } from "./stores/memory.ts";`,
  },
  { name: "keyv", source: `export * from "keyv"; export { default } from "keyv";` },
  { name: "unstorage", source: `export * from "unstorage";` },
  { name: "cache-manager", source: `export * from "cache-manager";` },
  { name: "lru-cache", source: `export * from "lru-cache";` },
];

/** The size of one entry's bundle. */
export interface ImportCost {
  name: string;
  minified: number;
  gzip: number;
}

/** Bundles one entry and returns its minified and gzipped sizes in bytes. */
export function measureImport(entry: ImportEntry): ImportCost {
  const result = spawnSync(
    `${root}node_modules/.bin/esbuild`,
    [
      "--bundle",
      "--minify",
      "--format=esm",
      "--platform=node",
      "--main-fields=module,main",

      "--loader=ts",
      "--log-level=error",
    ],
    { cwd: root, input: entry.source, maxBuffer: 64 * 2 ** 20 },
  );
  if (result.status !== 0) {
    throw new Error(`esbuild failed for ${entry.name}: ${result.stderr?.toString() ?? ""}`);
  }
  const code = result.stdout;
  return { name: entry.name, minified: code.byteLength, gzip: gzipSync(code).byteLength };
}

/**
 * The gzip budget of mod.ts with MemoryStore, in bytes. It is checked on all
 * of mod.ts and on the part it held when the budget was set (core/ and the
 * in-memory stores), since mod.ts now also re-exports the wrappers and
 * adapters.
 */
export const IMPORT_BUDGET = 12 * 1024;

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Measures every entry and formats the markdown table. */
export function importCostReport(): { text: string; met: boolean } {
  const costs = IMPORT_ENTRIES.map(measureImport);
  const all = costs[0]!;
  const core = costs[1]!;
  const lines = [
    "### Import cost (esbuild --bundle --minify, gzip)",
    "",
    "| entry | minified | gzip | gzip ÷ all of mod.ts |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const c of costs) {
    lines.push(
      `| ${c.name} | ${kb(c.minified)} | ${kb(c.gzip)} | ${(c.gzip / all.gzip).toFixed(2)}x |`,
    );
  }
  const verdict = (c: ImportCost) =>
    `- ${c.gzip < IMPORT_BUDGET ? "met" : "NOT MET"}: ${c.name} (MemoryStore included) < ` +
    `${kb(IMPORT_BUDGET)} gzip (measured ${kb(c.gzip)})`;
  lines.push("", verdict(all), verdict(core));
  return {
    text: lines.join("\n") + "\n",
    met: all.gzip < IMPORT_BUDGET && core.gzip < IMPORT_BUDGET,
  };
}
