/**
 * What `deno task mutate` mutates and which unit tests judge each mutant.
 *
 * Targets are the modules of {@linkcode TARGET_GLOBS}. Each target has a
 * pool of unit test files chosen by folder ({@linkcode testPool}); of the
 * pool, a mutant runs only the files whose import graph (`deno info`)
 * reaches the mutated module, so a test that cannot see the change is not
 * run. The RESP store's tests that need a real Redis are integration tests:
 * RESP mutants are judged by `tests/unit/stores/_resp` alone.
 *
 * @example Matching targets
 * ```ts
 * import { globToRegExp, isTarget, testPool } from "./targets.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isTarget("core/ttl.ts"));
 * assert.ok(!isTarget("stores/mongodb/mod.ts"));
 * assert.ok(globToRegExp("stores/**").test("stores/file_tree/_node.ts"));
 * assert.deepEqual(testPool("stores/redis.ts"), ["tests/unit/stores/_resp"]);
 * ```
 *
 * @module
 */

/** The modules the check mutates, as globs relative to the repository root. */
export const TARGET_GLOBS: readonly string[] = Object.freeze([
  "core/*.ts",
  "wrappers/*.ts",
  "stores/memory.ts",
  "stores/simple.ts",
  "stores/file_tree/*.ts",
  "stores/_resp/*.ts",
  "stores/redis.ts",
]);

const CORE_TESTS = [
  "tests/unit/core",
  "tests/unit/stores/memory.test.ts",
  "tests/unit/stores/simple_null.test.ts",
  "tests/unit/wrappers/stack.test.ts",
  "tests/unit/testing",
];

/**
 * Converts a glob to a regular expression: `**` is any path, `*` any name
 * part, `?` one character; a glob without a wildcard also matches the
 * files below it as a folder.
 *
 * @param glob A path pattern relative to the repository root.
 * @returns An anchored expression over `/`-separated relative paths.
 * @example Usage
 * ```ts
 * import { globToRegExp } from "./targets.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(globToRegExp("wrappers/*.ts").test("wrappers/retry.ts"));
 * assert.ok(!globToRegExp("wrappers/*.ts").test("wrappers/x/retry.ts"));
 * assert.ok(globToRegExp("core").test("core/ttl.ts"));
 * ```
 */
export function globToRegExp(glob: string): RegExp {
  const clean = glob.replace(/^\.\//, "").replace(/\/$/, "");
  let pattern = "";
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]!;
    if (c === "*" && clean[i + 1] === "*") {
      pattern += ".*";
      i++;
      if (clean[i + 1] === "/") i++;
    } else if (c === "*") pattern += "[^/]*";
    else if (c === "?") pattern += "[^/]";
    else pattern += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(/[*?]/.test(clean) ? `^${pattern}$` : `^${pattern}(/.*)?$`);
}

/**
 * Whether a module is one the check mutates.
 *
 * @param path A path relative to the repository root.
 * @returns `true` for a non-test module matched by {@linkcode TARGET_GLOBS}.
 * @example Usage
 * ```ts
 * import { isTarget } from "./targets.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isTarget("wrappers/retry.ts"));
 * assert.ok(!isTarget("adapters/schema.ts"));
 * ```
 */
export function isTarget(path: string): boolean {
  if (path.endsWith(".test.ts") || path.endsWith(".d.ts")) return false;
  return TARGET_GLOBS.some((glob) => globToRegExp(glob).test(path));
}

/**
 * The unit test folders and files that may judge a mutant of a module,
 * before the import-graph filter.
 *
 * @param path A target module, relative to the repository root.
 * @returns Test folders and files, relative to the repository root.
 * @example Usage
 * ```ts
 * import { testPool } from "./targets.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(testPool("wrappers/retry.ts"), ["tests/unit/wrappers"]);
 * assert.ok(testPool("core/ttl.ts").includes("tests/unit/core"));
 * ```
 */
export function testPool(path: string): string[] {
  if (path.startsWith("core/")) return [...CORE_TESTS];
  if (path.startsWith("wrappers/")) return ["tests/unit/wrappers"];
  if (path === "stores/memory.ts") {
    return ["tests/unit/stores/memory.test.ts", "tests/unit/wrappers/stack.test.ts"];
  }
  if (path === "stores/simple.ts") return ["tests/unit/stores/simple_null.test.ts"];
  if (path.startsWith("stores/file_tree/")) return ["tests/unit/stores/file_tree"];
  if (path.startsWith("stores/_resp/") || path === "stores/redis.ts") {
    return ["tests/unit/stores/_resp"];
  }
  return [];
}

/**
 * Lists the target modules under a root, sorted.
 *
 * @param root The repository root.
 * @param only Globs that narrow the targets (`--files`); all when empty.
 * @returns Paths relative to the root.
 * @example Usage
 * ```ts
 * import { listTargets } from "./targets.ts";
 * import assert from "node:assert/strict";
 *
 * const files = await listTargets(new URL("../../", import.meta.url), ["core/ttl.ts"]);
 * assert.deepEqual(files, ["core/ttl.ts"]);
 * ```
 */
export async function listTargets(root: URL, only: readonly string[] = []): Promise<string[]> {
  const narrow = only.map(globToRegExp);
  const files = (await walk(root, ["core", "wrappers", "stores"])).filter((path) =>
    isTarget(path) && (narrow.length === 0 || narrow.some((re) => re.test(path)))
  );
  return files.sort();
}

/**
 * Expands test folders into their `*.test.ts` files, sorted.
 *
 * @param root The repository root.
 * @param entries Folders and files relative to the root.
 * @returns Test files relative to the root.
 * @example Usage
 * ```ts
 * import { expandTests } from "./targets.ts";
 * import assert from "node:assert/strict";
 *
 * const files = await expandTests(new URL("../../", import.meta.url), ["tests/unit/core"]);
 * assert.ok(files.includes("tests/unit/core/envelope.test.ts"));
 * ```
 */
export async function expandTests(root: URL, entries: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const entry of entries) {
    if (entry.endsWith(".ts")) files.add(entry);
    else {for (const path of await walk(root, [entry])) {
        if (path.endsWith(".test.ts")) files.add(path);
      }}
  }
  return [...files].sort();
}

/**
 * The local modules a test file imports, directly or not (static, dynamic
 * and type-only imports, as `deno info` follows them).
 *
 * @param root The repository root.
 * @param testFile A test file relative to the root.
 * @returns Paths relative to the root.
 * @example Usage
 * ```ts
 * import { importGraph } from "./targets.ts";
 * import assert from "node:assert/strict";
 *
 * const graph = await importGraph(new URL("../../", import.meta.url), "tests/unit/core/envelope.test.ts");
 * assert.ok(graph.has("core/envelope.ts"));
 * ```
 */
export async function importGraph(root: URL, testFile: string): Promise<Set<string>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", testFile],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  const modules = JSON.parse(new TextDecoder().decode(output.stdout)).modules as {
    specifier: string;
  }[];
  const local = new Set<string>();
  for (const { specifier } of modules) {
    if (specifier.startsWith(root.href)) local.add(specifier.slice(root.href.length));
  }
  return local;
}

async function walk(root: URL, dirs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string) => {
    for await (const entry of Deno.readDir(new URL(dir, root))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await visit(path);
      else if (entry.isFile && entry.name.endsWith(".ts")) found.push(path);
    }
  };
  for (const dir of dirs) await visit(dir);
  return found;
}
