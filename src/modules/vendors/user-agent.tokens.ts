import { canonicalMac } from '../devices/mac.js';

/**
 * Small token helpers for User-Agent parsing. Everything here is a single left-to-right pass or
 * an anchored regex without nested quantifiers, so work stays linear in the input length.
 */

const WRAPPING = new Set(['(', ')', '[', ']', '"', "'", ';', ',']);

/** Drops brackets, quotes and list separators around a token: `(00562baabbcc)` → `00562baabbcc`. */
export function stripWrapping(token: string): string {
  let start = 0;
  let end = token.length;
  while (start < end && WRAPPING.has(token[start]!)) start++;
  const opensInside = token.indexOf('(', start) >= 0;
  // Keep a closing bracket that belongs to the token itself, as in SPA firmware `6.1.5(a)`.
  while (end > start && WRAPPING.has(token[end - 1]!) && !(token[end - 1] === ')' && opensInside)) end--;
  return token.slice(start, end);
}

/** Canonical MAC when the whole token (brackets aside) is a MAC in any separator/case form. */
export function macFromToken(token: string): string | undefined {
  const bare = stripWrapping(token);
  if (bare.length < 12 || bare.length > 17) return undefined;
  return canonicalMac(bare);
}

/** First token from `from` on that is a MAC. */
export function findMac(tokens: readonly string[], from = 0): string | undefined {
  for (let i = from; i < tokens.length; i++) {
    const mac = macFromToken(tokens[i]!);
    if (mac) return mac;
  }
  return undefined;
}

const VERSION = /^v?\d{1,4}(?:\.[0-9A-Za-z]{1,12}){1,6}(?:[+(][0-9A-Za-z.+()-]{0,40})?$/;

/** `66.86.0.15`, `7.4.8a`, `83.V2.65.0+build.a546b91`, `6.1.5(a)`: dotted, starting with a number. */
export function isVersion(token: string): boolean {
  return token.length <= 64 && VERSION.test(token);
}

/** The token as a firmware version, wrapping removed, or undefined when it is not one. */
export function versionFrom(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const bare = stripWrapping(token);
  return isVersion(bare) ? bare : undefined;
}

/**
 * Whitespace and control characters collapse to single spaces (firmware generations differ in
 * spacing, e.g. Yealink `SIP-T38G  38.70.0.125`); Gigaset sometimes wraps the whole UA in quotes.
 */
export function normaliseUserAgent(ua: string): string {
  let collapsed = ua.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  if (collapsed.length >= 2 && collapsed.startsWith('"') && collapsed.endsWith('"')) {
    collapsed = collapsed.slice(1, -1).trim();
  }
  return collapsed;
}

const SAFE_VALUE = /^[A-Za-z0-9][A-Za-z0-9 ._+()-]{0,63}$/;

/** Model and firmware strings end up in logs and the database: keep only plain, short values. */
export function safeValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return SAFE_VALUE.test(trimmed) ? trimmed : undefined;
}
