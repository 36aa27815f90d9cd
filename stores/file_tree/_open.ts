// This module is browser compatible.
// Opening a FileTreeStore's root. A Web FileSystemDirectoryHandle opens
// through _web.ts. A path opens only through an opener that a subclass
// registers on itself (mod.ts's FileTreeStore registers node:fs's), so the
// web entry (web.ts) and everything it imports never reach node:*: a bundle
// of it, built without code splitting, holds no Node code.
//
// The opener is a non-enumerable symbol property of the class, set in a
// static block: static properties are inherited, so a user's subclass of the
// path-capable class opens paths too; and it stays out of the declared types.

import type { TreeDirectory } from "./_dir.ts";
import { WebTreeDirectory } from "./_web.ts";

/** How a path root is opened. */
export interface OpenTreeOptions {
  /** Create a missing root directory (with its parents). */
  readonly autoCreate: boolean;
  /** fsync each temp file before renaming it into place. */
  readonly fsync: boolean;
}

/** Opens a path root. */
export type PathOpener = (path: string, options: OpenTreeOptions) => Promise<TreeDirectory>;

const PATH_OPENER = Symbol("FileTreeStore path opener");

/** Makes `store` (a class) and its subclasses open path roots with `opener`. */
export function allowPathRoots(store: object, opener: PathOpener): void {
  Object.defineProperty(store, PATH_OPENER, { value: opener });
}

/** The path opener `store` (a class) has or inherits, if any. */
export function pathOpenerOf(store: object): PathOpener | undefined {
  return (store as { [PATH_OPENER]?: PathOpener })[PATH_OPENER];
}

/**
 * Checks a store's `directory` option.
 *
 * @param directory The option.
 * @param paths Whether path roots can be opened.
 * @throws {TypeError} When it is neither a non-empty string nor a directory
 *   handle, or a path where `paths` is false.
 */
export function checkRoot(directory: unknown, paths: boolean): string | FileSystemDirectoryHandle {
  const isHandle = typeof directory === "object" && directory !== null &&
    (directory as { kind?: string }).kind === "directory";
  const isPath = typeof directory === "string" && directory !== "";
  if (isPath && !paths) {
    throw new TypeError(
      `Cannot create FileTreeStore: the path root ${JSON.stringify(directory)} needs node:fs, ` +
        "which the web FileTreeStore (@kv/core/stores/file-tree/web, which is also what a " +
        "browser bundle gets for @kv/core/stores/file-tree) leaves out: pass a " +
        "FileSystemDirectoryHandle such as await navigator.storage.getDirectory(), or, on " +
        "Deno, Node or Bun, import FileTreeStore from @kv/core/stores/file-tree",
    );
  }
  if (!isPath && !isHandle) {
    throw new TypeError(
      paths
        ? "Cannot create FileTreeStore: directory must be a path or a FileSystemDirectoryHandle"
        : "Cannot create FileTreeStore: directory must be a FileSystemDirectoryHandle",
    );
  }
  return directory as string | FileSystemDirectoryHandle;
}

/** Opens the root: a directory handle, or a path through `paths`. */
export async function openTree(
  source: string | FileSystemDirectoryHandle,
  options: OpenTreeOptions,
  paths: PathOpener | undefined,
): Promise<TreeDirectory> {
  if (typeof source !== "string") return new WebTreeDirectory(source);
  // checkRoot refused paths without an opener; this guards a store built otherwise.
  if (paths === undefined) throw new TypeError(`no opener for the path root ${source}`);
  return await paths(source, options);
}
