// This module is browser compatible.
// The small directory interface FileTreeStore works over. Two
// implementations: _node.ts (a path, through node:fs/promises, on Deno, Node
// and Bun) and _web.ts (a Web FileSystemDirectoryHandle, such as the
// browser's Origin Private File System). Every name passed in is one path
// component the store has already checked; `dir` is a collection directory
// directly under the root, or `undefined` for the root itself. Every method
// checks, at each call, that `dir` still lies inside the root.

/** One entry of a directory listing. */
export interface DirEntry {
  /** The entry's name. */
  readonly name: string;
  /** Whether it is a directory (after following a symlink that stays inside the root). */
  readonly directory: boolean;
}

/** Text read from a file, with a token that changes whenever the file is replaced. */
export interface FileText {
  /** The file's content. */
  readonly text: string;
  /** An identity of this version of the file (inode and mtime, or size and lastModified). */
  readonly token: string;
}

/** The operations FileTreeStore needs from a directory tree. */
export interface TreeDirectory {
  /** Where the tree lives, for messages and the `-info.json` files' `directory`. */
  location(dir?: string): string;
  /** Reads a file; `undefined` when it or its directory does not exist. */
  read(dir: string | undefined, name: string): Promise<string | undefined>;
  /** Reads a file with its version token; `undefined` when it does not exist. */
  readVersion(dir: string | undefined, name: string): Promise<FileText | undefined>;
  /**
   * Replaces a file atomically (temp file, flush, rename; or a committed
   * writable stream). Returns `false`, writing nothing, when `dir` does not exist.
   */
  write(dir: string | undefined, name: string, text: string): Promise<boolean>;
  /**
   * Creates a file only when it does not exist or when `replaceable(current)`
   * says the existing content may go (an expired entry); atomic on one
   * machine. Resolves `true` when written, `false` when a file was kept, and
   * `undefined` when `dir` does not exist.
   */
  create(
    dir: string | undefined,
    name: string,
    text: string,
    replaceable: (current: string) => boolean,
  ): Promise<boolean | undefined>;
  /** Deletes a file; `true` if it existed. */
  remove(dir: string | undefined, name: string): Promise<boolean>;
  /** Deletes a file only if it is still the version `token` names; `true` if deleted. */
  removeIfUnchanged(dir: string, name: string, token: string): Promise<boolean>;
  /** Deletes a file last modified before `before` (epoch ms); `true` if deleted. */
  removeStale(dir: string | undefined, name: string, before: number): Promise<boolean>;
  /** Creates a collection directory (no error when it exists). */
  makeDirectory(dir: string): Promise<void>;
  /** Removes a collection directory if it is empty; `true` if removed. */
  removeDirectory(dir: string): Promise<boolean>;
  /** Lists a directory; `[]` when it does not exist. */
  list(dir?: string): Promise<DirEntry[]>;
}

/** Whether a name in a collection directory is a temp file of an unfinished write. */
export function isTempName(name: string): boolean {
  return name.endsWith(".tmp");
}

/**
 * Whether a name in the root is a temp file of an unfinished metadata write:
 * ours (`.<16 hex>.tmp`) or py-key-value's (`tmp<8 characters>.tmp`, from
 * Python's `tempfile.mkstemp`). Other `.tmp` files in the root are not ours.
 */
export function isRootTempName(name: string): boolean {
  return /^(\.[0-9a-f]{16}|tmp[a-z0-9_]{8})\.tmp$/.test(name);
}

/** A fresh temp-file name: a dot, 16 random hex digits, ".tmp". */
export function tempName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let out = ".";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return `${out}.tmp`;
}
