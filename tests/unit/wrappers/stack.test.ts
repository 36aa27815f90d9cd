// The README's stack: logging over compression over a fallback whose primary
// retries with a per-call timeout.

import assert from "node:assert/strict";
import { test } from "node:test";
import { capabilitiesOf } from "../../../core/capabilities.ts";
import { StoreConnectionError } from "../../../core/errors.ts";
import type { AsyncKeyValue } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import { CompressionWrapper } from "../../../wrappers/compression.ts";
import { FallbackWrapper } from "../../../wrappers/fallback.ts";
import { LoggingWrapper } from "../../../wrappers/logging.ts";
import { RetryWrapper } from "../../../wrappers/retry.ts";
import { TimeoutWrapper } from "../../../wrappers/timeout.ts";
import { ALL, Faulty, RUNS, testWrapper } from "./_helpers.ts";

function stack(store: AsyncKeyValue, fallback: AsyncKeyValue, lines: unknown[] = []) {
  return new LoggingWrapper(
    new CompressionWrapper(
      new FallbackWrapper(
        new RetryWrapper(new TimeoutWrapper(store, { timeout: 0.05 }), {
          maxRetries: 2,
          initialDelay: 0.001,
        }),
        { fallback },
      ),
      { threshold: 100 },
    ),
    { logger: { info: (line: unknown) => lines.push(line) } },
  );
}

testWrapper("the README stack", {
  wrap: (inner) => stack(inner(), inner()),
  capabilities: ALL,
  propertyRuns: RUNS,
});

test("the README stack forwards every capability of the primary through five wrappers", () => {
  assert.deepEqual(
    capabilitiesOf(stack(new MemoryStore(), new MemoryStore())).sort(),
    [...ALL].sort(),
  );
});

test("the README stack retries a flaky primary, then answers from the fallback when it stays down", async () => {
  const primary = new Faulty(new MemoryStore());
  const fallback = new MemoryStore();
  const lines: unknown[] = [];
  const store = stack(primary, fallback, lines);
  const page = { html: "<p>cached page</p>".repeat(50) };
  await store.put("page", page);
  const stored = (await primary.get("page"))!;
  assert.equal(stored.__compression_algorithm__, "gzip", "compressed on the way down");

  primary.calls = [];
  primary.fail(2, new StoreConnectionError("Cannot get from Redis: connection reset"));
  assert.deepEqual(await store.get("page"), page, "two failures are retried");
  assert.equal(primary.calls.length, 3);

  await fallback.put("page", (await primary.get("page"))!);
  primary.calls = [];
  primary.fail(Infinity, new StoreConnectionError("Cannot get from Redis: refused"));
  assert.deepEqual(await store.get("page"), page, "the fallback answers, decompressed");
  assert.equal(primary.calls.length, 3);
  await assert.rejects(store.put("x", { n: 1 }), StoreConnectionError, "writes are not redirected");
  assert.ok(
    lines.some((line) =>
      String(line).startsWith(`Finish GET collection="default_collection" keys="page"`)
    ),
  );
  assert.ok(lines.some((line) => String(line).startsWith("Error PUT")));
});

test("the README stack times out a hung primary, retries, then falls back", async () => {
  const primary = new Faulty(new MemoryStore());
  const fallback = new MemoryStore();
  await fallback.put("k", { from: "fallback" });
  const store = stack(primary, fallback);
  primary.delayMs = 500;
  const started = Date.now();
  assert.deepEqual(await store.get("k"), { from: "fallback" });
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 400, `answered in ${elapsed} ms: three 50 ms attempts, then the fallback`);
  await new Promise((resolve) => setTimeout(resolve, 600)); // let the hung calls drain
});
