// This module is browser compatible.
// FileTreeStore's names: a key or collection to a file or directory name
// (the default reversible escaping, or a sanitization strategy such as
// py-key-value's FileTree V1), and back. Every name is checked here, before
// any file is touched: one file name inside its directory, within NAME_MAX,
// and (for a directory) never named like another collection's metadata file.

import { InvalidKeyError, PathSecurityError } from "../../core/errors.ts";
import type { SanitizationStrategy } from "../../core/sanitization.ts";
import {
  fileSystemName,
  isHashedName,
  MAX_COLLECTION_NAME,
  MAX_KEY_NAME,
  unescapeName,
} from "../_shared/file_names.ts";

/** The suffix of entry files. */
export const JSON_SUFFIX = ".json";
/** The suffix of a collection's metadata file, beside its directory. */
export const INFO_SUFFIX = "-info.json";
/** The longest file name, in UTF-8 bytes, on the common file systems. */
export const NAME_MAX = 255;

const encoder = new TextEncoder();

/** Maps keys and collections to names in the tree, and names back. */
export class TreeNaming {
  readonly #keys: SanitizationStrategy | undefined;
  readonly #collections: SanitizationStrategy | undefined;

  constructor(
    keys: SanitizationStrategy | undefined,
    collections: SanitizationStrategy | undefined,
  ) {
    this.#keys = keys;
    this.#collections = collections;
  }

  /** The directory of `collection`; `context` ("put into FileTreeStore") names errors. */
  dirName(collection: string, context: string): string {
    const strategy = this.#collections;
    if (!strategy) return fileSystemName(collection, MAX_COLLECTION_NAME, INFO_SUFFIX);
    strategy.validate(collection);
    const name = single(strategy.sanitize(collection), collection, "collection", context);
    if (name.toLowerCase().endsWith(INFO_SUFFIX)) {
      throw new InvalidKeyError(
        `Cannot ${context}: collection ${JSON.stringify(collection)} would be stored as ` +
          `${JSON.stringify(name)}, the name of another collection's metadata file ` +
          `(names ending in ${JSON.stringify(INFO_SUFFIX)} are refused); use the default naming`,
        { extraInfo: { collection, sanitized: name } },
      );
    }
    return fits(name, INFO_SUFFIX, collection, "collection", context);
  }

  /** The file of `key`, with its `.json` suffix. */
  fileName(key: string, context: string): string {
    const strategy = this.#keys;
    if (!strategy) return fileSystemName(key, MAX_KEY_NAME) + JSON_SUFFIX;
    strategy.validate(key);
    const name = single(strategy.sanitize(key), key, "key", context);
    return fits(name, JSON_SUFFIX, key, "key", context) + JSON_SUFFIX;
  }

  /**
   * The key a file holds: the envelope's `key` when it maps to this file,
   * else the name the file's stem decodes to when that name maps back to
   * this file; `undefined` otherwise (a file of a hashed or sanitized name
   * whose envelope records no key, as py-key-value writes them: the hash
   * cannot be reversed).
   */
  keyOf(file: string, envelope: Record<string, unknown>): string | undefined {
    const maps = (key: unknown): key is string =>
      typeof key === "string" && key !== "" && attempt(() => this.fileName(key, "")) === file;
    if (maps(envelope.key)) return envelope.key;
    const stem = file.slice(0, -JSON_SUFFIX.length);
    const strategy = this.#keys;
    if (!strategy) return isHashedName(stem) ? undefined : unescapeName(stem);
    const key = strategy.tryUnsanitize ? strategy.tryUnsanitize(stem) : stem;
    return maps(key) ? key : undefined;
  }

  /** The collection a directory holds, from its `-info.json` (`info`) or its name. */
  collectionOf(dir: string, info: Record<string, unknown> | undefined): string | undefined {
    const maps = (collection: unknown): collection is string =>
      typeof collection === "string" && collection !== "" &&
      attempt(() => this.dirName(collection, "")) === dir;
    const recorded = info?.collection;
    if (typeof recorded === "string" && recorded !== "") {
      return maps(recorded) ? recorded : undefined;
    }
    const strategy = this.#collections;
    if (!strategy) return isHashedName(dir) ? undefined : unescapeName(dir, INFO_SUFFIX);
    const collection = strategy.tryUnsanitize ? strategy.tryUnsanitize(dir) : dir;
    return maps(collection) ? collection : undefined;
  }
}

/** Refuses a sanitized name that is not one file name inside a directory. */
function single(name: string, original: string, what: string, context: string): string {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new PathSecurityError(
      `Cannot ${context}: ${what} ${JSON.stringify(original)} does not name a single ` +
        `file inside the store's directory (sanitized to ${JSON.stringify(name)})`,
      { extraInfo: { [what]: original, sanitized: name } },
    );
  }
  return name;
}

/** Refuses a sanitized name whose file (with `suffix`) exceeds NAME_MAX bytes. */
function fits(name: string, suffix: string, original: string, what: string, context: string) {
  const bytes = encoder.encode(name + suffix).length;
  if (bytes <= NAME_MAX) return name;
  throw new InvalidKeyError(
    `Cannot ${context}: ${what} ${JSON.stringify(original)} makes a file name of ${bytes} ` +
      `bytes, more than NAME_MAX (${NAME_MAX}) allows; use the default naming or ` +
      `FileTree${what === "key" ? "Key" : "Collection"}SanitizationStrategy, which hash long names`,
    { extraInfo: { [what]: original, sanitized: name, bytes, limit: NAME_MAX } },
  );
}

function attempt(name: () => string): string | undefined {
  try {
    return name();
  } catch {
    return undefined;
  }
}
