/**
 * Builds the npm package into `npm/`: ESM and `.d.ts` emitted by `tsc` from
 * the same TypeScript sources JSR publishes, plus a `package.json` whose
 * `exports` mirror `deno.json`'s subpath for subpath. The project's tests are
 * compiled beside it (into `npm/tests/`, not published) so they run against
 * the built JavaScript under Node and Bun.
 *
 * The build fails when an export of `deno.json` was not built, or when a
 * public built file is missing from the exports (the check of Hono's
 * `validate-exports`, in both directions).
 *
 * Run: `deno task build:npm`.
 *
 * @module
 */

import { CLIENTS, type Floors, peerRange } from "./_client_ranges.ts";

const root = new URL("../", import.meta.url);
const out = new URL("npm/", root);
const denoJson = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
const rootPackage = JSON.parse(await Deno.readTextFile(new URL("package.json", root)));

/** The lowest supported client versions (see its `about`). */
const floors = JSON.parse(
  await Deno.readTextFile(new URL("scripts/client_floors.json", root)),
).clients as Floors;

async function run(cmd: string, args: string[]): Promise<void> {
  const status = await new Deno.Command(cmd, {
    args,
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  })
    .spawn().status;
  if (!status.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
}

async function copyTree(from: URL, to: URL): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) {
      await copyTree(new URL(`${entry.name}/`, from), new URL(`${entry.name}/`, to));
    } else await Deno.copyFile(new URL(entry.name, from), new URL(entry.name, to));
  }
}

await Deno.remove(out, { recursive: true }).catch(() => {});
await Deno.mkdir(out, { recursive: true });

const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2024", "DOM", "DOM.Iterable", "DOM.AsyncIterable"],
    rewriteRelativeImportExtensions: true,
    declaration: true,
    rootDir: "..",
    outDir: ".",
    strict: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    noUncheckedIndexedAccess: true,
    useUnknownInCatchVariables: true,
    skipLibCheck: true,
    types: ["node"],
    typeRoots: ["../node_modules/@types"],
  },
  include: [
    "../mod.ts",
    "../registry.ts",
    "../open/**/*.ts",
    "../core/**/*.ts",
    "../stores/**/*.ts",
    "../wrappers/**/*.ts",
    "../adapters/**/*.ts",
    "../testing/**/*.ts",
    "../tests/**/*.ts",
  ],
  exclude: ["../tests/browser/**", "../tests/unit/scripts/**"], // the scripts are Deno tools
};
await Deno.writeTextFile(new URL("tsconfig.json", out), JSON.stringify(tsconfig, null, 2));
await run(new URL("node_modules/.bin/tsc", root).pathname, ["-p", "npm/tsconfig.json"]);
await Deno.remove(new URL("tsconfig.json", out));
await copyTree(new URL("tests/testdata/", root), new URL("tests/testdata/", out));

// package.json with exports mirroring deno.json.
interface Target {
  types: string;
  browser?: { types: string; import: string; default: string };
  import: string;
  default: string;
}
const exportsMap: Record<string, Target> = {};
/** Extra exports beyond deno.json's: tools read the manifest through `./package.json`. */
const manifestExport = { "./package.json": "./package.json" };
/**
 * `browser` export conditions (deno.json, like JSR, has none): a subpath
 * whose browser build is another of deno.json's exports, so a bundle for a
 * browser never sees the Node code of the subpath's own module. `types` stays
 * first (the Node module's types describe both), `browser` comes before
 * `import` (which a browser bundler matches too).
 */
const browserExports: Record<string, string> = {
  "./stores/file-tree": "./stores/file-tree/web",
};
const built = (file: string) => file.replace(/\.ts$/, "");
for (const [subpath, file] of Object.entries(denoJson.exports as Record<string, string>)) {
  const base = built(file);
  const web = browserExports[subpath];
  const browserFile = web === undefined ? undefined : denoJson.exports[web] as string | undefined;
  if (web !== undefined && browserFile === undefined) {
    throw new Error(`browser export ${subpath} -> ${web} is not in deno.json's exports`);
  }
  const browser = browserFile === undefined ? {} : {
    browser: {
      types: `${built(browserFile)}.d.ts`,
      import: `${built(browserFile)}.js`,
      default: `${built(browserFile)}.js`,
    },
  };
  exportsMap[subpath] = {
    types: `${base}.d.ts`,
    ...browser,
    import: `${base}.js`,
    default: `${base}.js`,
  };
}
const versions = rootPackage.devDependencies as Record<string, string>;
const peerDependencies: Record<string, string> = {};
const peerDependenciesMeta: Record<string, { optional: true }> = {};
for (const name of CLIENTS) {
  peerDependencies[name] = peerRange(floors, name, versions[name]!);
  peerDependenciesMeta[name] = { optional: true };
}
const pkg = {
  name: denoJson.name,
  version: denoJson.version,
  description:
    "One async key-value protocol, many stores (memory, file tree, Deno KV, Redis, Valkey, Memcached, MongoDB, Elasticsearch, DynamoDB), stackable wrappers; py-key-value compatible.",
  license: denoJson.license,
  type: "module",
  sideEffects: false,
  // The project's repository (no public address is recorded in README or deno.json yet:
  // this one is the project's placeholder, see issue 13).
  repository: { type: "git", url: "git+https://github.com/kv-core/kv.git" },
  homepage: "https://github.com/kv-core/kv#readme",
  bugs: { url: "https://github.com/kv-core/kv/issues" },
  keywords: [
    "key-value",
    "kv",
    "cache",
    "storage",
    "redis",
    "valkey",
    "memcached",
    "mongodb",
    "elasticsearch",
    "dynamodb",
    "deno-kv",
    "py-key-value",
  ],
  engines: { node: ">=20" },
  exports: { ...exportsMap, ...manifestExport },
  files: [
    "mod.*",
    "registry.*",
    "open/",
    "core/",
    "stores/",
    "wrappers/",
    "adapters/",
    "testing/",
    "README.md",
    "LICENSE",
  ],
  peerDependencies,
  peerDependenciesMeta,
};
await Deno.writeTextFile(new URL("package.json", out), JSON.stringify(pkg, null, 2) + "\n");
for (const file of ["README.md", "LICENSE"]) {
  await Deno.copyFile(new URL(file, root), new URL(file, out));
}

// Check: every export was built, and every public built module is exported.
const problems: string[] = [];
const exported = new Set<string>();
for (const [subpath, target] of Object.entries(exportsMap)) {
  for (const path of [target.types, target.import]) {
    try {
      await Deno.stat(new URL(path, out));
    } catch {
      problems.push(`export ${subpath} -> ${path} was not built`);
    }
  }
  exported.add(target.import.slice(2));
}
for (const dir of ["core", "stores", "wrappers", "adapters", "testing"]) {
  try {
    for await (const entry of Deno.readDir(new URL(`${dir}/`, out))) {
      const name = entry.name;
      if (!name.endsWith(".js") || name.startsWith("_")) continue;
      if (!exported.has(`${dir}/${name}`)) {
        problems.push(`${dir}/${name} is built but not exported`);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
if (problems.length > 0) {
  console.error("npm build: deno.json exports and the built package disagree:");
  for (const problem of problems) console.error(`  - ${problem}`);
  Deno.exit(1);
}
console.log(
  `npm build: ${
    Object.keys(exportsMap).length
  } exports written to npm/ (${pkg.name}@${pkg.version})`,
);
