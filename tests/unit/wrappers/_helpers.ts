// Shared helpers of the wrapper tests.

import type { Capability } from "../../../core/capabilities.ts";
import type { AsyncKeyValue } from "../../../core/protocol.ts";
import { MemoryStore } from "../../../stores/memory.ts";
import {
  type ConformanceOptions,
  type Construct,
  type FactoryContext,
  testConformance,
} from "../../../testing/_conformance.ts";
import {
  InterceptWrapper,
  type Invocation,
  type MethodName,
} from "../../../wrappers/_intercept.ts";
import { AsyncStore } from "./_async_store.ts";

export { AsyncStore } from "./_async_store.ts";

/** Every capability, as MemoryStore has them. */
export const ALL: readonly Capability[] = [
  "keys",
  "collections",
  "destroyCollection",
  "destroy",
  "cull",
  "putIfAbsent",
];

/** Property runs for wrappers (the memory store runs the full count). */
export const RUNS = 40;

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An inner store of a wrapper under test: either kind has every capability. */
export type Inner = MemoryStore | AsyncStore;

/** Builds a fresh inner store on the suite's clock. */
export type MakeInner = () => Inner;

/** Options of {@linkcode testWrapper}: the suite's, with `wrap` in place of `factory`. */
export interface WrapperSuite<S extends AsyncKeyValue>
  extends Omit<ConformanceOptions<S>, "factory" | "clock" | "construct"> {
  /** Builds the wrapper (or stack) over inner stores made by `inner`. */
  wrap: (inner: MakeInner, context: FactoryContext) => S;
  /** Builds the wrapper with extra options (over an inner store made by `inner`). */
  construct?: (inner: MakeInner) => Construct;
}

/** The inner stores every wrapper suite runs over. */
const INNERS: readonly [string, (clock: FactoryContext["clock"]) => Inner][] = [
  ["MemoryStore", (clock) => new MemoryStore({ clock })],
  ["an async store", (clock) => new AsyncStore({ clock })],
];

/**
 * Registers the conformance suite for a wrapper twice: over MemoryStore
 * (with its synchronous read path) and over {@linkcode AsyncStore} (no
 * synchronous path, asynchronous setup, as a network store behaves). Every
 * inner store gets the suite's clock, so the wrapper declares it.
 */
export function testWrapper<S extends AsyncKeyValue>(name: string, suite: WrapperSuite<S>): void {
  const { wrap, construct, ...rest } = suite;
  for (const [label, make] of INNERS) {
    testConformance(`${name} over ${label}`, {
      ...rest,
      clock: true,
      factory: (context) => wrap(() => make(context.clock), context),
      ...(construct && label === "MemoryStore"
        ? { construct: construct(() => new MemoryStore()) }
        : {}),
    });
  }
}

/**
 * A store that misbehaves on demand: `fail(n, error)` makes the next `n`
 * calls reject with `error` (or every call with `Infinity`), `delayMs`
 * makes every call slow, and `calls` records each call's method and signal.
 */
export class Faulty<S extends AsyncKeyValue = AsyncKeyValue> extends InterceptWrapper<S> {
  failures = 0;
  error: unknown = undefined;
  delayMs = 0;
  /** Delay after the inner store answered, before the answer is returned. */
  lagMs = 0;
  calls: { method: MethodName; signal: AbortSignal | undefined }[] = [];
  constructor(inner: S) {
    super(inner);
  }
  fail(count: number, error: unknown): this {
    this.failures = count;
    this.error = error;
    return this;
  }
  protected async intercept<T>(invocation: Invocation<T>): Promise<T> {
    let signal: AbortSignal | undefined;
    const spy = new Proxy(this.inner, {
      get: (target, name) => {
        const member = Reflect.get(target, name);
        if (typeof member !== "function") return member;
        return (...args: unknown[]) => {
          const last = args.at(-1) as { signal?: AbortSignal } | undefined;
          signal = typeof last === "object" && last !== null ? last.signal : undefined;
          return member.apply(target, args);
        };
      },
    });
    if (this.delayMs > 0) await sleep(this.delayMs);
    if (this.failures > 0) {
      this.failures--;
      this.calls.push({ method: invocation.method, signal: undefined });
      throw this.error;
    }
    const result = invocation.call(spy, undefined);
    this.calls.push({ method: invocation.method, signal });
    const answer = await result;
    if (this.lagMs > 0) await sleep(this.lagMs);
    return answer;
  }
}
