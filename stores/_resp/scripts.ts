// The Lua scripts behind delete() and putIfAbsent(): each looks at the stored
// envelope and acts in one atomic step, in the command's place in the
// connection's order (so a read sent after a delete in the same tick sees
// it gone). A script decodes the envelope with the server's cjson; it leaves
// to the store what needs its clock (whether `expires_at` has passed) or
// what cjson cannot decode (JSON nested deeper than 1000 levels), handing
// back the text, and the store then finishes with a compare-and-set script
// that acts only if the value is still unchanged.

import { perSlot } from "./batch.ts";
import type { RespArg, RespClient } from "./types.ts";

// Lua: whether the decoded envelope `e` names a pair other than
// (collection, key): a present `collection` or `key` that differs.
const OTHER = `local function other(e, collection, key)
  return (e.collection ~= nil and e.collection ~= collection) or (e.key ~= nil and e.key ~= key)
end
`;

// KEYS: names; ARGV[1]: the collection, ARGV[1 + i]: the key of KEYS[i].
// Per name: 0 (left: gone, another type, or another pair's envelope), 1
// (deleted), a string (deleted; its expires_at), {text} (not decoded).
const DELETE_OWN = `${OTHER}local out = {}
for i, name in ipairs(KEYS) do
  local text = redis.pcall('GET', name)
  if type(text) ~= 'string' then
    out[i] = 0
  else
    local ok, e = pcall(cjson.decode, text)
    if not ok then
      out[i] = {text}
    elseif type(e) == 'table' and other(e, ARGV[1], ARGV[i + 1]) then
      out[i] = 0
    else
      redis.call('UNLINK', name)
      if type(e) == 'table' and type(e.expires_at) == 'string' then out[i] = e.expires_at
      else out[i] = 1 end
    end
  end
end
return out`;

// KEYS[1]: the name; ARGV: the text, PX ('' for none), collection, key.
// 1: stored (absent, or another pair's envelope replaced); 0: not stored
// (a live entry without expiry, another type, an unreadable value); {text}:
// left to the store (it expires, or it could not be decoded).
const PUT_IF_ABSENT = `${OTHER}local function set(nx)
  local args = {KEYS[1], ARGV[1]}
  if ARGV[2] ~= '' then args[#args + 1] = 'PX'; args[#args + 1] = ARGV[2] end
  if nx then args[#args + 1] = 'NX' end
  return redis.call('SET', unpack(args))
end
if set(true) then return 1 end
local text = redis.pcall('GET', KEYS[1])
if type(text) ~= 'string' then return 0 end
local ok, e = pcall(cjson.decode, text)
if not ok then return {text} end
if type(e) ~= 'table' then return 0 end
if other(e, ARGV[3], ARGV[4]) then
  set(false)
  return 1
end
if type(e.expires_at) == 'string' then return {text} end
return 0`;

// Deletes each KEYS[i] whose value is still ARGV[i]. Per name: 1 (deleted),
// 0 (gone, or another type), {text} (the value it holds now).
const UNLINK_IF_UNCHANGED = `local out = {}
for i, name in ipairs(KEYS) do
  local now = redis.pcall('GET', name)
  if now == ARGV[i] then
    redis.call('UNLINK', name)
    out[i] = 1
  elseif type(now) == 'string' then
    out[i] = {now}
  else
    out[i] = 0
  end
end
return out`;

// Sets KEYS[1] to ARGV[2] (PX ARGV[3] unless '') if its value is still ARGV[1].
const SET_IF_UNCHANGED = `if redis.pcall('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '' then redis.call('SET', KEYS[1], ARGV[2])
else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1`;

/** What a delete script did with one name. */
export type Deleted =
  /** Left alone: gone, another Redis type, or another pair's entry. */
  | { readonly deleted: false }
  /** Deleted; `expiresAt` is the envelope's `expires_at`, if it had one. */
  | { readonly deleted: true; readonly expiresAt?: string }
  /** Not decoded by the server: the store judges `text` itself. */
  | { readonly deleted: false; readonly text: string };

/**
 * Deletes each of `names` whose value is this pair's entry (its envelope
 * names no other pair), one script per hash slot (one in all on a
 * standalone server, sent synchronously).
 *
 * @param client The client.
 * @param names The Redis keys.
 * @param collection The collection of every name.
 * @param keys The key of each name.
 */
export async function deleteOwn(
  client: RespClient,
  names: readonly string[],
  collection: string,
  keys: readonly string[],
): Promise<Deleted[]> {
  const results = new Array<Deleted>(names.length);
  await perSlot(client, names, async (indices) => {
    const args: RespArg[] = [DELETE_OWN, indices.length];
    for (const i of indices) args.push(names[i]!);
    args.push(collection);
    for (const i of indices) args.push(keys[i]!);
    const reply = (await client.call("EVAL", args)) as unknown[];
    indices.forEach((index, j) => (results[index] = readDeleted(reply[j])));
  });
  return results;
}

function readDeleted(answer: unknown): Deleted {
  if (Array.isArray(answer)) return { deleted: false, text: String(answer[0]) };
  if (typeof answer === "string") return { deleted: true, expiresAt: answer };
  return Number(answer) === 1 ? { deleted: true } : { deleted: false };
}

/**
 * SET NX, and, when a value is there, replaces it at once if its envelope
 * names another pair.
 *
 * @returns `true` when stored, `false` when not, or the stored text for
 * the store to judge (it expires, or the server could not decode it).
 */
export async function putIfAbsentScript(
  client: RespClient,
  name: string,
  text: string,
  px: number | undefined,
  collection: string,
  key: string,
): Promise<boolean | string> {
  const args = [PUT_IF_ABSENT, 1, name, text, px ?? "", collection, key];
  const reply = await client.call("EVAL", args);
  return Array.isArray(reply) ? String(reply[0]) : Number(reply) === 1;
}

/**
 * Deletes each of `names` whose value is still `expected[i]`, atomically
 * per name (one script per hash slot).
 *
 * @returns Per name: `true` when deleted, `false` when gone, or the text
 * it holds now instead.
 */
export async function unlinkIfUnchanged(
  client: RespClient,
  names: readonly string[],
  expected: readonly string[],
): Promise<(boolean | string)[]> {
  const results = new Array<boolean | string>(names.length);
  await perSlot(client, names, async (indices) => {
    const args: RespArg[] = [UNLINK_IF_UNCHANGED, indices.length];
    for (const i of indices) args.push(names[i]!);
    for (const i of indices) args.push(expected[i]!);
    const reply = (await client.call("EVAL", args)) as unknown[];
    indices.forEach((index, j) => {
      const answer = reply[j];
      results[index] = Array.isArray(answer) ? String(answer[0]) : Number(answer) === 1;
    });
  });
  return results;
}

/**
 * Sets `name` to `text` (expiring in `px` ms, if given) only if its value
 * is still `expected`, atomically.
 *
 * @returns `true` when set.
 */
export async function setIfUnchanged(
  client: RespClient,
  name: string,
  expected: string,
  text: string,
  px: number | undefined,
): Promise<boolean> {
  const args = [SET_IF_UNCHANGED, 1, name, expected, text, px ?? ""];
  return Number(await client.call("EVAL", args)) === 1;
}
