// This module is browser compatible.
// Strict base64 (RFC 4648) on Web-standard APIs only: `atob`/`btoa` exist in
// every runtime we target, but `atob` forgives whitespace and missing
// padding, so decoding checks the alphabet and padding first, as Python's
// `b64decode(validate=True)` does.

const STANDARD = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const URL_SAFE = /^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?$/;

/** Standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Decodes padded standard base64; `undefined` when the text is not exactly that. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!STANDARD.test(text)) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** URL-safe base64 with padding (Python's `urlsafe_b64encode`). */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replaceAll("+", "-").replaceAll("/", "_");
}

/** Decodes padded URL-safe base64; `undefined` when the text is not exactly that. */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!URL_SAFE.test(text)) return undefined;
  return decodeBase64(text.replaceAll("-", "+").replaceAll("_", "/"));
}
