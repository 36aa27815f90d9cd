// A child process of file_tree_processes.test.ts: waits until a shared start
// time, then writes one hot key many times and races for a set of leases
// with putIfAbsent, and prints which leases it won.
// Usage: <runtime> _file_tree_writer.ts <directory> <writer id> <start epoch ms> <rounds> <leases>

import process from "node:process";
import { FileTreeStore } from "../../../../stores/file_tree/mod.ts";

const [directory, id, startAt, rounds, leases] = process.argv.slice(2);
const writer = Number(id);
const store = new FileTreeStore({ directory: directory!, fsync: false });
await store.get("warm-up");
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const won: number[] = [];
for (let i = 0; i < Number(rounds); i++) {
  await store.put("hot", { writer, i, pad: "w".repeat(50_000 + writer * 1_000) });
  if (i < Number(leases) && await store.putIfAbsent(`lease${i}`, { writer })) won.push(i);
}
process.stdout.write(JSON.stringify({ writer, won }));
