/**
 * Open any store from a URL: {@linkcode openStore}.
 *
 * ```ts
 * import { closeStore, openStore } from "@kv/core/open";
 *
 * const store = await openStore(Deno.env.get("KV_URL") ?? "memory:");
 * await store.put("k", { n: 1 });
 * await closeStore(store);
 * ```
 *
 * @module
 */

export * from "./open_store.ts";
