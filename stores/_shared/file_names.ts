// This module is browser compatible.
// File names for arbitrary strings, shared by the stores that keep one file
// or directory per name (FileTreeStore's keys and collections,
// MultiDiskStore's collection files): a reversible escaping that is safe on
// every common file system, with SHA-256 names for the few names that would
// exceed NAME_MAX. A caller that keeps other files beside its names (such as
// FileTreeStore's `<collection>-info.json`) passes that ending as `reserved`,
// and no escaped name ends with it.

import { sha256Hex } from "../../core/_sha256.ts";
import { InvalidKeyError } from "../../core/errors.ts";

/** The longest encoded key: NAME_MAX (255 bytes) minus ".json". */
export const MAX_KEY_NAME = 250;
/** The longest encoded collection: NAME_MAX minus "-info.json". */
export const MAX_COLLECTION_NAME = 245;
/** Separates the kept prefix from the digest in a hashed name; escaped everywhere else. */
export const HASH_MARK = "~";

// Characters kept as they are: lowercase ASCII letters, digits, "_", "-", ".".
// Uppercase letters are escaped too, so that names differing only in case stay
// distinct on case-insensitive file systems (macOS, Windows); every non-ASCII
// character is escaped, so Unicode normalization cannot merge names either.
const PLAIN = /^[a-z0-9_-][a-z0-9_.-]*$/;
const SAFE = /[a-z0-9_.-]/;
// Windows device names, refused there with any extension ("con.json").
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

function hex(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * Escapes `name` reversibly: every character outside `[a-z0-9_.-]` becomes
 * `%XX` per UTF-8 byte (uppercase hex), as does a leading or trailing dot and
 * the first letter of a Windows device name; a lone surrogate becomes
 * `%uXXXX`. When `name` ends with `reserved` (an ending made of characters
 * the escaping keeps, such as `-info.json`), its last character is escaped
 * too, so that no escaped name ends with `reserved`.
 */
export function escapeName(name: string, reserved?: string): string {
  const clash = reserved !== undefined && reserved !== "" && name.endsWith(reserved);
  if (PLAIN.test(name) && !name.endsWith(".") && !RESERVED.test(name) && !clash) return name;
  let out = "";
  for (let i = 0; i < name.length; i++) {
    const unit = name.charCodeAt(i);
    const char = name[i]!;
    if (unit < 0x80) {
      const last = i === name.length - 1;
      const edgeDot = char === "." && (i === 0 || last);
      const device = i === 0 && RESERVED.test(name);
      out += SAFE.test(char) && !edgeDot && !device && !(clash && last) ? char : hex(unit);
      continue;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = name.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        for (const byte of encoder.encode(name.slice(i, i + 2))) out += hex(byte);
        i++;
        continue;
      }
    }
    if (unit >= 0xd800 && unit <= 0xdfff) {
      out += `%u${unit.toString(16).toUpperCase().padStart(4, "0")}`;
      continue;
    }
    for (const byte of encoder.encode(char)) out += hex(byte);
  }
  return out;
}

/**
 * Reverses {@linkcode escapeName} (with the same `reserved`); `undefined` for
 * a name it did not produce.
 */
export function unescapeName(escaped: string, reserved?: string): string | undefined {
  if (escaped === "" || escaped.includes(HASH_MARK)) return undefined;
  let out = "";
  let bytes: number[] = [];
  const flush = (): boolean => {
    if (bytes.length === 0) return true;
    try {
      out += decoder.decode(new Uint8Array(bytes));
    } catch {
      return false;
    }
    bytes = [];
    return true;
  };
  for (let i = 0; i < escaped.length;) {
    const char = escaped[i]!;
    if (char !== "%") {
      if (!flush()) return undefined;
      out += char;
      i++;
    } else if (escaped[i + 1] === "u") {
      if (!flush()) return undefined;
      const code = parseHex(escaped.slice(i + 2, i + 6), 4);
      if (code === undefined) return undefined;
      out += String.fromCharCode(code);
      i += 6;
    } else {
      const byte = parseHex(escaped.slice(i + 1, i + 3), 2);
      if (byte === undefined) return undefined;
      bytes.push(byte);
      i += 3;
    }
  }
  if (!flush()) return undefined;
  // Only the canonical spelling counts, so two files never claim one name.
  return escapeName(out, reserved) === escaped ? out : undefined;
}

function parseHex(text: string, length: number): number | undefined {
  return text.length === length && /^[0-9A-F]+$/.test(text) ? parseInt(text, 16) : undefined;
}

/**
 * The file-system name of `name`: its escaping when that fits in `max`
 * bytes, else a prefix of the escaping (never splitting an escape), `~`, and
 * the SHA-256 hex of the UTF-8 of `name`. Hashed names are recognised by the
 * `~`, which every escaping escapes. The hash is exact: a name that is not
 * well-formed UTF-16 (a lone surrogate, which UTF-8 cannot carry) is refused
 * rather than hashed as U+FFFD.
 *
 * @throws {InvalidKeyError} When a name that needs hashing is not well-formed.
 */
export function fileSystemName(name: string, max: number, reserved?: string): string {
  const escaped = escapeName(name, reserved);
  if (escaped.length <= max) return escaped;
  if (!name.isWellFormed()) {
    throw new InvalidKeyError(
      `Cannot name a file for ${JSON.stringify(name)}: it is not well-formed UTF-16 ` +
        "(a lone surrogate), so it has no exact UTF-8 to hash",
      { extraInfo: { name } },
    );
  }
  let cut = max - 1 - 64;
  const lastEscape = escaped.lastIndexOf("%", cut);
  if (lastEscape !== -1 && lastEscape + (escaped[lastEscape + 1] === "u" ? 6 : 3) > cut) {
    cut = lastEscape;
  }
  return `${escaped.slice(0, cut)}${HASH_MARK}${sha256Hex(name)}`;
}

/** Whether a file-system name is a hashed one (the original is kept in the file). */
export function isHashedName(fileName: string): boolean {
  return fileName.includes(HASH_MARK);
}
