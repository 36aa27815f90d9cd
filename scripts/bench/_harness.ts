/**
 * The benchmark harness: runs a scenario's cases in the same process, warm,
 * with interleaved rounds, and prints a markdown table of operations per
 * second and ratios.
 *
 * Fairness rules, applied to every scenario:
 * - every case runs on the same data (see `_data.ts`) in the same process;
 * - every case is warmed up before timing starts;
 * - rounds are interleaved (A B C, then C B A, ...) so drift in the machine
 *   (thermal, GC, other load) spreads over all cases instead of one;
 * - a sample repeats the case until at least `minSampleMs` elapsed, and the
 *   reported number is the median of the rounds' samples;
 * - with `--expose-gc` (the bench tasks pass it), a full collection runs
 *   before each sample, so garbage one case leaves is not collected on the
 *   next case's time;
 * - in-process scenarios count the process's CPU time (ops/CPU-s), which a
 *   busy machine does not distort; scenarios that wait on a server count
 *   elapsed time (ops/s).
 *
 * Only `node:` APIs and Web APIs are used, so the same file runs under Deno
 * and under Node (see `node.ts`).
 *
 * @module
 */

import os from "node:os";
import process from "node:process";

/** One thing to time: each call of `run` performs `ops` operations. */
export interface Case {
  /** The row label. */
  name: string;
  /** Performs `ops` operations. */
  run: () => Promise<unknown> | unknown;
  /** How many operations one call of `run` performs. */
  ops: number;
}

/** A minimum ratio of the subject to a peer that the project promises. */
export interface Target {
  /** The peer's case name. */
  peer: string;
  /** The smallest acceptable `subject ÷ peer` ops/s ratio. */
  min: number;
}

/** A group of cases timed together; ratios are `subject ÷ case`. */
export interface Scenario {
  /** The table title. */
  title: string;
  /** The name of our case, the numerator of every ratio. */
  subject: string;
  /** The cases, the subject among them. */
  cases: Case[];
  /** The ratios the project promises. */
  targets?: Target[];
  /** A note printed under the table. */
  note?: string;
  /**
   * What a sample measures: `"cpu"`, the process's CPU time (for work that
   * never waits, it ignores the time other processes take the CPU, so it is
   * steady on a busy machine), or `"wall"`, elapsed time (for work that
   * waits on a server). @default {"cpu"}
   */
  clock?: "cpu" | "wall";
  /**
   * Reads the CPU time the server has used so far, in milliseconds; when
   * given, each row also shows the server's CPU per operation.
   */
  serverCpuMs?: () => Promise<number>;
}

/** Timing settings. */
export interface RunOptions {
  /** Timed rounds per case. @default {9} */
  rounds?: number;
  /** The least time one sample takes, in milliseconds. @default {150} */
  minSampleMs?: number;
  /** Untimed warm-up per case, in milliseconds. @default {300} */
  warmupMs?: number;
}

/** One case's result. */
export interface CaseResult {
  name: string;
  /** Median ops/s over the rounds. */
  opsPerSec: number;
  /** (max − min) ÷ median of the rounds, a spread indicator. */
  spread: number;
  /** Median CPU time of this process per operation, in microseconds. */
  cpuMicrosPerOp: number;
  /** Median server CPU time per operation, in microseconds, when measured. */
  serverMicrosPerOp?: number;
}

/** A scenario's result. */
export interface ScenarioResult {
  scenario: Scenario;
  results: CaseResult[];
  /** One line per target: met or not. */
  verdicts: { target: Target; ratio: number; met: boolean }[];
}

/** The settings from the environment (BENCH_ROUNDS, BENCH_SAMPLE_MS, BENCH_WARMUP_MS). */
export function optionsFromEnv(): Required<RunOptions> {
  const num = (name: string, fallback: number): number => {
    const raw = process.env[name];
    const value = raw === undefined ? NaN : Number(raw);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    rounds: num("BENCH_ROUNDS", 9),
    minSampleMs: num("BENCH_SAMPLE_MS", 150),
    warmupMs: num("BENCH_WARMUP_MS", 300),
  };
}

/**
 * Compiles a loop that awaits `call` (an expression in `i`) for `i` from 0 to
 * `n - 1`, with `bindings` in scope, and returns the last result.
 *
 * Each call compiles a fresh function on purpose: in V8, closures made from
 * one function literal share their type feedback, so one loop shared by all
 * cases would see every case's functions at its call site, turn megamorphic
 * and slow each case by what the others do. A case of its own, with its own
 * feedback, measures what an application's own call site would see.
 *
 * @example
 * ```ts ignore
 * const run = compileLoop(keys.length, "get(keys[i])", { get: (k) => store.get(k), keys });
 * ```
 */
export function compileLoop(
  n: number,
  call: string,
  bindings: Record<string, unknown>,
): () => Promise<unknown> {
  const names = Object.keys(bindings);
  const body = `return async function loop() {
    let last;
    for (let i = 0; i < ${n}; i++) last = await ${call};
    return last;
  };`;
  return new Function(...names, body)(...names.map((name) => bindings[name]));
}

/** Milliseconds of the chosen clock since an arbitrary origin. */
function now(clock: "cpu" | "wall"): number {
  return clock === "wall" ? performance.now() : cpuMs();
}

/** The engine's collector when exposed (`--expose-gc`), else `undefined`. */
const collectGarbage = (globalThis as { gc?: () => void }).gc;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** One sample: ops per second of the scenario's clock, and CPU µs per op. */
interface Sample {
  opsPerSec: number;
  cpuMicrosPerOp: number;
  serverMicrosPerOp: number;
}

/**
 * Runs `c` until `minMs` of `clock` time passed.
 * A full collection runs first (untimed, when exposed), so no case pays for
 * the garbage of the case before it.
 */
async function sample(
  c: Case,
  minMs: number,
  clock: "cpu" | "wall",
  serverCpuMs: (() => Promise<number>) | undefined,
): Promise<Sample> {
  collectGarbage?.();
  const serverStart = serverCpuMs ? await serverCpuMs() : 0;
  let ops = 0;
  const cpuStart = cpuMs();
  const start = now(clock);
  let elapsed = 0;
  do {
    await c.run();
    ops += c.ops;
    elapsed = now(clock) - start;
  } while (elapsed < minMs);
  const cpu = cpuMs() - cpuStart;
  const server = serverCpuMs ? (await serverCpuMs()) - serverStart : NaN;
  return {
    opsPerSec: (ops * 1000) / elapsed,
    cpuMicrosPerOp: (cpu * 1000) / ops,
    serverMicrosPerOp: (server * 1000) / ops,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Times every case of `scenario` and checks its targets. */
export async function runScenario(
  scenario: Scenario,
  options: RunOptions = {},
): Promise<ScenarioResult> {
  const { rounds = 9, minSampleMs = 150, warmupMs = 300 } = options;
  const cases = scenario.cases;
  const clock = scenario.clock ?? "cpu";
  const server = scenario.serverCpuMs;
  for (const c of cases) await sample(c, warmupMs, clock, server);
  const samples = cases.map((): Sample[] => []);
  for (let round = 0; round < rounds; round++) {
    const order = cases.map((_, i) => i);
    if (round % 2) order.reverse();
    for (const i of order) samples[i]!.push(await sample(cases[i]!, minSampleMs, clock, server));
  }
  const results = cases.map((c, i): CaseResult => {
    const ops = samples[i]!.map((s) => s.opsPerSec);
    const mid = median(ops);
    return {
      name: c.name,
      opsPerSec: mid,
      spread: (Math.max(...ops) - Math.min(...ops)) / mid,
      cpuMicrosPerOp: median(samples[i]!.map((s) => s.cpuMicrosPerOp)),
      ...(server ? { serverMicrosPerOp: median(samples[i]!.map((s) => s.serverMicrosPerOp)) } : {}),
    };
  });
  const subject = results.find((r) => r.name === scenario.subject);
  if (!subject) throw new Error(`Scenario ${scenario.title} has no case ${scenario.subject}`);
  const verdicts = (scenario.targets ?? []).map((target) => {
    const peer = results.find((r) => r.name === target.peer);
    if (!peer) throw new Error(`Scenario ${scenario.title} has no case ${target.peer}`);
    const ratio = subject.opsPerSec / peer.opsPerSec;
    return { target, ratio, met: ratio >= target.min };
  });
  return { scenario, results, verdicts };
}

function formatOps(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(0);
}

/** Formats a scenario result as a markdown table (plus target lines). */
export function formatScenario(result: ScenarioResult): string {
  const { scenario, results, verdicts } = result;
  const subject = results.find((r) => r.name === scenario.subject)!;
  const wall = scenario.clock === "wall";
  const server = scenario.serverCpuMs !== undefined;
  const head = ["case", wall ? "ops/s" : "ops/CPU-s", "spread"];
  if (wall) head.push("client CPU µs/op");
  if (server) head.push("server CPU µs/op");
  head.push(`${scenario.subject} ÷ case`);
  const lines = [
    `### ${scenario.title}`,
    "",
    `| ${head.join(" | ")} |`,
    `| --- |${" ---: |".repeat(head.length - 1)}`,
  ];
  for (const r of results) {
    const ratio = subject.opsPerSec / r.opsPerSec;
    const name = r.name === scenario.subject ? `**${r.name}**` : r.name;
    const cells = [name, formatOps(r.opsPerSec), `${(r.spread * 100).toFixed(0)}%`];
    if (wall) cells.push(r.cpuMicrosPerOp.toFixed(1));
    if (server) cells.push(r.serverMicrosPerOp?.toFixed(1) ?? "");
    cells.push(`${ratio.toFixed(2)}x`);
    lines.push(`| ${cells.join(" | ")} |`);
  }
  if (verdicts.length > 0) {
    lines.push("");
    for (const v of verdicts) {
      lines.push(
        `- ${v.met ? "met" : "NOT MET"}: ${scenario.subject} ≥ ${+v.target.min.toFixed(
          2,
        )}x ${v.target.peer}` +
          ` (measured ${v.ratio.toFixed(2)}x)`,
      );
    }
  }
  if (scenario.note) lines.push("", scenario.note);
  return lines.join("\n") + "\n";
}

/** The runtime's name and version, with V8's. */
export function runtimeVersion(): string {
  const deno = (globalThis as { Deno?: { version: { deno: string; v8: string } } }).Deno;
  if (deno) return `Deno ${deno.version.deno} (V8 ${deno.version.v8})`;
  const bun = (process.versions as Record<string, string | undefined>).bun;
  if (bun) return `Bun ${bun}`;
  return `Node ${process.version} (V8 ${process.versions.v8})`;
}

/** Whether samples start from a clean heap (see `sample`). */
export const GC_BETWEEN_SAMPLES: boolean = collectGarbage !== undefined;

/** Date, machine and runtime, as a markdown paragraph. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`;
  return [
    `- date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    `- machine: ${model}, ${cpus.length} cores, ${memory} RAM, ${os.type()} ${os.release()}`,
    `- runtime: ${runtimeVersion()}`,
  ].join("\n");
}
