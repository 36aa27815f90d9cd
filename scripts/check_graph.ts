/**
 * Checks the import graph and the runtime neutrality of the portable part of
 * the library (SPEC.md section 2):
 *
 * 1. `mod.ts`, `core/`, `wrappers/`, `adapters/` and the memory, null and
 *    simple stores reach only local modules: no npm package (so no database
 *    client, not even lazily or type-only), no `node:` built-in, no `jsr:` or
 *    remote import. The graph comes from `deno info --json`, which follows
 *    static, dynamic and type-only imports.
 * 2. Those files use only Web-standard APIs: no `Deno.`, `Buffer`, `process.`
 *    or `require(` outside comments.
 *
 * Run: `deno run -A scripts/check_graph.ts`; exits 1 with a list of
 * offenders.
 *
 * @module
 */

const root = new URL("../", import.meta.url);

async function portableEntryPoints(): Promise<string[]> {
  const files = ["mod.ts", "stores/memory.ts", "stores/null.ts", "stores/simple.ts"];
  for (const dir of ["core", "wrappers", "adapters"]) {
    try {
      for await (const entry of Deno.readDir(new URL(dir, root))) {
        if (entry.isFile && entry.name.endsWith(".ts")) files.push(`${dir}/${entry.name}`);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return files.sort();
}

interface Module {
  specifier: string;
  dependencies?: {
    specifier: string;
    code?: { specifier?: string };
    type?: { specifier?: string };
  }[];
}

async function graph(file: string): Promise<Module[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", file],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout)).modules as Module[];
}

/** Anything but a local source file: npm, node:, jsr:, https:, or node_modules. */
function isThirdParty(specifier: string): boolean {
  return !specifier.startsWith("file:") || specifier.includes("/node_modules/");
}

const FORBIDDEN_GLOBALS = [/\bDeno\./, /\bBuffer\b/, /\bprocess\./, /\brequire\(/];

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

const problems: string[] = [];
const seen = new Set<string>();
for (const file of await portableEntryPoints()) {
  for (const module of await graph(file)) {
    for (const dep of module.dependencies ?? []) {
      for (const target of [dep.code?.specifier, dep.type?.specifier]) {
        if (target && isThirdParty(target)) {
          problems.push(`${module.specifier} imports ${target} (reached from ${file})`);
        }
      }
    }
    if (isThirdParty(module.specifier)) {
      problems.push(`${file} reaches ${module.specifier}`);
      continue;
    }
    if (seen.has(module.specifier)) continue;
    seen.add(module.specifier);
    const source = stripComments(await Deno.readTextFile(new URL(module.specifier)));
    for (const pattern of FORBIDDEN_GLOBALS) {
      if (pattern.test(source)) {
        problems.push(`${module.specifier} uses ${pattern.source} (not Web-standard)`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error("The portable part of @kv/core reaches something it must not:");
  for (const problem of [...new Set(problems)]) console.error(`  - ${problem}`);
  Deno.exit(1);
}
console.log(`check_graph: ${seen.size} portable modules, only local Web-standard imports`);
