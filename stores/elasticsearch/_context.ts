// What the Elasticsearch helpers need of the store: its client, error mapper,
// clock and settings. A module of its own, so that the helpers that use it
// and the setup that builds it do not import each other.

import type { Client } from "@elastic/elasticsearch";
import type { StoreOperation } from "../../core/base_store.ts";
import type { Clock } from "../../core/clock.ts";
import type { ErrorMapper } from "../_shared/errors.ts";

/** What the Elasticsearch helpers need of the store. */
export interface EsContext {
  /** The client (the store's own or the caller's). */
  readonly client: Client;
  /** Maps client errors to the library's errors. */
  readonly errors: ErrorMapper;
  /** The `refresh` of writes. */
  readonly refresh: boolean | "wait_for";
  /** The lowercased index prefix. */
  readonly indexPrefix: string;
  /** The store's clock: every deadline (reads, deletes, searches, cull) is judged by it. */
  readonly clock: Clock;
  /** The store's `context(operation)`, e.g. "get from ElasticsearchStore". */
  context(operation: StoreOperation): string;
}
