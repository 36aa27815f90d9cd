/**
 * Wrapper-cost scenario: MemoryStore bare against the same store under each
 * wrapper alone and under a stack of five (statistics, TTL clamp, prefix
 * keys, timeout, retry), on `get` and on `put` with a TTL.
 *
 * The target is on the stack: five wrappers may make a `get` at most 1.5
 * times slower, that is the stack's ops/s must be at least 1 ÷ 1.5 = 0.67
 * of the bare store's.
 *
 * @module
 */

import { type Case, compileLoop, type Scenario } from "./_harness.ts";
import { keys, TTL_SECONDS, values } from "./_data.ts";
import type { AsyncKeyValue, PutOptions, Value } from "./_lib.ts";
import { MemoryStore } from "./_lib.ts";

type Wrap<O> = new (inner: AsyncKeyValue, options: O) => AsyncKeyValue;

/** The wrapper classes, each `undefined` while it has not landed. */
export interface WrapperClasses {
  StatisticsWrapper?: new (inner: AsyncKeyValue) => AsyncKeyValue;
  TTLClampWrapper?: Wrap<{ minTtl?: number; maxTtl?: number }>;
  PrefixKeysWrapper?: Wrap<{ prefix: string }>;
  TimeoutWrapper?: Wrap<{ timeout: number }>;
  RetryWrapper?: Wrap<Record<string, never>>;
}

const N = keys.length;

/** One case: `call` run for every key `i` in its own compiled loop. */
function loop(name: string, call: string, bindings: Record<string, unknown>): Case {
  return { name, ops: N, run: compileLoop(N, call, bindings) };
}

/**
 * The five jobs of the stack done by hand the way a wrapper over any async
 * store must do them, one promise layer each: count the result in a `.then`
 * (statistics), forward (TTL clamp: a `get` has no TTL), build the prefixed
 * key (prefix keys), give the caller a promise of its own that a deadline
 * can reject, kept where the deadline can reach it (timeout), and `.catch`
 * (retry). No validation, no options, no errors of our types. Our wrappers
 * beat it over a MemoryStore by reading synchronously through the stack
 * (core/_read_now.ts); over a network store they work this way.
 */
function handStack(store: AsyncKeyValue): AsyncKeyValue {
  let count = 0;
  let hits = 0;
  const inFlight: ((error: unknown) => void)[] = [];
  const stats = (key: string) =>
    store.get(key).then((value) => {
      count++;
      if (value !== undefined) hits++;
      return value;
    });
  const clamp = (key: string) => stats(key);
  const prefix = (key: string) => clamp("app__" + key);
  const timeout = (key: string) =>
    new Promise<Value | undefined>((resolve, reject) => {
      if (inFlight.push(reject) > 64) inFlight.length = 0;
      prefix(key).then(resolve, reject);
    });
  const retry = (key: string) => timeout(key).catch(() => timeout(key));
  const put = (key: string, value: Value, options?: PutOptions) =>
    store.put("app__" + key, value, options);
  return { get: retry, put, count: () => count + hits } as unknown as AsyncKeyValue;
}
const STACK = "five wrappers";
const HAND = "the five jobs by hand, one promise each";
const FLOOR = "bound: MemoryStore (bare) reading `app__` + key";

/** Each wrapper as a function of the inner store, in stacking order (innermost first). */
function layers(
  w: WrapperClasses,
): [string, ((inner: AsyncKeyValue) => AsyncKeyValue) | undefined][] {
  const { StatisticsWrapper, TTLClampWrapper, PrefixKeysWrapper, TimeoutWrapper, RetryWrapper } = w;
  return [
    ["StatisticsWrapper", StatisticsWrapper && ((s) => new StatisticsWrapper(s))],
    [
      "TTLClampWrapper",
      TTLClampWrapper && ((s) => new TTLClampWrapper(s, { minTtl: 1, maxTtl: 86_400 })),
    ],
    [
      "PrefixKeysWrapper",
      PrefixKeysWrapper && ((s) => new PrefixKeysWrapper(s, { prefix: "app" })),
    ],
    ["TimeoutWrapper", TimeoutWrapper && ((s) => new TimeoutWrapper(s, { timeout: 1_000 }))],
    ["RetryWrapper", RetryWrapper && ((s) => new RetryWrapper(s, {}))],
  ];
}

/** The wrapper scenarios, `get` then `put`. */
export async function wrapperScenarios(w: WrapperClasses): Promise<Scenario[]> {
  const all = layers(w);
  const present = all.filter((l): l is [string, (inner: AsyncKeyValue) => AsyncKeyValue] =>
    l[1] !== undefined
  );
  const missing = all.filter((l) => l[1] === undefined).map((l) => l[0]);
  const stores: [string, AsyncKeyValue][] = [["MemoryStore (bare)", new MemoryStore()]];
  for (const [name, wrap] of present) stores.push([`${name} only`, wrap(new MemoryStore())]);
  const stackName = missing.length === 0 ? STACK : `${present.length} of 5 wrappers`;
  if (present.length > 1) {
    let stack: AsyncKeyValue = new MemoryStore();
    for (const [, wrap] of present) stack = wrap(stack);
    stores.push([stackName, stack]);
  }
  const hand = handStack(new MemoryStore());
  stores.push([HAND, hand]);
  const put = { ttl: TTL_SECONDS };
  for (const [, store] of stores) {
    for (let i = 0; i < N; i++) await store.put(keys[i]!, values[i]!, put);
  }

  // What prefixing costs at the least: the bare store reading a key built
  // per call, whose new string costs the Map lookup a hash and a compare of
  // contents that a reused key string skips.
  const floor = new MemoryStore();
  const head = "app__";
  for (let i = 0; i < N; i++) await floor.put(head + keys[i]!, values[i]!, put);

  const gets = stores.map(([name, store]) => loop(name, "store.get(keys[i])", { store, keys }));
  gets.push(loop(FLOOR, "store.get(head + keys[i])", { store: floor, head, keys }));
  // The same reads with each key built per call, as an application does
  // (`"user:" + id`): a new string costs a Map lookup a hash and a compare
  // of contents that the reused key strings above skip, for the bare store
  // as for the prefix wrapper, which must always build one.
  const digits = keys.map((key) => key.slice("user:".length));
  const fresh = stores.filter(([name]) =>
    name === "MemoryStore (bare)" || name === stackName || name === HAND
  ).map(([name, store]) => loop(name, 'store.get("user:" + digits[i])', { store, digits }));
  fresh.push(
    loop(FLOOR, 'store.get(head + ("user:" + digits[i]))', { store: floor, head, digits }),
  );
  const puts = stores.filter(([name]) => name !== HAND).map(([name, store]) =>
    loop(name, "store.put(keys[i], values[i], put)", { store, keys, values, put })
  );
  // The subject: the stack, or while wrappers are missing the last one present, or the bare store.
  const stacked = stores.some(([name]) => name === stackName);
  const lastSingle = present.length > 0 ? `${present[present.length - 1]![0]} only` : undefined;
  const subject = stacked ? stackName : lastSingle ?? "MemoryStore (bare)";
  const waiting = missing.length === 0
    ? undefined
    : `Not in this build yet (branch \`wrappers\`): ${missing.join(", ")}.`;
  const note = [
    "Ratios are the wrapped store's speed over each row's; the stack must keep ≥ 0.67x of the bare store (at most 1.5x the time).",
    waiting,
  ].filter(Boolean).join(" ");
  const targets = missing.length === 0 ? [{ peer: "MemoryStore (bare)", min: 1 / 1.5 }] : [];
  const freshNote =
    'The same reads, each key built per call (`"user:" + id`) as applications build them.';
  return [
    { title: "Wrappers: get through a stack", subject, cases: gets, targets, note },
    {
      title: "Wrappers: get through a stack, keys built per call",
      subject,
      cases: fresh,
      note: freshNote,
    },
    { title: "Wrappers: put with a TTL through a stack", subject, cases: puts, note },
  ];
}
