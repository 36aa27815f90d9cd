/**
 * Checks the layering of the library (SPEC.md section 2) over every import,
 * static, dynamic and type-only:
 *
 * - `core/` imports only `core/`;
 * - a store folder (`stores/file_tree/`, `stores/_resp/`, ...) imports only
 *   itself, `stores/_shared/` and `core/`; `stores/_shared/` imports only
 *   itself and `core/`; a store module at the top of `stores/` (`redis.ts`)
 *   imports `core/`, `stores/_shared/` and private `stores/_*` folders;
 * - `wrappers/` imports only `core/` and `wrappers/`; `adapters/` only
 *   `core/` and `adapters/`; `testing/` only `core/` and `testing/`;
 * - `registry.ts` imports only `core/` and `stores/memory.ts`;
 * - `open/` imports `core/`, itself and the stores' public modules
 *   (`stores/<name>.ts`, `stores/<name>/mod.ts`, `stores/<name>/sanitization.ts`);
 * - no import cycle among the library's modules, type-only ones included.
 *
 * Third-party imports are the business of `check_graph.ts` (which keeps the
 * portable part free of them). Run: `deno run -A scripts/check_layers.ts`;
 * exits 1 with a list of offenders.
 *
 * @module
 */

import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const LIBRARY = [
  "mod.ts",
  "registry.ts",
  "open",
  "core",
  "stores",
  "wrappers",
  "adapters",
  "testing",
];

/** Every library source file, relative to the root (tests excluded). */
async function libraryFiles(): Promise<string[]> {
  const files: string[] = [];
  async function walk(path: string): Promise<void> {
    const info = await Deno.stat(join(root, path));
    if (info.isFile) {
      if (path.endsWith(".ts") && !path.endsWith(".test.ts")) files.push(path);
      return;
    }
    const names: string[] = [];
    for await (const entry of Deno.readDir(join(root, path))) names.push(entry.name);
    for (const name of names.sort()) await walk(`${path}/${name}`);
  }
  for (const path of LIBRARY) {
    try {
      await walk(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return files;
}

/** Source without comments (JSDoc examples import the package by name). */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  /\bimport\s+["']([^"']+)["']/g,
];

/** The local modules `file` imports (relative specifiers), as root-relative paths. */
export function localImports(file: string, source: string): string[] {
  const code = stripComments(source);
  const found = new Set<string>();
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1]!;
      if (!specifier.startsWith(".")) continue;
      found.add(normalize(join(dirname(file), specifier)));
    }
  }
  return [...found];
}

/** The layer a file belongs to, for the rules below. */
function layerOf(file: string): string {
  const parts = file.split("/");
  if (parts.length === 1) return file; // mod.ts, registry.ts
  if (parts[0] === "stores") {
    return parts.length === 2 ? "stores/<module>" : `stores/${parts[1]}/`;
  }
  return `${parts[0]}/`;
}

/** A store's public module: `stores/redis.ts`, `stores/mongodb/mod.ts`, `stores/mongodb/sanitization.ts`. */
const PUBLIC_STORE = /^stores\/(?:[a-z][a-z0-9_]*\.ts|[a-z][a-z0-9_]*\/(?:mod|sanitization)\.ts)$/;

/** Why `from` may not import `to`, or `undefined` when it may. */
export function layerViolation(from: string, to: string): string | undefined {
  const layer = layerOf(from);
  const inside = (prefix: string) => to.startsWith(prefix);
  const core = inside("core/");
  switch (layer) {
    case "mod.ts":
      return undefined;
    case "registry.ts":
      return core || to === "stores/memory.ts"
        ? undefined
        : "registry.ts imports only core/ and stores/memory.ts";
    case "core/":
      return core ? undefined : "core/ imports only core/";
    case "open/":
      return core || inside("open/") || PUBLIC_STORE.test(to)
        ? undefined
        : "open/ imports only core/, open/ and the stores' public modules";
    case "wrappers/":
    case "adapters/":
    case "testing/":
      return core || inside(layer) ? undefined : `${layer} imports only core/ and ${layer}`;
    case "stores/<module>":
      return core || inside("stores/_shared/") || /^stores\/_[^/]+\//.test(to) || to === from
        ? undefined
        : "a store module imports only core/, stores/_shared/ and private stores/_* folders";
    case "stores/_shared/":
      return core || inside("stores/_shared/")
        ? undefined
        : "stores/_shared/ imports only itself and core/";
    default:
      // A store folder.
      return core || inside(layer) || inside("stores/_shared/")
        ? undefined
        : `${layer} imports only itself, stores/_shared/ and core/`;
  }
}

/** The cycles of a graph (Tarjan's strongly connected components of more than one node, or a self-loop). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) {
        found.push(component.sort());
      }
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) connect(node);
  return found;
}

if (import.meta.main) {
  const files = await libraryFiles();
  const graph = new Map<string, string[]>();
  const problems: string[] = [];
  for (const file of files) {
    const imports = localImports(file, await Deno.readTextFile(join(root, file)));
    graph.set(file, imports);
    for (const target of imports) {
      if (target.startsWith("..")) {
        problems.push(`${file} imports ${target}, outside the library`);
        continue;
      }
      const why = layerViolation(file, target);
      if (why !== undefined) problems.push(`${file} imports ${target}: ${why}`);
    }
  }
  for (const cycle of cycles(graph)) problems.push(`import cycle: ${cycle.join(" <-> ")}`);
  if (problems.length > 0) {
    console.error("The layering of @kv/core is broken:");
    for (const problem of problems) console.error(`  - ${problem}`);
    Deno.exit(1);
  }
  console.log(`check_layers: ${files.length} library modules, layers kept, no import cycles`);
}
