// This module is browser compatible.
// FileTreeStore's names: a key or collection to a file or directory name
// (the default reversible escaping, or a sanitization strategy such as
// py-key-value's FileTree V1), and back.

import { PathSecurityError } from "../../core/errors.ts";
import type { SanitizationStrategy } from "../../core/sanitization.ts";
import {
  fileSystemName,
  isHashedName,
  MAX_COLLECTION_NAME,
  MAX_KEY_NAME,
  unescapeName,
} from "./_names.ts";

/** The suffix of entry files. */
export const JSON_SUFFIX = ".json";
/** The suffix of a collection's metadata file, beside its directory. */
export const INFO_SUFFIX = "-info.json";

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
    if (!strategy) return fileSystemName(collection, MAX_COLLECTION_NAME);
    strategy.validate(collection);
    return single(strategy.sanitize(collection), collection, "collection", context);
  }

  /** The file of `key`, with its `.json` suffix. */
  fileName(key: string, context: string): string {
    const strategy = this.#keys;
    if (!strategy) return fileSystemName(key, MAX_KEY_NAME) + JSON_SUFFIX;
    strategy.validate(key);
    return single(strategy.sanitize(key), key, "key", context) + JSON_SUFFIX;
  }

  /**
   * The key a file holds: the envelope's `key` when it maps to this file,
   * else the name decoded (or the strategy's unsanitized name, or the stem);
   * `undefined` when the file is not one this naming produces.
   */
  keyOf(file: string, envelope: Record<string, unknown>): string | undefined {
    const stem = file.slice(0, -JSON_SUFFIX.length);
    const recorded = envelope.key;
    if (
      typeof recorded === "string" && recorded !== "" &&
      attempt(() => this.fileName(recorded, "")) === file
    ) {
      return recorded;
    }
    const strategy = this.#keys;
    if (!strategy) return isHashedName(stem) ? undefined : unescapeName(stem);
    return strategy.tryUnsanitize ? strategy.tryUnsanitize(stem) : stem;
  }

  /** The collection a directory holds, from its `-info.json` (`info`) or its name. */
  collectionOf(dir: string, info: Record<string, unknown> | undefined): string | undefined {
    const recorded = info?.collection;
    if (typeof recorded === "string" && recorded !== "") {
      return attempt(() => this.dirName(recorded, "")) === dir ? recorded : undefined;
    }
    const strategy = this.#collections;
    if (!strategy) return isHashedName(dir) ? undefined : unescapeName(dir);
    return strategy.tryUnsanitize ? strategy.tryUnsanitize(dir) : dir;
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

function attempt(name: () => string): string | undefined {
  try {
    return name();
  } catch {
    return undefined;
  }
}
