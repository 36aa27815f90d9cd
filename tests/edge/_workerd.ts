// This module is browser compatible.
// The workerd entry of the edge tests: a module worker whose fetch handler
// answers `/names` with the tests' names and `/run?from=&to=` with the
// JSON results of that slice. Tests are registered at the first request,
// not at startup, as a precaution: workerd refuses some work (timers, random
// values) in the global scope (registering there works today too).

import { names, run } from "./_runner.ts";
import { registerEdgeSuite } from "./_suite.ts";

let registered = false;

export default {
  async fetch(request: Request): Promise<Response> {
    if (!registered) {
      registerEdgeSuite("workerd");
      registered = true;
    }
    const url = new URL(request.url);
    if (url.pathname === "/names") return Response.json({ names: names() });
    const from = Number(url.searchParams.get("from"));
    const to = Number(url.searchParams.get("to"));
    return Response.json(await run(from, to));
  },
};
