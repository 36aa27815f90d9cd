// This module is browser compatible.
/**
 * {@linkcode CompressionWrapper}: gzips large values, in py-key-value's format.
 *
 * @example Usage
 * ```ts
 * import { CompressionWrapper } from "@kv/core/wrappers/compression";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const inner = new MemoryStore();
 * const store = new CompressionWrapper(inner, { threshold: 1024 });
 * const page = { html: "<p>hello</p>".repeat(500) };
 * await store.put("page", page);
 * assert.deepEqual(await store.get("page"), page);
 * const stored = await inner.get("page");
 * assert.equal(stored?.__compression_algorithm__, "gzip");
 * ```
 *
 * @module
 */

import { DeserializationError } from "../core/errors.ts";
import type { AsyncKeyValue, Value } from "../core/protocol.ts";
import { checkOptions } from "../core/options.ts";
import { parseValue } from "../core/serialization.ts";
import { TransformWrapper } from "./_transform.ts";
import { decodeBase64, encodeBase64 } from "./_base64.ts";

/**
 * A gzip codec for runtimes without `CompressionStream` (Vercel's
 * edge-runtime): `compress` must produce gzip (RFC 1952) bytes, so the
 * stored format stays py-key-value's; `decompress` must read any gzip.
 */
export interface GzipCodec {
  /** Gzips bytes. */
  compress(bytes: Uint8Array): Promise<Uint8Array> | Uint8Array;
  /** Gunzips bytes; throws on data that is not gzip. */
  decompress(bytes: Uint8Array): Promise<Uint8Array> | Uint8Array;
}

/** Options of {@linkcode CompressionWrapper}. */
export interface CompressionWrapperOptions {
  /** Values whose compact JSON has at least this many UTF-8 bytes are compressed. @default {1024} */
  threshold?: number;
  /**
   * The gzip codec, for runtimes without `CompressionStream` (Vercel's
   * edge-runtime), e.g. fflate's `gzipSync`/`gunzipSync` (fflate: small, no
   * dependencies, no Node built-ins). Any codec that writes standard gzip
   * keeps the stored format: what fflate writes reads back through the
   * native streams and the other way round.
   *
   * @example A codec from fflate
   * ```ts
   * import { CompressionWrapper } from "@kv/core/wrappers/compression";
   * import { MemoryStore } from "@kv/core/stores/memory";
   * import { gunzipSync, gzipSync } from "fflate";
   * import assert from "node:assert/strict";
   *
   * const inner = new MemoryStore();
   * const codec = { compress: gzipSync, decompress: gunzipSync };
   * const store = new CompressionWrapper(inner, { codec });
   * const page = { html: "<p>hello</p>".repeat(500) };
   * await store.put("page", page);
   * assert.deepEqual(await store.get("page"), page);
   * assert.equal((await inner.get("page"))?.__compression_algorithm__, "gzip");
   * ```
   *
   * @default {the Web-standard CompressionStream and DecompressionStream}
   */
  codec?: GzipCodec;
}

const nativeCodec: GzipCodec = {
  compress: (bytes) => pipe(bytes, new CompressionStream("gzip")),
  decompress: (bytes) => pipe(bytes, new DecompressionStream("gzip")),
};

function takeCodec(codec: unknown): GzipCodec {
  if (codec === undefined) {
    const g = globalThis as Record<string, unknown>;
    if (typeof g.CompressionStream !== "function" || typeof g.DecompressionStream !== "function") {
      throw new TypeError(
        "Cannot create CompressionWrapper: this runtime has no CompressionStream/" +
          "DecompressionStream; pass a gzip codec, e.g. " +
          "{ codec: { compress: fflate.gzipSync, decompress: fflate.gunzipSync } }",
      );
    }
    return nativeCodec;
  }
  const c = codec as Partial<GzipCodec> | null;
  if (typeof c?.compress !== "function" || typeof c.decompress !== "function") {
    throw new TypeError(
      "Cannot create CompressionWrapper: codec must have compress and decompress functions",
    );
  }
  const { compress, decompress } = c;
  return { compress: (b) => compress.call(c, b), decompress: (b) => decompress.call(c, b) };
}

const DATA = "__compressed_data__";
const VERSION = "__compression_version__";
const ALGORITHM = "__compression_algorithm__";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

async function pipe(
  bytes: Uint8Array,
  transform: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Compresses values with gzip through the Web-standard
 * `CompressionStream`, so it runs in Deno, Node, Bun, browsers and edge
 * runtimes. A value whose compact JSON reaches `threshold` bytes is stored
 * as py-key-value's CompressionWrapper stores it:
 *
 * ```json
 * {"__compressed_data__": "<base64 of gzip of the JSON>",
 *  "__compression_version__": 1, "__compression_algorithm__": "gzip"}
 * ```
 *
 * so a Python service reads what this wrapper writes, and the other way
 * round. Smaller values are stored as they are; a small value that itself
 * has a `__compressed_data__` property is compressed anyway, so it reads
 * back exactly.
 *
 * Reads decompress any stored value with a `__compressed_data__` property.
 * Malformed compressed data — not a string, bad base64, not gzip, not JSON,
 * or an unknown version or algorithm — is a `DeserializationError`, never
 * returned silently as py-key-value does. Values are checked before they
 * are compressed, so bad input gets a store's usual errors.
 *
 * Where `CompressionStream` is missing (Vercel's edge-runtime), the
 * constructor throws a `TypeError` unless a `codec` is given, e.g. fflate's:
 * `new CompressionWrapper(store, { codec: { compress: gzipSync, decompress: gunzipSync } })`
 * (`import { gunzipSync, gzipSync } from "fflate"`); its gzip reads back
 * with the native streams and the other way round.
 *
 * @example Small values are left alone
 * ```ts
 * import { CompressionWrapper } from "@kv/core/wrappers/compression";
 * import { MemoryStore } from "@kv/core/stores/memory";
 * import assert from "node:assert/strict";
 *
 * const inner = new MemoryStore();
 * await new CompressionWrapper(inner).put("k", { n: 1 });
 * assert.deepEqual(await inner.get("k"), { n: 1 });
 * ```
 */
export class CompressionWrapper<S extends AsyncKeyValue = AsyncKeyValue>
  extends TransformWrapper<S> {
  readonly #threshold: number;
  readonly #codec: GzipCodec;

  /**
   * Creates the wrapper.
   *
   * @param inner The store to wrap.
   * @param options The size threshold and the gzip codec.
   * @throws {RangeError} When the threshold is not a non-negative integer.
   * @throws {TypeError} When an option is unknown, the codec lacks
   *   `compress`/`decompress`, or no codec is given where the runtime has no
   *   `CompressionStream` (a misuse for this runtime, found at construction
   *   rather than at the first large put).
   */
  constructor(inner: S, options: CompressionWrapperOptions = {}) {
    checkOptions("CompressionWrapper", options, ["threshold", "codec"]);
    const codec = takeCodec(options.codec);
    super(inner);
    this.#codec = codec;
    const threshold = options.threshold ?? 1024;
    if (!Number.isInteger(threshold) || threshold < 0) {
      throw new RangeError(
        "Cannot create CompressionWrapper: threshold must be a non-negative integer",
      );
    }
    this.#threshold = threshold;
  }

  /**
   * The stored form of a value: compressed when large enough, else the value itself.
   *
   * @param value A value already validated and copied (what `put` passes:
   *   its copy of the caller's value); it is serialized as it is.
   * @returns The value to store.
   */
  async compress(value: Value): Promise<Value> {
    const json = encoder.encode(JSON.stringify(value));
    if (json.byteLength < this.#threshold && !Object.hasOwn(value, DATA)) return value;
    const gzipped = await this.#codec.compress(json);
    return { [DATA]: encodeBase64(gzipped), [VERSION]: 1, [ALGORITHM]: "gzip" };
  }

  /**
   * The value of a stored form.
   *
   * @param stored What the inner store holds.
   * @returns The original value.
   * @throws {DeserializationError} When compressed data is malformed.
   */
  async decompress(stored: Value | undefined): Promise<Value | undefined> {
    if (stored === undefined || !Object.hasOwn(stored, DATA)) return stored;
    const context = this.context("get");
    const fail = (reason: string, cause?: unknown): never => {
      throw new DeserializationError(`Cannot ${context}: compressed data ${reason}`, {
        extraInfo: { version: stored[VERSION], algorithm: stored[ALGORITHM] },
        cause,
      });
    };
    if (stored[VERSION] !== 1) fail(`has unknown version ${JSON.stringify(stored[VERSION])}`);
    if (stored[ALGORITHM] !== "gzip") {
      fail(`has unknown algorithm ${JSON.stringify(stored[ALGORITHM])}`);
    }
    const data = stored[DATA];
    if (typeof data !== "string") return fail("is not a string");
    const bytes = decodeBase64(data) ?? fail("is not valid base64");
    let text: string;
    try {
      text = decoder.decode(await this.#codec.decompress(bytes));
    } catch (cause) {
      return fail("is not valid gzip of UTF-8 text", cause);
    }
    return parseValue(text, context);
  }

  /** Compresses a value when large enough. */
  protected encode(value: Value): Promise<Value> {
    return this.compress(value);
  }

  /** Decompresses a stored value. */
  protected async decode(stored: Value): Promise<Value> {
    return (await this.decompress(stored))!;
  }
}
