// This module is browser compatible.
// The edge-runtime entry of the edge tests: registers them and publishes
// `globalThis.__kvEdge` (`names()` resolving to the JSON of the tests' names, `run(from, to)` resolving to the JSON of
// the slice's results), which scripts/test_edge.ts calls through
// `EdgeRuntime.evaluate` (it evaluates scripts, so this bundle exports nothing).

import { names, run } from "./_runner.ts";
import { registerEdgeSuite } from "./_suite.ts";

registerEdgeSuite("edge-runtime");

Object.assign(globalThis, {
  __kvEdge: {
    names: () => JSON.stringify(names()),
    run: async (from: number, to: number) => JSON.stringify(await run(from, to)),
  },
});
