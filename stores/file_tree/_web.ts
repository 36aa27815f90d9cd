// This module is browser compatible.
// The FileTreeStore directory over a Web FileSystemDirectoryHandle, such as
// the browser's Origin Private File System (navigator.storage.getDirectory()).
//
// - A write goes through createWritable(): the browser writes a swap file and
//   commits it on close(), so a reader sees the old or the new content. A
//   file created for the first time exists, empty, until that commit; an empty
//   file is therefore read as absent (an envelope is never empty).
// - create() and removeIfUnchanged() run under a Web Lock (navigator.locks,
//   shared by every tab and worker of the origin) when the runtime has one,
//   else under an in-process lock.
// - Handles cannot name anything outside their directory, and the file system
//   has no symlinks, so there is nothing to escape through: the node
//   backend's symlink checks have no counterpart here.
// - The OPFS has no temp files of ours (the browser keeps its own swap file);
//   removeStale() serves cull() all the same, for `.tmp` files put there.

import type { DirEntry, FileText, TreeDirectory } from "./_dir.ts";
import { inTurn } from "./_lock.ts";

function errorName(error: unknown): string | undefined {
  return (error as { name?: string } | null)?.name;
}

function isMissing(error: unknown): boolean {
  const name = errorName(error);
  return name === "NotFoundError" || name === "TypeMismatchError";
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

const localLocks = new Map<string, Promise<unknown>>();

function withLock<T>(name: string, run: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (locks && typeof locks.request === "function") return locks.request(name, run);
  return inTurn(localLocks, name, run);
}

/** A {@linkcode TreeDirectory} over a `FileSystemDirectoryHandle`. */
export class WebTreeDirectory implements TreeDirectory {
  readonly #root: FileSystemDirectoryHandle;
  readonly #lockPrefix: string;

  /** Wraps `root`. */
  constructor(root: FileSystemDirectoryHandle) {
    this.#root = root;
    this.#lockPrefix = `@kv/core/file-tree/${root.name}/`;
  }

  location(dir?: string): string {
    const base = this.#root.name === "" ? "opfs:" : this.#root.name;
    return dir === undefined ? base : `${base}/${dir}`;
  }

  async #dir(dir: string | undefined): Promise<FileSystemDirectoryHandle | undefined> {
    if (dir === undefined) return this.#root;
    try {
      return await this.#root.getDirectoryHandle(dir);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async #file(dir: string | undefined, name: string): Promise<File | undefined> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return undefined;
    try {
      const file = await (await parent.getFileHandle(name)).getFile();
      return file.size === 0 ? undefined : file;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async read(dir: string | undefined, name: string): Promise<string | undefined> {
    const file = await this.#file(dir, name);
    return file === undefined ? undefined : await file.text();
  }

  async readVersion(dir: string | undefined, name: string): Promise<FileText | undefined> {
    const file = await this.#file(dir, name);
    if (file === undefined) return undefined;
    return { text: await file.text(), token: `${file.lastModified}:${file.size}` };
  }

  async write(dir: string | undefined, name: string, text: string): Promise<boolean> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return false;
    try {
      const handle = await parent.getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      try {
        await writable.write(text);
      } catch (error) {
        await writable.abort().catch(() => {});
        throw error;
      }
      await writable.close();
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  create(
    dir: string | undefined,
    name: string,
    text: string,
    replaceable: (current: string) => boolean,
  ): Promise<boolean | undefined> {
    return withLock(`${this.#lockPrefix}${dir ?? ""}/${name}`, async () => {
      if (await this.#dir(dir) === undefined) return undefined;
      const current = await this.read(dir, name);
      if (current !== undefined && !replaceable(current)) return false;
      return (await this.write(dir, name, text)) || undefined;
    });
  }

  async remove(dir: string | undefined, name: string): Promise<boolean> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return false;
    try {
      await parent.removeEntry(name);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  removeIfUnchanged(dir: string, name: string, token: string): Promise<boolean> {
    return withLock(`${this.#lockPrefix}${dir}/${name}`, async () => {
      const current = await this.readVersion(dir, name);
      if (current === undefined || current.token !== token) return false;
      return await this.remove(dir, name);
    });
  }

  async removeStale(dir: string | undefined, name: string, before: number): Promise<boolean> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return false;
    try {
      const file = await (await parent.getFileHandle(name)).getFile();
      if (file.lastModified >= before) return false;
      await parent.removeEntry(name);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async makeDirectory(dir: string): Promise<void> {
    await this.#root.getDirectoryHandle(dir, { create: true });
  }

  async removeDirectory(dir: string): Promise<boolean> {
    try {
      await this.#root.removeEntry(dir);
      return true;
    } catch (error) {
      if (isMissing(error) || errorName(error) === "InvalidModificationError") return false;
      throw error;
    }
  }

  async list(dir?: string): Promise<DirEntry[]> {
    const parent = await this.#dir(dir);
    if (parent === undefined) return [];
    const out: DirEntry[] = [];
    try {
      for await (const [name, handle] of parent.entries()) {
        out.push({ name, directory: handle.kind === "directory" });
      }
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    return out;
  }
}
