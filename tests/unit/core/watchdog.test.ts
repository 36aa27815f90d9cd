// The Watchdog (core/_watchdog.ts) measures deadlines by the clock, not by
// counting its timer's ticks: a busy event loop delays a timeout by at most
// the time it kept the timer from firing, never by a multiple of it.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Watchdog } from "../../../core/_watchdog.ts";

/**
 * Keeps the event loop busy in synchronous chunks of `chunkMs`, letting
 * timers run between chunks, until `done()` or `limitMs` passed.
 */
async function busyLoop(chunkMs: number, limitMs: number, done: () => boolean) {
  const started = Date.now();
  while (!done() && Date.now() - started < limitMs) {
    const end = Date.now() + chunkMs;
    while (Date.now() < end) { /* busy */ }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

test("Watchdog expires a call on time while the loop is busy in 100 ms chunks", async () => {
  const watchdog = new Watchdog(500, (label) => new Error(`${label} timed out`));
  const started = Date.now();
  let elapsed: number | undefined;
  const call = watchdog.watch(watchdog.batch(), new Promise<never>(() => {}), "get");
  const rejected = call.then(
    () => assert.fail("a call that never settles must not resolve"),
    (error: unknown) => {
      elapsed = Date.now() - started;
      assert.equal((error as Error).message, "get timed out");
    },
  );
  await busyLoop(100, 3_000, () => elapsed !== undefined);
  await rejected;
  // 0.5 s, plus at most one 100 ms chunk the timer waited for, plus slack
  // (counting ticks, it took about 1.75 s).
  assert.ok(elapsed! >= 500, `expired after ${elapsed} ms, before its deadline`);
  assert.ok(elapsed! < 800, `expired after ${elapsed} ms`);
});

test("Watchdog lets a call that settles in time through while the loop is busy", async () => {
  const watchdog = new Watchdog(500, (label) => new Error(`${label} timed out`));
  let settle!: (value: string) => void;
  const call = watchdog.watch(watchdog.batch(), new Promise<string>((r) => settle = r), "get");
  let answer: string | undefined;
  call.then((value) => answer = value);
  await busyLoop(100, 250, () => false);
  settle("done");
  await busyLoop(100, 1_000, () => answer !== undefined);
  assert.equal(answer, "done");
});
