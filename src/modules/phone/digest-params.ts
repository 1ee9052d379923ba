/**
 * Parses the parameter list of an HTTP auth header (`Digest a=b, c="d e", …`, RFC 7616 / RFC
 * 9110 auth-param). One linear pass; quoted strings may contain commas and `\"` escapes.
 * Undefined when malformed, oversized, or a parameter repeats (a repeated `uri` or `response`
 * is an ambiguity attackers use to confuse comparisons).
 */

export const MAX_AUTH_HEADER_LENGTH = 4096;
const MAX_PARAMS = 24;
const TOKEN_CHAR = /[A-Za-z0-9!#$%&'*+.^_`|~-]/;
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
    while (i < text.length && TOKEN_CHAR.test(text[i]!)) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    skipSpace();
    if (name.length === 0 || text[i] !== '=') return undefined;
    i++;
    skipSpace();
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const char = text[i]!;
        if (char === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (char === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += char;
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
