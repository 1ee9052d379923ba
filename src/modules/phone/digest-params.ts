/**
 * Parses the parameter list of an HTTP auth header (`Digest a=b, c="d e", …`, RFC 7616 / RFC
 * 9110 auth-param). One linear pass; quoted strings may contain commas and `\"` escapes.
 * Undefined when malformed, oversized, or a parameter repeats (a repeated `uri` or `response`
 * is an ambiguity attackers use to confuse comparisons).
 */

export const MAX_AUTH_HEADER_LENGTH = 4096;
const MAX_PARAMS = 24;
/** RFC 9110 tchar, as a table by char code (the parser runs on every authenticated request). */
const TOKEN_CHARS = new Uint8Array(128);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+.^_`|~-")
  TOKEN_CHARS[char.charCodeAt(0)] = 1;
const isTokenChar = (code: number) => code < 128 && TOKEN_CHARS[code] === 1;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const UNQUOTED_END = new Set([',', ' ', '\t', '"']);

export interface AuthHeader {
  scheme: string;
  params: Map<string, string>;
}

/** Splits `<scheme> <rest>`; the scheme is returned lower-case. */
export function splitScheme(header: string): { scheme: string; rest: string } | undefined {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  if (space <= 0) return undefined;
  return { scheme: trimmed.slice(0, space).toLowerCase(), rest: trimmed.slice(space + 1) };
}

export function parseAuthParams(header: string | undefined): AuthHeader | undefined {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_AUTH_HEADER_LENGTH) return undefined;
  const split = splitScheme(header);
  if (!split) return undefined;
  const params = new Map<string, string>();
  const text = split.rest;
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  while (i < text.length) {
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (i >= text.length) break;
    const nameStart = i;
    while (i < text.length && isTokenChar(text.charCodeAt(i))) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    skipSpace();
    if (name.length === 0 || text[i] !== '=') return undefined;
    i++;
    skipSpace();
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      let runStart = i;
      while (i < text.length) {
        const char = text.charCodeAt(i);
        if (char === BACKSLASH && i + 1 < text.length) {
          value += text.slice(runStart, i) + text[i + 1];
          i += 2;
          runStart = i;
        } else if (char === QUOTE) {
          value += text.slice(runStart, i);
          closed = true;
          i++;
          break;
        } else {
          i++;
        }
      }
      if (!closed) return undefined;
    } else {
      // Lenient on purpose: some phone firmware sends `uri=/path` or `algorithm=SHA-256` unquoted.
      const valueStart = i;
      while (i < text.length && !UNQUOTED_END.has(text[i]!)) i++;
      value = text.slice(valueStart, i);
      if (value.length === 0) return undefined;
    }
    if (params.has(name) || params.size >= MAX_PARAMS) return undefined;
    params.set(name, value);
    skipSpace();
    if (i < text.length && text[i] !== ',') return undefined;
  }
  return { scheme: split.scheme, params };
}

/** A quoted-string for a challenge header: escapes `\` and `"`, refuses line breaks and controls. */
export function quoted(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new TypeError('auth header values must be printable');
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}
