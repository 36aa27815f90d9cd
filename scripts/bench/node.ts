/**
 * Runs the benchmarks under Node on the npm build: `deno task bench:node`.
 *
 * 1. Builds the npm package (`deno task build:npm`, into `npm/`) unless
 *    `npm/mod.js` exists and `--no-build` is given.
 * 2. Bundles `main.ts` with esbuild into `npm/.bench/` (one chunk per
 *    scenario group);
 *    every import of a library source file (`mod.ts`, `stores/*.ts`,
 *    `wrappers/*.ts`, ...) is redirected to the npm build's JavaScript
 *    (`npm/mod.js`, ...) and left external, and npm packages stay external,
 *    so Node loads the published code and the peers from node_modules.
 * 3. Runs the bundle with `node` (or `$NODE`), passing the other arguments
 *    through (scenario names, `--out FILE`, `--check`).
 *
 * @module
 */

import * as esbuild from "esbuild";

const root = new URL("../../", import.meta.url);
const bench = new URL("scripts/bench/", root);
// Inside npm/ (excluded from fmt and lint, rebuilt by every build) and under
// the repository, so Node finds the peers in its node_modules.
const outdir = new URL("npm/.bench/", root);

const args = Deno.args.filter((arg) => arg !== "--no-build");
const exists = (url: URL) => Deno.stat(url).then(() => true, () => false);
if (!Deno.args.includes("--no-build") || !(await exists(new URL("npm/mod.js", root)))) {
  const status = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/build_npm.ts"],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  if (!status.success) Deno.exit(status.code);
}

const rootPath = decodeURIComponent(root.pathname);
const benchPath = decodeURIComponent(bench.pathname);

/** Maps a library source file to its npm-build counterpart (npm/<same path>.js). */
const toNpmBuild: esbuild.Plugin = {
  name: "library-from-npm-build",
  setup(build) {
    build.onResolve({ filter: /\.ts$/ }, async (args) => {
      if (args.kind === "entry-point") return undefined;
      const path = decodeURIComponent(new URL(args.path, `file://${args.resolveDir}/`).pathname);
      if (!path.startsWith(rootPath) || path.startsWith(benchPath)) return undefined;
      const built = new URL(`npm/${path.slice(rootPath.length).replace(/\.ts$/, ".js")}`, root);
      if (!(await exists(built))) {
        return { errors: [{ text: `${built.pathname} is missing: is the npm build current?` }] };
      }
      return { path: built.href, external: true };
    });
  },
};

// Code splitting keeps each group's dynamic import a chunk of its own, so a
// group's process loads only its own peers (see main.ts).
await Deno.remove(outdir, { recursive: true }).catch(() => {});
await esbuild.build({
  entryPoints: { main: decodeURIComponent(new URL("main.ts", bench).pathname) },
  outdir: decodeURIComponent(outdir.pathname),
  outExtension: { ".js": ".mjs" },
  splitting: true,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  banner: { js: `globalThis.KV_BENCH_LIBRARY = "npm build (npm/, compiled by tsc)";` },
  plugins: [toNpmBuild],
  logLevel: "warning",
});
await esbuild.stop();

const node = Deno.env.get("NODE") ?? "node";
const status = await new Deno.Command(node, {
  args: ["--expose-gc", decodeURIComponent(new URL("main.mjs", outdir).pathname), ...args],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).spawn().status;
Deno.exit(status.code);
