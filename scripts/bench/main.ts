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
 * Scenarios: `memory`, `wrappers`, `redis`, `postgres`, `import`. Redis is read from
 * `REDIS_URL` (default `redis://127.0.0.1:16379`), PostgreSQL from
 * `POSTGRES_URL` (default `postgres://postgres@127.0.0.1:15432/kv`); when
 * nothing answers there, those scenarios are skipped with a message. Timing settings come
 * from `BENCH_ROUNDS` (9), `BENCH_SAMPLE_MS` (150) and `BENCH_WARMUP_MS`
 * (300).
 *
 * Each group (memory, wrappers, redis, import) runs in a fresh process of
 * the same runtime (this script with `--child GROUP`), and the parent
 * collects the tables. Everything here uses `node:` and Web APIs only, so
 * `node.ts` can bundle it for Node with the library taken from the npm
 * build.
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import {
  describeMachine,
  formatScenario,
  GC_BETWEEN_SAMPLES,
  optionsFromEnv,
  runScenario,
  type Scenario,
} from "./_harness.ts";
import { averageJsonBytes, KEY_COUNT } from "./_data.ts";
import { LIBRARY_BUILD } from "./_lib.ts";

const ALL = ["memory", "wrappers", "scale", "redis", "redis-scale", "postgres", "import"] as const;
type Group = (typeof ALL)[number];

const named: string[] = [];
let outFile: string | undefined;
let check = false;
let child: Group | undefined;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === "--out") outFile = args[++i];
  else if (arg === "--check") check = true;
  else if (arg === "--child") child = args[++i] as Group;
  else named.push(arg);
}
for (const name of named) {
  if (!(ALL as readonly string[]).includes(name)) {
    console.error(`Unknown scenario ${name}; choose from ${ALL.join(", ")}`);
    process.exit(2);
  }
}

if (child) {
  await runGroup(child);
  process.exit(0);
}

// Each group runs in a fresh process of the same runtime, so that one
// group's libraries cannot change another's numbers: the heap, the JIT's
// feedback, and process-wide engine state (ioredis, for one, defines a
// subclass of String, after which V8 runs every String.prototype method
// about 5x slower; an application without Redis never pays that).
const options = optionsFromEnv();
const report: string[] = [];
function emit(text: string): void {
  console.log(text);
  report.push(text);
}
emit(
  [
    `## Benchmarks (${LIBRARY_BUILD})`,
    "",
    describeMachine(),
    `- data: ${KEY_COUNT.toLocaleString("en")} distinct keys, one JSON object each ` +
    `(~${averageJsonBytes()} bytes); warm; ${options.rounds} interleaved rounds of ` +
    `≥ ${options.minSampleMs} ms per case, median shown; spread = (max − min) ÷ median` +
    (GC_BETWEEN_SAMPLES ? "; full GC before each sample" : "") +
    "; each group in its own process",
    "",
  ].join("\n"),
);
const failed: string[] = [];
for (const group of named.length > 0 ? ALL.filter((g) => named.includes(g)) : ALL) {
  const result = spawnSync(process.execPath, [...selfCommand(), "--child", group], {
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 2 ** 20,
  });
  const text = result.stdout?.toString() ?? "";
  emit(text.trimEnd() + "\n");
  if (result.status !== 0) failed.push(`${group}: the run failed (exit ${result.status})`);
  let title: string = group;
  for (const line of text.split("\n")) {
    if (line.startsWith("### ")) title = line.slice(4);
    if (line.startsWith("- NOT MET: ")) failed.push(`${title}: ${line.slice(11)}`);
  }
}
emit(failed.length === 0 ? "All targets met." : `Targets not met:\n- ${failed.join("\n- ")}`);
if (outFile) writeFileSync(outFile, report.join("\n") + "\n");
process.exit(check && failed.length > 0 ? 1 : 0);

/** The arguments that run this script again under the same runtime, with its flags. */
function selfCommand(): string[] {
  const script = fileURLToPath(import.meta.url);
  if ("Deno" in globalThis) {
    return ["run", "-A", ...(GC_BETWEEN_SAMPLES ? ["--v8-flags=--expose-gc"] : []), script];
  }
  return [...process.execArgv, script];
}

/** Runs one group's scenarios and prints their tables. */
async function runGroup(group: Group): Promise<void> {
  const options = optionsFromEnv();
  const run = async (scenarios: Scenario[]): Promise<void> => {
    for (const scenario of scenarios) {
      console.log(formatScenario(await runScenario(scenario, options)));
    }
  };
  if (group === "memory") {
    const { memoryScenarios } = await import("./memory.ts");
    await run(await memoryScenarios());
  } else if (group === "wrappers") {
    const lib = await import("./_lib.ts");
    const { wrapperScenarios } = await import("./wrappers.ts");
    await run(await wrapperScenarios(lib));
  } else if (group === "scale") {
    const { memoryFootprintReport, scaleScenarios } = await import("./scale.ts");
    await run(await scaleScenarios());
    console.log((await memoryFootprintReport()).text);
  } else if (group === "redis-scale") {
    const { probeRedis } = await import("./redis.ts");
    const { runRedisScale } = await import("./redis_scale.ts");
    const { RedisStore } = await import("./_lib_redis.ts");
    const url = process.env.REDIS_URL ?? "redis://127.0.0.1:16379";
    const down = await probeRedis(url);
    if (down) {
      console.log(`### Redis scale\n\nSkipped: no Redis answers at ${url} (${down}).\n`);
      return;
    }
    await runRedisScale(url, RedisStore, async (scenario) => {
      console.log(formatScenario(await runScenario(scenario, options)));
    });
  } else if (group === "redis") {
    const { probeRedis, redisScenarios } = await import("./redis.ts");
    const { RedisStore } = await import("./_lib_redis.ts");
    const url = process.env.REDIS_URL ?? "redis://127.0.0.1:16379";
    const down = await probeRedis(url);
    if (down) {
      console.log(`### Redis\n\nSkipped: no Redis answers at ${url} (${down}). Set REDIS_URL.\n`);
      return;
    }
    const redis = await redisScenarios(url, RedisStore);
    try {
      await run(redis.scenarios);
    } finally {
      await redis.close();
    }
  } else if (group === "postgres") {
    const { postgresScenarios, probePostgres } = await import("./postgres.ts");
    const { PostgresStore } = await import("./_lib_postgres.ts");
    const url = process.env.POSTGRES_URL ?? "postgres://postgres@127.0.0.1:15432/kv";
    const down = await probePostgres(url);
    if (down) {
      console.log(
        `### Postgres\n\nSkipped: no PostgreSQL answers at ${url} (${down}). Set POSTGRES_URL.\n`,
      );
      return;
    }
    const postgres = await postgresScenarios(url, PostgresStore);
    try {
      await run(postgres.scenarios);
    } finally {
      await postgres.close();
    }
  } else {
    const { importCostReport } = await import("./import_cost.ts");
    console.log(importCostReport().text);
  }
}
