/**
 * RedisStore for the Redis scenarios, apart from `_lib.ts` so that the other
 * groups' processes never load ioredis (see `main.ts`). `node.ts` redirects
 * it to the npm build like every library import.
 *
 * @module
 */

export { RedisStore } from "../../stores/redis.ts";
