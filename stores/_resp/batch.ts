// Multi-key commands over a standalone client or a cluster: one command for
// the whole batch on a standalone server, one per hash slot on a cluster
// (sent all at once, so the batch still costs about one round trip), and
// SCAN over every master.

import type { RespArg, RespClient, RespClusterClient, RespCommander } from "./types.ts";
import { scanNodes } from "./scan.ts";
import { groupBySlot } from "./slots.ts";

const SCAN_COUNT = 5_000;

/**
 * Runs `send` with the positions of `names`: once with all of them on a
 * standalone server (synchronously, so the command keeps its place in the
 * connection's order), once per hash slot on a cluster (all at once).
 */
export async function perSlot<T>(
  client: RespClient,
  names: readonly string[],
  send: (indices: number[]) => Promise<T>,
): Promise<T[]> {
  if (names.length === 0) return [];
  if (!client.isCluster) return [await send(names.map((_, i) => i))];
  return await Promise.all(groupBySlot(names).map(send));
}

/** MGET: the stored text of each name, in order (`null` when missing or not a string). */
export async function mget(client: RespClient, names: readonly string[]): Promise<unknown[]> {
  const texts = new Array<unknown>(names.length);
  await perSlot(client, names, async (indices) => {
    const reply = (await client.call("MGET", indices.map((i) => names[i]!))) as unknown[];
    indices.forEach((index, j) => (texts[index] = reply[j]));
  });
  return texts;
}

/** MSET of `names[i]` to `texts[i]`, without expiry. */
export async function mset(
  client: RespClient,
  names: readonly string[],
  texts: readonly string[],
): Promise<void> {
  await perSlot(client, names, (indices) => {
    const args: string[] = [];
    for (const i of indices) args.push(names[i]!, texts[i]!);
    return client.call("MSET", args);
  });
}

/** One SET per argument list: a single pipeline standalone, all at once on a cluster. */
export async function setEach(client: RespClient, argLists: readonly RespArg[][]): Promise<void> {
  if (client.isCluster) {
    await Promise.all(argLists.map((args) => client.call("SET", args)));
    return;
  }
  const pipeline = client.pipeline();
  for (const args of argLists) pipeline.call("SET", args);
  for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
}

/** UNLINK: how many of `names` existed. */
export async function unlink(client: RespClient, names: readonly string[]): Promise<number> {
  const counts = await perSlot(
    client,
    names,
    async (indices) => Number(await client.call("UNLINK", indices.map((i) => names[i]!))),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/** SCAN MATCH `pattern` to the end of the cursor on the server, or on every cluster master. */
export function scan(
  client: RespClient,
  pattern: string,
  onPage: (names: string[]) => Promise<boolean>,
): Promise<void> {
  const nodes: readonly RespCommander[] = client.isCluster
    ? (client as RespClusterClient).nodes("master")
    : [client];
  return scanNodes(nodes, pattern, SCAN_COUNT, onPage);
}
