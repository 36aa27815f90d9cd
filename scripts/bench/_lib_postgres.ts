/**
 * PostgresStore for the Postgres scenarios, apart from `_lib.ts` so that the
 * other groups' processes never load node-postgres (see `main.ts`). `node.ts`
 * redirects it to the npm build like every library import.
 *
 * @module
 */

export { PostgresStore } from "../../stores/postgres/mod.ts";
