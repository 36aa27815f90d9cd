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
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** One bundle to measure. */
export interface ImportEntry {
  /** The row label. */
  name: string;
  /** The entry module's source (resolved from the repository root). */
  source: string;
}

/** The entries compared; the first two carry the target. */
export const IMPORT_ENTRIES: readonly ImportEntry[] = [
  { name: "@kv/core (all of mod.ts)", source: `export * from "./mod.ts";` },
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

/** The gzip budget of mod.ts (which includes MemoryStore), in bytes. */
export const IMPORT_BUDGET = 12 * 1024;

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Measures every entry and formats the markdown table. */
export function importCostReport(): { text: string; met: boolean } {
  const costs = IMPORT_ENTRIES.map(measureImport);
  const ours = costs[0]!;
  const lines = [
    "### Import cost (esbuild --bundle --minify, gzip)",
    "",
    "| entry | minified | gzip | gzip ÷ all of @kv/core |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const c of costs) {
    lines.push(
      `| ${c.name} | ${kb(c.minified)} | ${kb(c.gzip)} | ${(c.gzip / ours.gzip).toFixed(2)}x |`,
    );
  }
  const met = ours.gzip < IMPORT_BUDGET;
  lines.push(
    "",
    `- ${met ? "met" : "NOT MET"}: mod.ts (MemoryStore included) < ${kb(IMPORT_BUDGET)} gzip` +
      ` (measured ${kb(ours.gzip)})`,
  );
  return { text: lines.join("\n") + "\n", met };
}
