// Small node:fs helpers of the FileTreeStore path directory (_node.ts):
// error codes, read flags, path checks against the root, version tokens and
// the complete temp file every write starts with.

import { constants } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { PathSecurityError } from "../../core/errors.ts";
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

/**
 * `parent/name`, refusing a `name` that is not one file name.
 *
 * @throws {PathSecurityError} When `name` would leave `parent`.
 */
export function childPath(parent: string, name: string): string {
  const joined = path.join(parent, name);
  if (path.dirname(joined) !== parent || path.basename(joined) !== name) {
    throw new PathSecurityError(
      `Cannot use name ${JSON.stringify(name)}: it is not a single file name inside the root`,
      { extraInfo: { name } },
    );
  }
  return joined;
}

/**
 * The real path of `file`, which must lie inside `root` (itself a real
 * path); `undefined` when missing.
 *
 * @throws {PathSecurityError} `refuse(real)` when it resolves outside.
 */
export async function realInside(
  root: string,
  file: string,
  refuse: (real: string) => PathSecurityError,
): Promise<string | undefined> {
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  if (real !== root && !real.startsWith(root + path.sep)) throw refuse(real);
  return real;
}

/**
 * Opens `file` for reading without following a symlink, or, when it is one,
 * opens its target if that lies inside `root`; `undefined` when missing.
 */
export async function openInside(root: string, file: string): Promise<fs.FileHandle | undefined> {
  try {
    if (NOFOLLOW === undefined && (await fs.lstat(file)).isSymbolicLink()) {
      return await openLink(root, file);
    }
    return await fs.open(file, READ_FLAGS);
  } catch (error) {
    if (isMissing(error)) return undefined;
    if (codeOf(error) === "ELOOP") return await openLink(root, file);
    throw error;
  }
}

async function openLink(root: string, file: string): Promise<fs.FileHandle | undefined> {
  const real = await realInside(
    root,
    file,
    (real) =>
      new PathSecurityError(`Cannot read ${JSON.stringify(file)}: it links outside the root`, {
        extraInfo: { file, resolved: real, root },
      }),
  );
  return real === undefined ? undefined : await fs.open(real, constants.O_RDONLY);
}
