/**
 * The mutation check: applies small deliberate bugs to core/, wrappers/ and
 * the memory, simple, file-tree and RESP stores, runs the unit tests that
 * exercise each mutated module, and reports how many mutants the suite
 * kills. Run on demand (it takes about 15-20 minutes on this two-core machine):
 *
 * ```sh
 * deno task mutate                       # the default seeded sample
 * deno task mutate --files 'wrappers/*.ts' --max 40
 * deno task mutate --list --all          # every site, nothing run
 * ```
 *
 * Options:
 *
 * - `--files GLOB` narrows the targets (repeatable or comma-separated;
 *   `**`, `*`, `?`; a folder matches the files below it).
 * - `--operators NAMES` narrows the operators (comma-separated; see
 *   `scripts/mutate/operators.ts` for the list and what each does).
 * - `--max N` (default 560) mutants, sampled by `--seed S` (default 1) one
 *   operator at a time in turn; `--all` runs every site.
 * - `--timeout SECONDS` per mutant; by default three times the baseline
 *   time of its tests plus 10 s, at least 30 s.
 * - `--jobs N` (default 4) mutants at once, each in its own scratch copy.
 * - `--list` prints the sampled mutants without running them.
 *
 * How it works: sites are found in the syntax tree (never in comments,
 * JSDoc, strings or types; see `scripts/mutate/operators.ts`); mutants run
 * in scratch copies of the repository in a temporary directory, never in
 * the working tree (`scripts/mutate/runner.ts`); each runs only the unit
 * test files of its module's folder that import it
 * (`scripts/mutate/targets.ts`), with `--fail-fast`. First every needed
 * test file runs once unmutated: a failing baseline stops the check, since
 * its kills would mean nothing. A mutant is *unviable* when `deno check` of
 * the mutated file fails (not counted), *killed* when its tests fail or
 * time out, *survived* when they pass. The RESP store's tests that need a
 * real Redis are integration tests and are not run: RESP mutants are judged
 * by `tests/unit/stores/_resp` alone. Survivors are printed as
 * `file:line: original -> mutated`, and the last line is
 * `mutation score: K killed of N (P%), U unviable, S survived`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { findSites, OPERATORS, type Site } from "./mutate/operators.ts";
import { applySite, describeSite } from "./mutate/apply.ts";
import { sample } from "./mutate/sample.ts";
import { expandTests, importGraph, listTargets, testPool } from "./mutate/targets.ts";
import { type Outcome, Scratch } from "./mutate/runner.ts";

const root = new URL("../", import.meta.url);
const USAGE = "deno task mutate [--files GLOB] [--operators a,b] [--max N | --all] [--seed S]\n" +
  "                 [--timeout SECONDS] [--jobs N] [--list]\n" +
  `operators: ${OPERATORS.join(", ")}\nsee the JSDoc of scripts/mutate.ts`;

interface Mutant {
  file: string;
  site: Site;
  operator: string;
  where: string;
  tests: string[];
  outcome?: Outcome;
}

interface Config {
  globs: string[];
  operators: string[];
  max: number;
  seed: number;
  jobs: number;
  timeout: number | undefined;
  list: boolean;
}

/** Parses the command line; throws a TypeError naming a bad option. */
function parseConfig(argv: string[]): Config | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: "string", multiple: true, default: [] },
      operators: { type: "string" },
      max: { type: "string", default: "560" },
      all: { type: "boolean", default: false },
      seed: { type: "string", default: "1" },
      timeout: { type: "string" },
      jobs: { type: "string", default: "4" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return undefined;
  const integer = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) {
      throw new TypeError(`--${name} must be an integer >= ${min}, got ${text}`);
    }
    return n;
  };
  const split = (list: string[]) => list.flatMap((s) => s.split(",")).map((s) => s.trim());
  const operators = values.operators === undefined
    ? [...OPERATORS]
    : split([values.operators]).filter(Boolean);
  for (const name of operators) {
    if (!OPERATORS.includes(name)) {
      throw new TypeError(`unknown operator ${name}; operators: ${OPERATORS.join(", ")}`);
    }
  }
  return {
    globs: split(values.files).filter(Boolean),
    operators,
    max: values.all ? Infinity : integer("max", values.max, 1),
    seed: integer("seed", values.seed, 0),
    jobs: integer("jobs", values.jobs, 1),
    timeout: values.timeout === undefined ? undefined : integer("timeout", values.timeout, 1),
    list: values.list,
  };
}

/** Every site of the targets, with the sources they were found in. */
async function collect(config: Config) {
  const sources = new Map<string, string>();
  const all: Mutant[] = [];
  for (const file of await listTargets(root, config.globs)) {
    const text = await Deno.readTextFile(new URL(file, root));
    sources.set(file, text);
    for (const site of findSites(text, file)) {
      if (!config.operators.includes(site.operator)) continue;
      const where = `${file}:${site.line}: ${describeSite(text, site)}`;
      all.push({ file, site, operator: site.operator, where, tests: [] });
    }
  }
  return { sources, all };
}

/** Gives each mutant the test files of its pool that import its module. */
async function assignTests(mutants: Mutant[], jobs: number) {
  const pools = new Map<string, string[]>();
  for (const m of mutants) {
    if (!pools.has(m.file)) pools.set(m.file, await expandTests(root, testPool(m.file)));
  }
  const graphs = new Map<string, Set<string>>();
  const pending = [...new Set([...pools.values()].flat())];
  await Promise.all(Array.from({ length: jobs }, async () => {
    for (let test = pending.pop(); test !== undefined; test = pending.pop()) {
      graphs.set(test, await importGraph(root, test));
    }
  }));
  for (const m of mutants) {
    m.tests = pools.get(m.file)!.filter((test) => graphs.get(test)!.has(m.file));
  }
}

/** Runs `work` on every item, one item per scratch copy at a time. */
async function pool<T>(
  scratches: Scratch[],
  items: readonly T[],
  work: (item: T, scratch: Scratch) => Promise<void>,
) {
  let next = 0;
  await Promise.all(scratches.map(async (scratch) => {
    while (next < items.length) await work(items[next++]!, scratch);
  }));
}

/** Runs every needed test file unmutated; returns each one's time, or the failures. */
async function runBaseline(scratches: Scratch[], mutants: Mutant[], sources: Map<string, string>) {
  const times = new Map<string, number>();
  const red: string[] = [];
  const needed = [...new Set(mutants.flatMap((m) => m.tests))].sort();
  console.log(`baseline: ${needed.length} unit test files, unmutated`);
  await pool(scratches, needed, async (test, scratch) => {
    const file = mutants.find((m) => m.tests.includes(test))!.file;
    const text = sources.get(file)!;
    const result = await scratch.run({ file, text, tests: [test], timeoutMs: 600_000 });
    times.set(test, result.ms);
    if (result.status !== "survived") red.push(`${test}: ${result.reason}`);
  });
  return { times, red };
}

async function runMutants(config: Config, mutants: Mutant[], sources: Map<string, string>) {
  const scratches = await Promise.all(
    Array.from({ length: config.jobs }, () => Scratch.create(root)),
  );
  const cleanup = () => Promise.all(scratches.map((s) => s.remove()));
  const onInterrupt = () => void cleanup().finally(() => Deno.exit(130));
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    const { times, red } = await runBaseline(scratches, mutants, sources);
    if (red.length > 0) {
      console.error(
        `the unmutated tests fail, so kills would mean nothing:\n  ${red.join("\n  ")}`,
      );
      return false;
    }
    let done = 0;
    await pool(scratches, mutants, async (m, scratch) => {
      const base = m.tests.reduce((sum, test) => sum + times.get(test)!, 0);
      const timeoutMs = config.timeout !== undefined
        ? config.timeout * 1000
        : Math.max(30_000, 3 * base + 10_000);
      const text = applySite(sources.get(m.file)!, m.site);
      m.outcome = await scratch.run({ file: m.file, text, tests: m.tests, timeoutMs });
      const seconds = (m.outcome.ms / 1000).toFixed(1);
      const why = m.outcome.status === "survived" ? "" : `: ${m.outcome.reason.slice(0, 100)}`;
      console.error(
        `[${++done}/${mutants.length}] ${m.outcome.status} ${m.where} (${seconds}s${why})`,
      );
    });
    return true;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    await cleanup();
  }
}

function report(config: Config, mutants: Mutant[], minutes: string) {
  const count = (list: Mutant[], status: string) =>
    list.filter((m) => m.outcome?.status === status).length;
  console.log(`\nby operator (killed/viable, unviable):`);
  for (const name of config.operators) {
    const of = mutants.filter((m) => m.operator === name);
    if (of.length === 0) continue;
    const killed = count(of, "killed");
    const viable = killed + count(of, "survived");
    console.log(`  ${name.padEnd(13)} ${killed}/${viable}, ${count(of, "unviable")} unviable`);
  }
  const survivors = mutants.filter((m) => m.outcome?.status === "survived");
  console.log(`\nsurvivors (${survivors.length}):`);
  for (const m of survivors) {
    console.log(`${m.where}${m.tests.length === 0 ? "  (no unit test imports this module)" : ""}`);
  }
  const killed = count(mutants, "killed");
  const viable = killed + survivors.length;
  const percent = viable === 0 ? 0 : Math.round((1000 * killed) / viable) / 10;
  const unviable = count(mutants, "unviable");
  console.log(`\n${minutes} min with ${config.jobs} jobs`);
  console.log(
    `mutation score: ${killed} killed of ${viable} (${percent}%), ${unviable} unviable, ${survivors.length} survived`,
  );
}

/** Runs the check with command-line arguments; returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const started = Date.now();
  let config: Config | undefined;
  try {
    config = parseConfig(argv);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    console.error(`error: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (config === undefined) {
    console.log(USAGE);
    return 0;
  }
  const { sources, all } = await collect(config);
  if (all.length === 0) {
    console.error(`no mutation site in ${config.globs.join(", ") || "the targets"}`);
    return 1;
  }
  const mutants = sample(all, config.max, config.seed);
  console.log(
    `${mutants.length} mutants of ${all.length} sites in ${sources.size} files (seed ${config.seed})`,
  );
  if (config.list) {
    for (const m of mutants) console.log(`${m.where}  [${m.operator}]`);
    return 0;
  }
  await assignTests(mutants, config.jobs);
  console.log(
    "note: RESP tests that need a real Redis are integration tests; RESP mutants are judged by the unit tests in tests/unit/stores/_resp only",
  );
  if (!await runMutants(config, mutants, sources)) return 2;
  report(config, mutants, ((Date.now() - started) / 60_000).toFixed(1));
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
