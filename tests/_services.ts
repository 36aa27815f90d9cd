// Where the integration tests find their servers. scripts/services.sh starts
// real servers on loopback and exports these variables. A test file calls
// serviceUrl() at load time: without the variable it gets `undefined` and
// registers its tests as skipped, except under CI, where a missing server
// fails the run instead.

/** The environment variable of each service started by scripts/services.sh. */
export const SERVICES = {
  redis: "REDIS_URL",
  redisCluster: "REDIS_CLUSTER_NODES",
  redisSentinel: "REDIS_SENTINEL",
  valkey: "VALKEY_URL",
  memcached: "MEMCACHED_URL",
  dynamodb: "DYNAMODB_URL",
  mongodb: "MONGODB_URL",
  elasticsearch: "ELASTICSEARCH_URL",
  postgres: "POSTGRES_URL",
} as const;

function env(name: string): string | undefined {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  if (g.Deno?.env) return g.Deno.env.get(name) ?? undefined;
  return g.process?.env?.[name];
}

/**
 * The URL of a service, or `undefined` when it is not configured. Under CI a
 * missing service throws, so the run fails rather than skips.
 */
export function serviceUrl(service: keyof typeof SERVICES): string | undefined {
  const name = SERVICES[service];
  const value = env(name);
  if (value) return value;
  if (env("CI")) {
    throw new Error(`${name} is not set: start the servers with scripts/services.sh up`);
  }
  return undefined;
}

/** The skip option for node:test when a service is missing. */
export function skipUnless(url: string | undefined, service: string): { skip?: string } {
  return url ? {} : { skip: `${service} is not running (scripts/services.sh up ${service})` };
}

/** A short unique suffix, so concurrent runs never share names. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
