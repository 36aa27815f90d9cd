// The part of node-postgres's API that PostgresStore uses, so that Deno's
// type check and `deno doc` never load @types/pg (whose `/// <reference
// types="node" />` drags all of @types/node into every importer). The npm
// build's tsc uses @types/pg itself.

/** Options of `new pg.Client()` the store sets. */
export interface ClientConfig {
  connectionString?: string;
  connectionTimeoutMillis?: number;
}

/** A node-postgres client. */
export declare class Client {
  constructor(config?: ClientConfig);
}

/** Options of `new pg.Pool()` the store sets. */
export interface PoolConfig {
  connectionString?: string;
  max?: number;
  Client?: new (config?: ClientConfig) => Client;
}

/** A node-postgres pool. */
export declare class Pool {
  constructor(config?: PoolConfig);
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  on(event: "error", listener: (error: Error) => void): this;
  end(): Promise<void>;
}

declare const pg: { Pool: typeof Pool; Client: typeof Client };
export default pg;
