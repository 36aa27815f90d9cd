/**
 * Runs mutants of `deno task mutate` in a scratch copy of the repository,
 * never in the working tree: the sources are copied once into a temporary
 * directory (node_modules and .cache are symlinked), and each mutant writes
 * one file there, runs, and restores it.
 *
 * A mutant is `unviable` when `deno check` of the mutated file fails,
 * `killed` when its unit tests fail (`deno test --fail-fast`, no type
 * check) or run past the timeout, and `survived` when they pass.
 *
 * @example A scratch copy
 * ```ts
 * import { Scratch } from "./runner.ts";
 * import assert from "node:assert/strict";
 *
 * const scratch = await Scratch.create(new URL("../../", import.meta.url));
 * try {
 *   const result = await scratch.run({
 *     file: "core/clock.ts",
 *     text: await Deno.readTextFile(new URL("../../core/clock.ts", import.meta.url)),
 *     tests: [],
 *     timeoutMs: 60_000,
 *   });
 *   assert.equal(result.status, "survived");
 * } finally {
 *   await scratch.remove();
 * }
 * ```
 *
 * @module
 */

import { cp, realpath, rm, symlink } from "node:fs/promises";

/** What happened to a mutant. */
export type Status = "killed" | "survived" | "unviable";

/** One run: the mutated text of one file and the tests that judge it. */
export interface Job {
  /** The mutated module, relative to the repository root. */
  file: string;
  /** Its mutated text. */
  text: string;
  /** The test files to run, relative to the root; none means only the type check. */
  tests: readonly string[];
  /** Time allowed for the tests; past it the mutant counts as killed. */
  timeoutMs: number;
}

/** The outcome of a {@linkcode Job}. */
export interface Outcome {
  /** See the module documentation. */
  status: Status;
  /** Why: "tests failed", "timeout", the type error's first line, ... */
  reason: string;
  /** Wall time of the run, in milliseconds. */
  ms: number;
}

const SKIP = new Set([".git", "node_modules", ".cache", ".services", "npm", "tools"]);
const LINK = ["node_modules", ".cache"];

/** A temporary copy of the repository that runs one job at a time. */
export class Scratch {
  /** The copy's root, as a path. */
  readonly dir: string;
  readonly #originals = new Map<string, string>();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Copies the repository (all but .git, npm/, tools/ and the service
   * data) into a new temporary directory.
   *
   * @param root The repository root.
   * @returns The scratch copy; call {@linkcode Scratch.prototype.remove} when done.
   */
  static async create(root: URL): Promise<Scratch> {
    const dir = await Deno.makeTempDir({ prefix: "kv-mutate-" });
    for await (const entry of Deno.readDir(root)) {
      if (SKIP.has(entry.name)) continue;
      await cp(new URL(entry.name, root), `${dir}/${entry.name}`, { recursive: true });
    }
    for (const name of LINK) {
      try {
        await symlink(await realpath(new URL(name, root)), `${dir}/${name}`);
      } catch (error) {
        if (
          !(error instanceof Deno.errors.NotFound) && (error as { code?: string }).code !== "ENOENT"
        ) {
          throw error;
        }
      }
    }
    return new Scratch(dir);
  }

  /**
   * Runs one job: writes the mutated file, type-checks it, runs the tests,
   * and restores the file whatever happened.
   *
   * @param job What to run.
   * @returns The outcome.
   */
  async run(job: Job): Promise<Outcome> {
    const started = Date.now();
    const path = `${this.dir}/${job.file}`;
    if (!this.#originals.has(job.file)) {
      this.#originals.set(job.file, await Deno.readTextFile(path));
    }
    await Deno.writeTextFile(path, job.text);
    try {
      const check = await this.#deno(["check", "--quiet", job.file], 120_000);
      if (!check.ok) {
        const reason = check.output.split("\n").find((line) => /error/i.test(line)) ?? "type error";
        return { status: "unviable", reason: reason.trim(), ms: Date.now() - started };
      }
      if (job.tests.length === 0) {
        return { status: "survived", reason: "no test", ms: Date.now() - started };
      }
      const test = await this.#deno(
        ["test", "-A", "--no-check", "--fail-fast", ...job.tests],
        job.timeoutMs,
      );
      const ms = Date.now() - started;
      if (test.timedOut) return { status: "killed", reason: "timeout", ms };
      return test.ok ? { status: "survived", reason: "tests passed", ms } : {
        status: "killed",
        reason: failedTest(test.output),
        ms,
      };
    } finally {
      await Deno.writeTextFile(path, this.#originals.get(job.file)!);
    }
  }

  /** Deletes the copy. */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  async #deno(args: string[], timeoutMs: number) {
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: this.dir,
      env: { NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        child.kill("SIGKILL");
      } catch {
        // it exited meanwhile
      }
    }, timeoutMs);
    const output = await child.output();
    clearTimeout(timer);
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    return { ok: output.success && !timedOut, timedOut, output: text };
  }
}

/** The first failing test's name in `deno test` output, or a generic reason. */
function failedTest(output: string): string {
  const line = output.split("\n").find((l) => / => .*:\d+:\d+$/.test(l));
  return line ? `failed: ${line.split(" => ")[0]!.trim()}` : "tests failed";
}
