// The FileTreeStore directory over a path, through node:fs/promises (which
// Deno, Node and Bun all implement). Loaded with a dynamic import only when
// the store is given a path string, so the browser build never sees node:*.
//
// Security: the root is resolved once (realpath). A collection directory is
// checked at every operation that touches it, not only on first use: it is
// lstat-ed, a real directory is used as it is, and a symlink is resolved
// (realpath) and used by its real path only when that lies inside the root,
// else the operation is a PathSecurityError. So a directory swapped for a
// symlink after first use is refused from the next operation on. Files are
// opened with O_NOFOLLOW; a symlinked file is read only when its target lies
// inside the root. Writes, renames and deletes never follow a symlink: a
// temp file is created exclusively (O_EXCL), a rename replaces the link
// itself and an unlink removes the link, so nothing outside the root is
// written or deleted through an entry file.
//
// What remains: node:fs has no openat(), so a directory swapped in the
// moment between the check and the call that uses it (microseconds, by
// someone who can already write inside the root) is not caught.

import * as fs from "node:fs/promises";
import * as path from "node:path";
import { PathSecurityError } from "../../core/errors.ts";
import type { DirEntry, FileText, TreeDirectory } from "./_dir.ts";
import {
  childPath,
  codeOf,
  isMissing,
  NOFOLLOW,
  openInside,
  READ_FLAGS,
  realInside,
  removeVersion,
  tokenOf,
  writeTemp,
} from "./_node_files.ts";

/** Options of {@linkcode openNodeTree}. */
export interface NodeTreeOptions {
  /** Create the root when it is missing. */
  readonly autoCreate: boolean;
  /** fsync each temp file before renaming it into place. */
  readonly fsync: boolean;
}

/**
 * Opens (and by default creates) the tree rooted at `directory`.
 *
 * @throws {Error} When the root is missing and `autoCreate` is false, or is not a directory.
 */
export async function openNodeTree(
  directory: string,
  options: NodeTreeOptions,
): Promise<TreeDirectory> {
  const resolved = path.resolve(directory);
  if (options.autoCreate) await fs.mkdir(resolved, { recursive: true });
  const root = await fs.realpath(resolved);
  if (!(await fs.stat(root)).isDirectory()) {
    throw new Error(`${JSON.stringify(directory)} is not a directory`);
  }
  return new NodeTreeDirectory(root, options.fsync);
}

class NodeTreeDirectory implements TreeDirectory {
  readonly #root: string;
  readonly #fsync: boolean;

  constructor(root: string, fsync: boolean) {
    this.#root = root;
    this.#fsync = fsync;
  }

  location(dir?: string): string {
    return dir === undefined ? this.#root : path.join(this.#root, dir);
  }

  /**
   * The path to use for a directory, checked now (at every call): the root,
   * a directory under it, or the real path of a symlink whose target lies
   * inside the root; `undefined` when it does not exist.
   *
   * @throws {PathSecurityError} When it is a symlink leading outside the root.
   */
  async #dir(dir: string | undefined): Promise<string | undefined> {
    if (dir === undefined) return this.#root;
    const full = childPath(this.#root, dir);
    let stat;
    try {
      stat = await fs.lstat(full);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    if (!stat.isSymbolicLink()) return full;
    return await realInside(this.#root, full, (real) =>
      new PathSecurityError(
        `Cannot use collection directory ${JSON.stringify(dir)}: it resolves outside the root`,
        { extraInfo: { directory: full, resolved: real, root: this.#root } },
      ));
  }

  async read(dir: string | undefined, name: string): Promise<string | undefined> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return undefined;
    const file = childPath(parent, name);
    if (NOFOLLOW !== undefined) {
      // One call on the common path; a symlink fails with ELOOP and is checked below.
      try {
        return await fs.readFile(file, { encoding: "utf8", flag: READ_FLAGS });
      } catch (error) {
        if (isMissing(error)) return undefined;
        if (codeOf(error) !== "ELOOP") throw error;
      }
    }
    const handle = await openInside(this.#root, file);
    if (handle === undefined) return undefined;
    try {
      return await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  }

  async readVersion(dir: string | undefined, name: string): Promise<FileText | undefined> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return undefined;
    const handle = await openInside(this.#root, childPath(parent, name));
    if (handle === undefined) return undefined;
    try {
      const stat = await handle.stat({ bigint: true });
      return { text: await handle.readFile("utf8"), token: tokenOf(stat) };
    } finally {
      await handle.close();
    }
  }

  async write(dir: string | undefined, name: string, text: string): Promise<boolean> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return false;
    const target = childPath(parent, name);
    const temp = await writeTemp(parent, text, this.#fsync);
    if (temp === undefined) return false;
    try {
      await fs.rename(temp, target);
      return true;
    } catch (error) {
      await fs.unlink(temp).catch(() => {});
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async create(
    dir: string | undefined,
    name: string,
    text: string,
    replaceable: (current: string) => boolean,
  ): Promise<boolean | undefined> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return undefined;
    const target = childPath(parent, name);
    const temp = await writeTemp(parent, text, this.#fsync);
    if (temp === undefined) return undefined;
    try {
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          // link() fails with EEXIST when the target exists: an atomic
          // create-exclusive that publishes a complete file.
          await fs.link(temp, target);
          return true;
        } catch (error) {
          if (isMissing(error)) return undefined;
          if (codeOf(error) !== "EEXIST") throw error;
        }
        const current = await this.readVersion(dir, name);
        if (current === undefined) continue;
        if (!replaceable(current.text)) return false;
        await removeVersion(parent, target, current.token);
      }
      throw new Error(`could not create ${JSON.stringify(target)}: too much contention`);
    } finally {
      await fs.unlink(temp).catch(() => {});
    }
  }

  async remove(dir: string | undefined, name: string): Promise<boolean> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return false;
    try {
      await fs.unlink(childPath(parent, name));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async removeIfUnchanged(dir: string, name: string, token: string): Promise<boolean> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return false;
    const file = childPath(parent, name);
    try {
      if (tokenOf(await fs.stat(file, { bigint: true })) !== token) return false;
      await fs.unlink(file);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async removeStale(dir: string | undefined, name: string, before: number): Promise<boolean> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return false;
    const file = childPath(parent, name);
    try {
      const stat = await fs.lstat(file);
      if (stat.isDirectory() || stat.mtimeMs >= before) return false;
      await fs.unlink(file);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async makeDirectory(dir: string): Promise<void> {
    try {
      await fs.mkdir(childPath(this.#root, dir));
    } catch (error) {
      if (codeOf(error) !== "EEXIST") throw error;
    }
    await this.#dir(dir); // refuses a pre-existing symlink that leads outside
  }

  async removeDirectory(dir: string): Promise<boolean> {
    try {
      await fs.rmdir(childPath(this.#root, dir));
      return true;
    } catch (error) {
      const code = codeOf(error);
      if (isMissing(error) || code === "ENOTEMPTY" || code === "EEXIST") return false;
      throw error;
    }
  }

  async list(dir?: string): Promise<DirEntry[]> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return [];
    let entries;
    try {
      entries = await fs.readdir(parent, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const out: DirEntry[] = [];
    for (const entry of entries) {
      let directory = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          directory = (await fs.stat(path.join(parent, entry.name))).isDirectory();
        } catch {
          continue; // a dangling link
        }
      }
      out.push({ name: entry.name, directory });
    }
    return out;
  }
}
