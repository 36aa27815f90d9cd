// Bounds every command sent on a client the store created: one shared
// Watchdog (one timer for all commands in flight) instead of ioredis's
// `commandTimeout`, which arms and clears a timer per command.

import { Watchdog } from "../../core/_watchdog.ts";
import type {
  RespArg,
  RespClient,
  RespClusterClient,
  RespCommander,
  RespPipeline,
} from "./types.ts";

/**
 * Wraps a client so that each command (and each pipeline's `exec`) rejects
 * with an `Error` whose message starts with "Command timed out" when no
 * reply came within `ms` (see {@linkcode Watchdog} for the precision); the
 * store turns that error into a `StoreConnectionError`. A late reply is
 * dropped. Each command is bounded on its own, so an operation of many
 * steps (a SCAN loop) may take longer than `ms` in all.
 *
 * @param client The client the store created.
 * @param ms The deadline of each command, in milliseconds (> 0).
 * @returns A client with the same connection, status and events.
 */
export function watchCommands(client: RespClient, ms: number): RespClient {
  const watchdog = new Watchdog(
    ms,
    (label) => new Error(`Command timed out: no reply to ${label} within ${ms} ms`),
  );
  const watch = (node: RespCommander, command: string, args: RespArg[]): Promise<unknown> => {
    const batch = watchdog.batch();
    let sent: Promise<unknown>;
    try {
      sent = node.call(command, args);
    } catch (error) {
      return Promise.reject(error);
    }
    return watchdog.watch(batch, sent, command);
  };
  const watched: RespClusterClient = {
    get isCluster() {
      return client.isCluster;
    },
    get status() {
      return client.status;
    },
    get options() {
      return client.options;
    },
    call: (command, args) => watch(client, command, args),
    pipeline: (): RespPipeline => {
      const pipeline = client.pipeline();
      return {
        call: (command, args) => pipeline.call(command, args),
        exec: () => watchdog.watch(watchdog.batch(), pipeline.exec(), "a pipeline"),
      };
    },
    nodes: (role) =>
      (client as RespClusterClient).nodes(role).map((node) => ({
        call: (command: string, args: RespArg[]) => watch(node, command, args),
      })),
    quit: () => client.quit(),
    disconnect: () => client.disconnect(),
    on: (event, listener) => client.on(event, listener),
  };
  return watched;
}
