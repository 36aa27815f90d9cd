/**
 * Runs the benchmarks and prints one markdown report: the machine, then a
 * table per scenario with ops/s and our store's ratio to each peer, and
 * whether each promised ratio was met.
 *
 * ```sh
 * deno task bench                      # everything, under Deno
 * deno task bench:node                 # the same, under Node on the npm build
 * deno task bench memory import        # only some scenarios
 * deno task bench --out bench.md       # also write the report to a file
 * deno task bench --check              # exit 1 when a target is not met
 * ```
 *
 * Scenarios: `memory`, `wrappers`, `redis`, `import`. Redis is read from
 * `REDIS_URL` (default `redis://127.0.0.1:16379`); when nothing answers
 * there, the Redis scenarios are skipped with a message. Timing settings come
 * from `BENCH_ROUNDS` (9), `BENCH_SAMPLE_MS` (150) and `BENCH_WARMUP_MS`
 * (300).
 *
 * Everything here uses `node:` and Web APIs only, so `node.ts` can bundle it
 * for Node with the library taken from the npm build.
 *
 * @module
 */

import { writeFileSync } from "node:fs";
import process from "node:process";
import {
  describeMachine,
  formatScenario,
  GC_BETWEEN_SAMPLES,
  optionsFromEnv,
  runScenario,
  type Scenario,
} from "./_harness.ts";
import { averageJsonBytes, KEY_COUNT } from "./_data.ts";
import * as lib from "./_lib.ts";
import { importCostReport } from "./import_cost.ts";
import { memoryScenarios } from "./memory.ts";
import { probeRedis, redisScenarios, type RedisStoreClass } from "./redis.ts";
import { type WrapperClasses, wrapperScenarios } from "./wrappers.ts";

const ALL = ["memory", "wrappers", "redis", "import"] as const;

const named: string[] = [];
let outFile: string | undefined;
let check = false;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === "--out") outFile = args[++i];
  else if (arg === "--check") check = true;
  else named.push(arg);
}
const selected = new Set(named.length > 0 ? named : ALL);
for (const name of selected) {
  if (!(ALL as readonly string[]).includes(name)) {
    console.error(`Unknown scenario ${name}; choose from ${ALL.join(", ")}`);
    process.exit(2);
  }
}

// Pieces built on other branches are optional until they land; see _lib.ts.
const optional = lib as unknown as { RedisStore?: RedisStoreClass } & WrapperClasses;
const options = optionsFromEnv();
const report: string[] = [];
const failed: string[] = [];
function emit(text: string): void {
  console.log(text);
  report.push(text);
}

emit(
  [
    `## Benchmarks (${lib.LIBRARY_BUILD})`,
    "",
    describeMachine(),
    `- data: ${KEY_COUNT.toLocaleString("en")} distinct keys, one JSON object each ` +
    `(~${averageJsonBytes()} bytes); warm; ${options.rounds} interleaved rounds of ` +
    `≥ ${options.minSampleMs} ms per case, median shown; spread = (max − min) ÷ median` +
    (GC_BETWEEN_SAMPLES ? "; full GC before each sample" : ""),
    "",
  ].join("\n"),
);

async function run(scenarios: Scenario[]): Promise<void> {
  for (const scenario of scenarios) {
    const result = await runScenario(scenario, options);
    emit(formatScenario(result));
    for (const v of result.verdicts) {
      if (!v.met) failed.push(`${scenario.title}: ${scenario.subject} vs ${v.target.peer}`);
    }
  }
}

if (selected.has("memory")) await run(await memoryScenarios());
if (selected.has("wrappers")) await run(await wrapperScenarios(optional));
if (selected.has("redis")) {
  const url = process.env.REDIS_URL ?? "redis://127.0.0.1:16379";
  const down = await probeRedis(url);
  if (down) {
    emit(`### Redis\n\nSkipped: no Redis answers at ${url} (${down}). Set REDIS_URL.\n`);
  } else {
    const redis = await redisScenarios(url, optional.RedisStore);
    try {
      await run(redis.scenarios);
    } finally {
      await redis.close();
    }
  }
}
if (selected.has("import")) {
  const { text, met } = importCostReport();
  emit(text);
  if (!met) failed.push("import cost");
}

emit(failed.length === 0 ? "All targets met." : `Targets not met:\n- ${failed.join("\n- ")}`);
if (outFile) writeFileSync(outFile, report.join("\n") + "\n");
process.exit(check && failed.length > 0 ? 1 : 0);
