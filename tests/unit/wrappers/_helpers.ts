// Shared helpers of the wrapper tests.

import type { Capability } from "../../../core/capabilities.ts";

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

import type { AsyncKeyValue } from "../../../core/protocol.ts";
import { InterceptWrapper, type Invocation, type MethodName } from "../../../wrappers/intercept.ts";

/**
 * A store that misbehaves on demand: `fail(n, error)` makes the next `n`
 * calls reject with `error` (or every call with `Infinity`), `delayMs`
 * makes every call slow, and `calls` records each call's method and signal.
 */
export class Faulty extends InterceptWrapper {
  failures = 0;
  error: unknown = undefined;
  delayMs = 0;
  /** Delay after the inner store answered, before the answer is returned. */
  lagMs = 0;
  calls: { method: MethodName; signal: AbortSignal | undefined }[] = [];
  constructor(inner: AsyncKeyValue) {
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
