// Small node:fs helpers of the FileTreeStore path directory
// (_file_tree_node.ts): error codes, read flags, version tokens and the
// complete temp file every write starts with.

import { constants } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { tempName } from "./_dir.ts";

/** O_NOFOLLOW; missing on Windows, where an lstat check stands in for it. */
export const NOFOLLOW: number | undefined = constants.O_NOFOLLOW;
/** The flags of a read that does not follow a symlink. */
export const READ_FLAGS: number = constants.O_RDONLY | (NOFOLLOW ?? 0);

/** The `code` of a file-system error. */
export function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | null)?.code;
}

/** Whether an error says a file or one of its parents does not exist. */
export function isMissing(error: unknown): boolean {
  const code = codeOf(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

/** An identity of one version of a file: inode, mtime and size. */
export function tokenOf(stat: { ino: bigint; mtimeNs: bigint; size: bigint }): string {
  return `${stat.ino}:${stat.mtimeNs}:${stat.size}`;
}

/**
 * Writes a complete temp file in `parent` (flushed when `fsync`), ready to be
 * renamed or linked into place.
 *
 * @returns Its path; `undefined` when `parent` is gone.
 */
export async function writeTemp(
  parent: string,
  text: string,
  fsync: boolean,
): Promise<string | undefined> {
  const temp = path.join(parent, tempName());
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(temp, "wx");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    await handle.writeFile(text, "utf8");
    if (fsync) await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  return temp;
}

/**
 * Deletes `target` in `parent` if it is still the version `token` names: it
 * is moved aside first, then checked, and put back when another writer
 * replaced it meanwhile. Nothing happens when it is already gone.
 */
export async function removeVersion(parent: string, target: string, token: string): Promise<void> {
  const tomb = path.join(parent, tempName());
  try {
    await fs.rename(target, tomb);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  if (tokenOf(await fs.stat(tomb, { bigint: true })) !== token) {
    // Another writer replaced it meanwhile: put their file back.
    await fs.link(tomb, target).catch(() => {});
  }
  await fs.unlink(tomb).catch(() => {});
}
