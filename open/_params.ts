/**
 * Reading a store URL's query parameters: each scheme names the parameters
 * it takes and their kinds; anything else is a TypeError that lists them.
 * Messages name the scheme and the parameter, never the URL (it may carry
 * credentials) and never a parameter's value.
 *
 * @module
 */

/** How a parameter's text becomes an option value. */
export type ParamKind = "string" | "boolean" | "positiveInteger" | "list";

/** A scheme's parameters: option name by parameter name, with its kind. */
export type ParamSpec = Readonly<Record<string, ParamKind>>;

/** The parameters every scheme takes. */
export const COMMON_PARAMS: ParamSpec = { defaultCollection: "string" };

/** Parsed parameters, by name. */
export type Params = Record<string, string | boolean | number | string[]>;

function convert(scheme: string, name: string, kind: ParamKind, text: string) {
  switch (kind) {
    case "string":
      if (text === "") throw new TypeError(`openStore(${scheme}): ${name} must not be empty`);
      return text;
    case "boolean":
      if (text === "true" || text === "") return true;
      if (text === "false") return false;
      throw new TypeError(`openStore(${scheme}): ${name} must be true or false`);
    case "positiveInteger": {
      const value = /^[1-9][0-9]*$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(value)) {
        throw new TypeError(`openStore(${scheme}): ${name} must be a positive integer`);
      }
      return value;
    }
    case "list":
      return text === "" ? [] : text.split(",");
  }
}

/**
 * Parses `query` (without its `?`) against `spec` plus the common
 * parameters. With `passThrough`, parameters not in the spec are left in the
 * returned `rest` for the backend's own driver (MongoDB's URL options);
 * without it they are a TypeError.
 *
 * @throws {TypeError} On an unknown or repeated parameter or a bad value.
 */
export function parseParams(
  scheme: string,
  query: string,
  spec: ParamSpec,
  passThrough = false,
): { params: Params; rest: URLSearchParams } {
  const all: ParamSpec = { ...COMMON_PARAMS, ...spec };
  const params: Params = {};
  const rest = new URLSearchParams();
  const seen = new Set<string>();
  for (const [name, text] of new URLSearchParams(query)) {
    const kind = Object.hasOwn(all, name) ? all[name] : undefined;
    if (kind === undefined) {
      if (passThrough) {
        rest.append(name, text);
        continue;
      }
      const valid = Object.keys(all).sort().join(", ");
      throw new TypeError(
        `openStore(${scheme}): unknown parameter ${JSON.stringify(name)}; valid: ${valid}`,
      );
    }
    if (seen.has(name)) throw new TypeError(`openStore(${scheme}): ${name} is given twice`);
    seen.add(name);
    params[name] = convert(scheme, name, kind, text);
  }
  return { params, rest };
}

/** Splits `url` at its first `?` into what precedes it and the query. */
export function splitQuery(url: string): [head: string, query: string] {
  const at = url.indexOf("?");
  return at < 0 ? [url, ""] : [url.slice(0, at), url.slice(at + 1)];
}
