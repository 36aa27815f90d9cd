/**
 * The schemes of {@linkcode openStore}: for each, the query parameters it
 * takes and how it builds its store. Each store's module (and so its client)
 * is imported only when its scheme is opened.
 *
 * @module
 */

import type { AsyncKeyValue } from "../core/protocol.ts";
import { type Params, type ParamSpec, parseParams } from "./_params.ts";

/**
 * A store `openStore` returns: the protocol; test its optional capabilities
 * with `canEnumerateKeys(store)` and the like, and close it with
 * `closeStore(store)` (a no-op for stores that hold nothing open).
 */
export type OpenedStore = AsyncKeyValue;

/** Options a scheme's URL gives its store. */
type Options = Record<string, unknown>;

/** One scheme: its parameters, and how its URL becomes store options and a store. */
export interface Scheme {
  /** Query parameters beyond the common ones. */
  readonly params: ParamSpec;
  /** Leaves unknown parameters in the URL for the driver instead of refusing them. */
  readonly passThrough?: boolean;
  /** Builds the store from the URL before its query, the parsed parameters and the rest. */
  open(head: string, params: Params, rest: URLSearchParams, extra: Options): Promise<OpenedStore>;
}

/** The `naming` parameter's one value: the layout py-key-value's V1 strategies give. */
const PY_KEY_VALUE = "py-key-value";

function naming(scheme: string, params: Options): boolean {
  const value = params.naming;
  delete params.naming;
  if (value === undefined) return false;
  if (value !== PY_KEY_VALUE) {
    throw new TypeError(`openStore(${scheme}): naming must be "${PY_KEY_VALUE}"`);
  }
  return true;
}

/** The text after `scheme:` (and `//` when `slashes`). */
function after(scheme: string, head: string, slashes: boolean): string {
  const prefix = slashes ? `${scheme}://` : `${scheme}:`;
  return head.slice(prefix.length);
}

function resp(kind: "redis" | "valkey", tls: boolean): Scheme {
  const scheme = `${kind}${tls ? "s" : ""}`;
  return {
    params: { prefix: "string", cluster: "list", sentinel: "string", sentinels: "list" },
    async open(head, params, _rest, extra) {
      const { cluster, sentinel, sentinels, ...own } = params;
      const options: Options = { ...own };
      if (cluster !== undefined && sentinel !== undefined) {
        throw new TypeError(`openStore(${scheme}): give cluster or sentinel, not both`);
      }
      if (sentinels !== undefined && sentinel === undefined) {
        throw new TypeError(`openStore(${scheme}): sentinels needs sentinel=<master name>`);
      }
      if (cluster === undefined && sentinel === undefined) {
        options.url = head;
      } else {
        // The URL's host is the first node; the parameter lists more.
        const url = parseUrl(scheme, head);
        const db = url.pathname.replace(/^\//, "");
        if (db !== "") {
          if (cluster !== undefined) {
            throw new TypeError(`openStore(${scheme}): a cluster has no database number`);
          }
          if (!/^(0|[1-9][0-9]*)$/.test(db)) {
            throw new TypeError(`openStore(${scheme}): the database must be a number`);
          }
          options.db = Number(db);
        }
        if (url.username) options.username = decodeURIComponent(url.username);
        if (url.password) options.password = decodeURIComponent(url.password);
        if (tls) options.tls = true;
        const first = `${url.hostname}:${url.port || (cluster ? "6379" : "26379")}`;
        if (cluster !== undefined) {
          options.clusterNodes = [first, ...cluster as string[]];
        } else {
          options.sentinels = [first, ...(sentinels as string[] | undefined ?? [])];
          options.sentinelName = sentinel;
        }
      }
      const module = kind === "redis"
        ? (await import("../stores/redis.ts")).RedisStore
        : (await import("../stores/valkey.ts")).ValkeyStore;
      return new module(merge(scheme, options, extra));
    },
  };
}

/** The store's options: the URL's, and the caller's, which may not repeat one. */
function merge(scheme: string, options: Options, extra: Options): never {
  for (const name of Object.keys(extra)) {
    if (Object.hasOwn(options, name)) {
      throw new TypeError(`openStore(${scheme}): ${name} is given by both the URL and the options`);
    }
  }
  return { ...options, ...extra } as never;
}

function parseUrl(scheme: string, text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new TypeError(`openStore(${scheme}): the URL is malformed`);
  }
}

function elasticsearch(tls: boolean): Scheme {
  const scheme = `elasticsearch+http${tls ? "s" : ""}`;
  return {
    params: { indexPrefix: "string", refresh: "string", autoCreate: "boolean", naming: "string" },
    async open(head, params, _rest, extra) {
      const options: Options = {
        ...params,
        url: `http${tls ? "s" : ""}://${after(scheme, head, true)}`,
      };
      if (params.refresh !== undefined) {
        const refresh =
          { true: true, false: false, wait_for: "wait_for" }[params.refresh as string];
        if (refresh === undefined) {
          throw new TypeError(`openStore(${scheme}): refresh must be true, false or wait_for`);
        }
        options.refresh = refresh;
      }
      const store = await import("../stores/elasticsearch/mod.ts");
      if (naming(scheme, options)) {
        const v1 = await import("../stores/elasticsearch/sanitization.ts");
        options.keySanitizationStrategy = new v1.ElasticsearchV1KeySanitizationStrategy();
        options.collectionSanitizationStrategy = new v1
          .ElasticsearchV1CollectionSanitizationStrategy();
      }
      return new store.ElasticsearchStore(merge(scheme, options, extra));
    },
  };
}

function mongodb(scheme: string): Scheme {
  return {
    params: { database: "string", autoCreate: "boolean", naming: "string" },
    passThrough: true,
    async open(head, params, driverParams, extra) {
      const query = driverParams.toString();
      const options: Options = { ...params, url: query === "" ? head : `${head}?${query}` };
      const store = await import("../stores/mongodb/mod.ts");
      if (naming(scheme, options)) {
        const v1 = await import("../stores/mongodb/sanitization.ts");
        options.collectionSanitizationStrategy = new v1.MongoDBV1CollectionSanitizationStrategy();
      }
      return new store.MongoDBStore(merge(scheme, options, extra));
    },
  };
}

function postgres(scheme: string): Scheme {
  return {
    params: { table: "string", autoCreate: "boolean", poolSize: "positiveInteger" },
    passThrough: true,
    async open(head, params, driverParams, extra) {
      const { table, ...own } = params;
      const query = driverParams.toString();
      const options: Options = { ...own, url: query === "" ? head : `${head}?${query}` };
      if (table !== undefined) options.tableName = table;
      const { PostgresStore } = await import("../stores/postgres/mod.ts");
      return new PostgresStore(merge(scheme, options, extra));
    },
  };
}

/** Every scheme, by name (without the colon). */
export const SCHEMES: Readonly<Record<string, Scheme>> = {
  memory: {
    params: { maxEntriesPerCollection: "positiveInteger" },
    async open(head, params, _rest, extra) {
      if (head !== "memory:") throw new TypeError("openStore(memory): memory: takes no path");
      const { MemoryStore } = await import("../stores/memory.ts");
      return new MemoryStore(merge("memory", params, extra));
    },
  },
  file: {
    params: { autoCreate: "boolean", fsync: "boolean", naming: "string" },
    async open(head, params, _rest, extra) {
      const options: Options = { ...params, directory: filePath(head) };
      const store = await import("../stores/file_tree/mod.ts");
      if (naming("file", options)) {
        const v1 = await import("../stores/file_tree/sanitization.ts");
        options.keySanitizationStrategy = new v1.FileTreeV1KeySanitizationStrategy();
        options.collectionSanitizationStrategy = new v1.FileTreeV1CollectionSanitizationStrategy();
      }
      return new store.FileTreeStore(merge("file", options, extra));
    },
  },
  denokv: {
    params: { prefix: "string" },
    async open(head, params, _rest, extra) {
      const path = after("denokv", head, false);
      const { DenoKvStore } = await import("../stores/deno_kv/mod.ts");
      return new DenoKvStore(
        merge("denokv", { ...params, ...(path === "" ? {} : { path }) }, extra),
      );
    },
  },
  redis: resp("redis", false),
  rediss: resp("redis", true),
  valkey: resp("valkey", false),
  valkeys: resp("valkey", true),
  memcached: {
    params: { prefix: "string", naming: "string" },
    async open(head, params, _rest, extra) {
      const options: Options = { ...params, url: after("memcached", head, true) };
      const store = await import("../stores/memcached/mod.ts");
      if (naming("memcached", options)) {
        const v1 = await import("../stores/memcached/sanitization.ts");
        options.keySanitizationStrategy = new v1.MemcachedV1KeySanitizationStrategy();
      }
      return new store.MemcachedStore(merge("memcached", options, extra));
    },
  },
  mongodb: mongodb("mongodb"),
  "mongodb+srv": mongodb("mongodb+srv"),
  postgres: postgres("postgres"),
  postgresql: postgres("postgresql"),
  dynamodb: {
    params: {
      region: "string",
      endpoint: "string",
      autoCreate: "boolean",
      consistentRead: "boolean",
    },
    async open(head, params, _rest, extra) {
      const tableName = decodeURIComponent(after("dynamodb", head, true));
      if (tableName === "" || tableName.includes("/")) {
        throw new TypeError("openStore(dynamodb): give the table as dynamodb://<table>");
      }
      const { endpoint, ...own } = params;
      const { DynamoDBStore } = await import("../stores/dynamodb/mod.ts");
      const options = { ...own, tableName, ...(endpoint === undefined ? {} : { url: endpoint }) };
      return new DynamoDBStore(merge("dynamodb", options, extra));
    },
  },
  "elasticsearch+http": elasticsearch(false),
  "elasticsearch+https": elasticsearch(true),
};

/**
 * The directory of a `file:` URL: `file:./data` and `file:data` are paths
 * relative to the working directory, `file:/srv/data` is absolute, and
 * `file:///srv/data` is a file URL (percent-decoded). A path is taken as
 * written, so a directory name may contain `%` but not `?`.
 */
function filePath(head: string): string {
  const path = after("file", head, false);
  if (path.startsWith("//")) {
    const url = parseUrl("file", head);
    if (url.host !== "" && url.host !== "localhost") {
      throw new TypeError("openStore(file): a file URL names no host");
    }
    return decodeURIComponent(url.pathname);
  }
  if (path === "") throw new TypeError("openStore(file): give a directory, e.g. file:./data");
  return path;
}

/** Parses the query against the scheme's parameters and opens its store. */
export function openScheme(
  name: string,
  scheme: Scheme,
  head: string,
  query: string,
  extra: Options,
): Promise<OpenedStore> {
  const { params, rest } = parseParams(name, query, scheme.params, scheme.passThrough);
  return scheme.open(head, params, rest, extra);
}
