// The connection options RedisStore and ValkeyStore share, URL parsing, and
// the defaults of the clients the stores create themselves (the client's
// types are in types.ts).

import type { RespClient } from "./types.ts";
import { watchCommands } from "./watch.ts";

export type {
  RespArg,
  RespClient,
  RespClusterClient,
  RespCommander,
  RespPipeline,
} from "./types.ts";

/** Connection options shared by {@linkcode RedisStore} and `ValkeyStore`. */
export interface RespConnectionOptions {
  /**
   * A server URL: `redis://[[username]:password@]host[:port][/db]`, or
   * `rediss://` for TLS (ValkeyStore also takes `valkey://` and `valkeys://`).
   * User name and password are percent-decoded.
   */
  url?: string;
  /** The server's host, when no `url` is given. @default {"localhost"} */
  host?: string;
  /** The server's port, when no `url` is given. @default {6379} */
  port?: number;
  /** The logical database (overrides the URL's). @default {0} */
  db?: number;
  /** The ACL user name (overrides the URL's). */
  username?: string;
  /** The password (overrides the URL's). */
  password?: string;
  /** Connects with TLS (`rediss://` sets it). @default {false} */
  tls?: boolean;
}

/** Where and how to connect, resolved from {@linkcode RespConnectionOptions}. */
export interface RespEndpoint {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * Resolves connection options (URL first, then the explicit fields over it).
 *
 * @param options The store's options.
 * @param schemes The accepted URL schemes, plain ones first, TLS ones second.
 * @param store The store's name, for error messages.
 * @throws {TypeError} On a malformed URL, an unknown scheme or a bad port or db.
 */
export function resolveEndpoint(
  options: RespConnectionOptions,
  schemes: { plain: readonly string[]; tls: readonly string[] },
  store: string,
): RespEndpoint {
  const endpoint: RespEndpoint = { host: "localhost", port: 6379, db: 0, tls: false };
  if (options.url !== undefined) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new TypeError(`Cannot create ${store}: url is not a valid URL`);
    }
    const scheme = url.protocol.slice(0, -1).toLowerCase();
    const tls = schemes.tls.includes(scheme);
    if (!tls && !schemes.plain.includes(scheme)) {
      const accepted = [...schemes.plain, ...schemes.tls].map((s) => `${s}://`).join(", ");
      throw new TypeError(`Cannot create ${store}: url must start with ${accepted}`);
    }
    endpoint.tls = tls;
    if (url.hostname) endpoint.host = url.hostname.replace(/^\[|\]$/g, "");
    if (url.port) endpoint.port = Number(url.port);
    if (url.username) endpoint.username = decodeURIComponent(url.username);
    if (url.password) endpoint.password = decodeURIComponent(url.password);
    const path = url.pathname.replace(/^\/+|\/+$/g, "");
    if (path !== "") endpoint.db = parseDb(path, store);
    const db = url.searchParams.get("db");
    if (db !== null) endpoint.db = parseDb(db, store);
  }
  if (options.host !== undefined) endpoint.host = options.host;
  if (options.port !== undefined) endpoint.port = options.port;
  if (options.db !== undefined) endpoint.db = options.db;
  if (options.username !== undefined) endpoint.username = options.username;
  if (options.password !== undefined) endpoint.password = options.password;
  if (options.tls !== undefined) endpoint.tls = options.tls;
  if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) {
    throw new TypeError(`Cannot create ${store}: port must be an integer in 1..65535`);
  }
  if (!Number.isInteger(endpoint.db) || endpoint.db < 0) {
    throw new TypeError(`Cannot create ${store}: db must be a non-negative integer`);
  }
  return endpoint;
}

function parseDb(text: string, store: string): number {
  if (!/^\d+$/.test(text)) {
    throw new TypeError(`Cannot create ${store}: the url's database must be a number: ${text}`);
  }
  return Number(text);
}

/** How long a created client's command may wait for its reply, by default, in ms. */
export const COMMAND_TIMEOUT = 5_000;

/**
 * The options of a client the store creates, so that an operation never
 * hangs on a dead server: it is rejected at the first failed reconnection
 * attempt (at most `retryStrategy`'s delay plus `connectTimeout`), while the
 * client keeps reconnecting in the background and recovers by itself when
 * the server returns. Connecting is lazy (first command). `disconnectTimeout`
 * is 0, so `close()` destroys a socket that never connected at once rather
 * than holding the process open 2 s (ioredis's default). There is no
 * `commandTimeout` here: the store bounds each command itself (see
 * {@linkcode connect}), with one timer for all commands rather than one per
 * command.
 */
export function createdClientOptions(endpoint: RespEndpoint): Record<string, unknown> {
  const options: Record<string, unknown> = {
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    lazyConnect: true,
    connectTimeout: 2_000,
    disconnectTimeout: 0,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
  };
  if (endpoint.username !== undefined) options.username = endpoint.username;
  if (endpoint.password !== undefined) options.password = endpoint.password;
  if (endpoint.tls) options.tls = {};
  return options;
}

/**
 * How RedisStore and ValkeyStore reach their server: a client you built, a
 * URL, host/port/db, or cluster seed nodes.
 */
export interface RespConnectOptions extends RespConnectionOptions {
  /**
   * A client you built: a `Redis`/`Valkey` (also one configured for
   * Sentinel) or a `Cluster`. The store never closes it and never adds
   * listeners to it, so its timeouts and reconnection are yours to configure.
   * Its `keyPrefix` must be unset (use `prefix`). Excludes `url`,
   * host/port/db and `clusterNodes`.
   */
  client?: RespClient;
  /** Seed nodes of a cluster (`"host:port"`); the store creates a `Cluster`. */
  clusterNodes?: readonly string[];
  /**
   * Redis Sentinel nodes (`"host:port"`): the store creates a client that
   * asks them for the master named `sentinelName` and follows its failovers.
   * `db`, `username`, `password` and `tls` apply to the master; a password
   * of the Sentinels themselves goes in `clientOptions.sentinelPassword`.
   * Excludes `url`, host/port and `clusterNodes`.
   */
  sentinels?: readonly string[];
  /** The master's name the Sentinels know (`sentinel monitor <name> ...`); needs `sentinels`. */
  sentinelName?: string;
  /**
   * Client options merged over the store's defaults when it creates the
   * client (for a cluster, they become `redisOptions`), e.g. `{ tls: { ca } }`
   * or `{ commandTimeout: 10_000 }`.
   *
   * `commandTimeout` (ms, default 5000) is the store's own: each command it
   * sends (a GET, an MGET, a pipeline, one SCAN step, ...) rejects with
   * `StoreConnectionError` when its reply has not come within it (give or
   * take a few percent, at most 100 ms late). It is not handed to the client,
   * whose own `commandTimeout` would arm and clear a timer per command;
   * `Infinity` turns the bound off.
   */
  clientOptions?: Record<string, unknown>;
}

/** The client classes of one library (ioredis or iovalkey). */
export interface RespLibrary {
  /** The standalone client class. */
  Redis: new (options: Record<string, unknown>) => unknown;
  /** The cluster client class. */
  Cluster: new (nodes: { host: string; port: number }[], options: object) => unknown;
  /** URL schemes: plain and TLS. */
  schemes: { plain: readonly string[]; tls: readonly string[] };
}

const CONNECTION_FIELDS = ["url", "host", "port", "db", "username", "password", "tls"] as const;

/** The names of {@linkcode RespConnectOptions}, which RedisStore and ValkeyStore accept. */
export const CONNECT_OPTIONS: readonly string[] = Object.freeze([
  ...CONNECTION_FIELDS,
  "client",
  "clusterNodes",
  "sentinels",
  "sentinelName",
  "clientOptions",
]);

/**
 * Takes the user's client, or creates one (standalone from `url` or
 * host/port/db, or a Cluster from `clusterNodes`) with
 * {@linkcode createdClientOptions} under `clientOptions`, and bounds each
 * command sent on a created client by `clientOptions.commandTimeout`
 * (default {@linkcode COMMAND_TIMEOUT}), which the client itself never sees.
 *
 * @throws {TypeError} When both a client and connection options are given,
 * or the options are malformed (`commandTimeout` not a number above 0).
 */
export function connect(
  options: RespConnectOptions,
  library: RespLibrary,
  store: string,
): { client: RespClient; owned: boolean } {
  const given = CONNECTION_FIELDS.filter((field) => options[field] !== undefined);
  if (options.client !== undefined) {
    if (
      given.length > 0 || options.clusterNodes !== undefined || options.sentinels !== undefined
    ) {
      throw new TypeError(
        `Cannot create ${store}: give either a client or connection options, not both`,
      );
    }
    const client = options.client;
    if (typeof client !== "object" || client === null || typeof client.call !== "function") {
      throw new TypeError(`Cannot create ${store}: client must be a Redis or Cluster client`);
    }
    return { client, owned: false };
  }
  const endpoint = resolveEndpoint(options, library.schemes, store);
  const defaults = createdClientOptions(endpoint);
  const userOptions = options.clientOptions;
  if (
    userOptions !== undefined &&
    (typeof userOptions !== "object" || userOptions === null || Array.isArray(userOptions))
  ) {
    throw new TypeError(`Cannot create ${store}: clientOptions must be an object`);
  }
  const { commandTimeout = COMMAND_TIMEOUT, ...clientOptions } = userOptions ?? {};
  if (typeof commandTimeout !== "number" || !(commandTimeout > 0)) {
    throw new TypeError(
      `Cannot create ${store}: clientOptions.commandTimeout must be a positive number of ms`,
    );
  }
  let client: RespClient;
  if (options.sentinelName !== undefined && options.sentinels === undefined) {
    throw new TypeError(`Cannot create ${store}: sentinelName needs sentinels`);
  }
  if (options.sentinels !== undefined) {
    client = sentinelClient(options, given, library, defaults, clientOptions, store);
  } else if (options.clusterNodes !== undefined) {
    if (given.some((field) => field === "url" || field === "host" || field === "port")) {
      throw new TypeError(`Cannot create ${store}: give either clusterNodes or url/host/port`);
    }
    if (!Array.isArray(options.clusterNodes)) {
      throw new TypeError(`Cannot create ${store}: clusterNodes must be an array of "host:port"`);
    }
    const nodes = options.clusterNodes.map((node) => parseNode(node, store));
    const { host: _h, port: _p, db: _d, ...redisOptions } = defaults;
    client = new library.Cluster(nodes, {
      lazyConnect: true,
      clusterRetryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
      redisOptions: { ...redisOptions, ...clientOptions },
    }) as RespClient;
  } else {
    client = new library.Redis({ ...defaults, ...clientOptions }) as RespClient;
  }
  if (commandTimeout !== Infinity) client = watchCommands(client, commandTimeout);
  return { client, owned: true };
}

function sentinelClient(
  options: RespConnectOptions,
  given: readonly string[],
  library: RespLibrary,
  defaults: Record<string, unknown>,
  clientOptions: Record<string, unknown>,
  store: string,
): RespClient {
  if (
    options.clusterNodes !== undefined ||
    given.some((field) => field === "url" || field === "host" || field === "port")
  ) {
    throw new TypeError(
      `Cannot create ${store}: give sentinels without url/host/port/clusterNodes`,
    );
  }
  if (!Array.isArray(options.sentinels) || options.sentinels.length === 0) {
    throw new TypeError(
      `Cannot create ${store}: sentinels must be a non-empty array of "host:port"`,
    );
  }
  const name = options.sentinelName;
  if (typeof name !== "string" || name === "") {
    throw new TypeError(
      `Cannot create ${store}: sentinels need a sentinelName (the master's name)`,
    );
  }
  const sentinels = options.sentinels.map((node) => parseNode(node, store));
  const { host: _h, port: _p, ...master } = defaults;
  return new library.Redis({ ...master, sentinels, name, ...clientOptions }) as RespClient;
}

function parseNode(node: unknown, store: string): { host: string; port: number } {
  const match = typeof node === "string" ? /^\[?([^\]]+?)\]?:(\d+)$/.exec(node) : null;
  if (!match) {
    throw new TypeError(`Cannot create ${store}: a node must be host:port: ${node}`);
  }
  return { host: match[1]!, port: Number(match[2]) };
}
