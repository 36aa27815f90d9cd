// This module is browser compatible.
// FileTreeStore's walks over the tree: listing keys and collections,
// destroying a collection directory, culling expired files and stale temp
// files. Walks of the whole root skip what lies behind an escaping symlink
// instead of failing. `now` is the store's clock.

import { fromEnvelope } from "../../core/envelope.ts";
import { PathSecurityError } from "../../core/errors.ts";
import { isRootTempName, isTempName, type TreeDirectory } from "./_dir.ts";
import { INFO_SUFFIX, JSON_SUFFIX, type TreeNaming } from "./_naming.ts";

/** How many files are read or written at once. */
export const PARALLEL = 32;

/** Parses JSON text that must hold an object; `undefined` otherwise. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an envelope holds a value that has not expired (undecodable ones are not live). */
export function isLive(envelope: Record<string, unknown>, now: number): boolean {
  try {
    const entry = fromEnvelope(envelope);
    return entry.expiresAt === undefined || entry.expiresAt > now;
  } catch {
    return false;
  }
}

/** Whether an envelope decodes and has expired (an undecodable one has not). */
export function isExpired(envelope: Record<string, unknown>, now: number): boolean {
  try {
    const expiresAt = fromEnvelope(envelope).expiresAt;
    return expiresAt !== undefined && expiresAt <= now;
  } catch {
    return false;
  }
}

/**
 * How long a temp file may sit untouched before `cull()` takes it for the
 * leftover of a killed writer and deletes it: one hour (a live write renames
 * its temp file within moments of its last change).
 */
export const STALE_TEMP_MS = 3_600_000;

/**
 * Runs `run` over `items`, at most {@linkcode PARALLEL} at a time; results in
 * order. After the first failure no further item starts, and the failure is
 * thrown only once every started item has settled, so nothing runs on after
 * the call has rejected.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const index = next++;
      try {
        results[index] = await run(items[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

function skipEscape(error: unknown): undefined {
  if (error instanceof PathSecurityError) return undefined;
  throw error;
}

async function entryFiles(tree: TreeDirectory, dir: string): Promise<string[]> {
  const entries = (await tree.list(dir).catch(skipEscape)) ?? [];
  return entries.filter((entry) => !entry.directory && entry.name.endsWith(JSON_SUFFIX))
    .map((entry) => entry.name);
}

/** The live keys in `dir` (reading each file), at most `limit`. */
export async function listKeys(
  tree: TreeDirectory,
  naming: TreeNaming,
  dir: string,
  limit: number | undefined,
  now: number,
): Promise<string[]> {
  const files = (await tree.list(dir))
    .filter((entry) => !entry.directory && entry.name.endsWith(JSON_SUFFIX))
    .map((entry) => entry.name);
  const keys: string[] = [];
  for (let i = 0; i < files.length && keys.length !== limit; i += PARALLEL) {
    const found = await Promise.all(
      files.slice(i, i + PARALLEL).map(async (file) => {
        const text = await tree.read(dir, file).catch(skipEscape);
        const envelope = text === undefined ? undefined : parseObject(text);
        if (envelope === undefined || !isLive(envelope, now)) return undefined;
        return naming.keyOf(file, envelope);
      }),
    );
    for (const key of found) if (key !== undefined && keys.length !== limit) keys.push(key);
  }
  return keys;
}

/**
 * Collection directories (those with a `-info.json`) and their original
 * names. A directory whose `-info.json` links outside the root is left out:
 * this store never writes a link, so it is not one of its collections.
 */
export async function collectionDirs(
  tree: TreeDirectory,
  naming: TreeNaming,
): Promise<Map<string, string | undefined>> {
  const entries = await tree.list();
  const dirs = new Set(entries.filter((entry) => entry.directory).map((entry) => entry.name));
  const infos = entries.filter((entry) =>
    !entry.directory && entry.name.endsWith(INFO_SUFFIX) &&
    dirs.has(entry.name.slice(0, -INFO_SUFFIX.length))
  );
  const found = new Map<string, string | undefined>();
  await mapLimit(infos, async ({ name }) => {
    const dir = name.slice(0, -INFO_SUFFIX.length);
    let text: string | undefined;
    try {
      text = await tree.read(undefined, name);
    } catch (error) {
      if (error instanceof PathSecurityError) return;
      throw error;
    }
    found.set(dir, naming.collectionOf(dir, text === undefined ? undefined : parseObject(text)));
  });
  return found;
}

/** The collections whose directory holds at least one entry file, at most `limit`. */
export async function listCollections(
  tree: TreeDirectory,
  naming: TreeNaming,
  limit: number | undefined,
): Promise<string[]> {
  const names: string[] = [];
  for (const [dir, collection] of await collectionDirs(tree, naming)) {
    if (collection === undefined || (await entryFiles(tree, dir)).length === 0) continue;
    names.push(collection);
    if (names.length === limit) break;
  }
  return names;
}

/**
 * Deletes the entry and temp files of `dir`, then `dir` itself once empty,
 * then its `-info.json`; `true` if it held an entry file.
 */
export async function destroyDir(tree: TreeDirectory, dir: string): Promise<boolean> {
  const files = (await tree.list(dir)).filter((entry) =>
    !entry.directory && (entry.name.endsWith(JSON_SUFFIX) || isTempName(entry.name))
  );
  await mapLimit(files, ({ name }) => tree.remove(dir, name));
  await tree.removeDirectory(dir);
  await tree.remove(undefined, dir + INFO_SUFFIX);
  return files.some(({ name }) => name.endsWith(JSON_SUFFIX));
}

/** Destroys every collection directory; skips those behind an escaping symlink. */
export async function destroyAll(tree: TreeDirectory, naming: TreeNaming): Promise<void> {
  for (const [dir] of await collectionDirs(tree, naming)) {
    await destroyDir(tree, dir).catch(skipEscape);
  }
}

/**
 * Deletes expired entry files (unless replaced meanwhile) and temp files
 * untouched for {@linkcode STALE_TEMP_MS}: every `.tmp` file of a collection
 * directory, and in the root only the temp names this store and py-key-value
 * give metadata files. Returns how many entry files were deleted.
 */
export async function cullTree(
  tree: TreeDirectory,
  naming: TreeNaming,
  now: number,
): Promise<number> {
  let removed = 0;
  const staleBefore = now - STALE_TEMP_MS;
  const rootTemps = (await tree.list()).filter((e) => !e.directory && isRootTempName(e.name));
  await mapLimit(rootTemps, ({ name }) => tree.removeStale(undefined, name, staleBefore));
  for (const [dir] of await collectionDirs(tree, naming)) {
    const files = (await tree.list(dir).catch(skipEscape)) ?? [];
    const temps = files.filter((entry) => !entry.directory && isTempName(entry.name));
    await mapLimit(temps, ({ name }) => tree.removeStale(dir, name, staleBefore).catch(skipEscape));
    const entries = files.filter((entry) => !entry.directory && entry.name.endsWith(JSON_SUFFIX));
    const results = await mapLimit(entries, async ({ name }) => {
      const version = await tree.readVersion(dir, name).catch(skipEscape);
      const envelope = version === undefined ? undefined : parseObject(version.text);
      if (envelope === undefined || isLive(envelope, now)) return false;
      return await tree.removeIfUnchanged(dir, name, version!.token).catch(skipEscape) ?? false;
    });
    removed += results.filter(Boolean).length;
  }
  return removed;
}
