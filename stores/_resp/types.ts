// The minimal client both ioredis and iovalkey satisfy: what RespStore and
// its helpers need of a `Redis`, a `Cluster`, a cluster node and a pipeline.
// Types only, imported by every file of this folder (and by none back).

/** A command argument. */
export type RespArg = string | number;

/** Something that runs a command: a client, or one node of a cluster. */
export interface RespCommander {
  /** Sends one command and resolves its reply. */
  call(command: string, args: RespArg[]): Promise<unknown>;
}

/** A pipeline: commands queued, then written at once. */
export interface RespPipeline {
  /** Queues a command. */
  call(command: string, args: RespArg[]): unknown;
  /** Sends the queued commands; resolves `[error, reply]` per command. */
  exec(): Promise<[Error | null, unknown][] | null>;
}

/** What the store needs of an ioredis or iovalkey `Redis` or `Cluster`. */
export interface RespClient extends RespCommander {
  /** `true` for a `Cluster`. */
  readonly isCluster: boolean;
  /** The connection status ("wait", "connecting", "ready", "end", ...). */
  readonly status: string;
  /** The client's options (checked for `keyPrefix`). */
  readonly options?: { keyPrefix?: string | undefined } | undefined;
  /** Starts a pipeline. */
  pipeline(): RespPipeline;
  /** Closes after pending replies arrive. */
  quit(): Promise<unknown>;
  /** Closes now. */
  disconnect(): void;
  /** Adds an event listener (used only on clients the store created). */
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** A `Cluster`: its master nodes are scanned one by one. */
export interface RespClusterClient extends RespClient {
  /** The nodes of a role. */
  nodes(role: "master"): RespCommander[];
}
