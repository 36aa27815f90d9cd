/**
 * Runs `deno doc --lint` on every public module: the targets of deno.json's
 * `exports`, so a new store or wrapper is covered as soon as it is exported.
 *
 * @module
 */

const root = new URL("../", import.meta.url);
const denoJson = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
const files = [...new Set(Object.values(denoJson.exports as Record<string, string>))];
const { success } = await new Deno.Command(Deno.execPath(), {
  args: ["doc", "--lint", ...files],
  cwd: root,
  stdout: "inherit",
  stderr: "inherit",
}).spawn().status;
if (!success) Deno.exit(1);
