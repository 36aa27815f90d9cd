// This module is browser compatible.
// Opening a FileTreeStore's root: a path through node:fs (loaded only then,
// so a browser bundle never needs node:*), or a Web FileSystemDirectoryHandle.

import type { TreeDirectory } from "./_dir.ts";
import { WebTreeDirectory } from "./_web.ts";

/** How a path root is opened. */
export interface OpenTreeOptions {
  /** Create a missing root directory (with its parents). */
  readonly autoCreate: boolean;
  /** fsync each temp file before renaming it into place. */
  readonly fsync: boolean;
}

/**
 * Checks a store's `directory` option.
 *
 * @throws {TypeError} When it is neither a non-empty string nor a directory handle.
 */
export function checkRoot(directory: unknown): string | FileSystemDirectoryHandle {
  const isHandle = typeof directory === "object" && directory !== null &&
    (directory as { kind?: string }).kind === "directory";
  if (!(typeof directory === "string" && directory !== "") && !isHandle) {
    throw new TypeError(
      "Cannot create FileTreeStore: directory must be a path or a FileSystemDirectoryHandle",
    );
  }
  return directory as string | FileSystemDirectoryHandle;
}

/** Opens the root: a path (created when `autoCreate`) or a directory handle. */
export async function openTree(
  source: string | FileSystemDirectoryHandle,
  options: OpenTreeOptions,
): Promise<TreeDirectory> {
  if (typeof source !== "string") return new WebTreeDirectory(source);
  // Loaded only for paths, so a browser bundle never needs node:fs.
  const { openNodeTree } = await import("./_node.ts");
  return await openNodeTree(source, options);
}
