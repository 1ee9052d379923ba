import { canonicalMac } from '../devices/mac.js';
import { secretsEqual } from './constant-time.js';
import type { SecretLookup } from './digest-auth.js';
import { MAX_AUTH_HEADER_LENGTH, quoted, splitScheme } from './digest-params.js';

/**
 * HTTP Basic for phones that cannot do Digest. The password travels in clear, so it is only
 * ever accepted on a TLS connection; the caller states which it is and plain HTTP is refused.
 */

export type BasicFailureReason =
  'missing' | 'wrong_scheme' | 'malformed' | 'insecure_transport' | 'bad_username' | 'unknown_user' | 'bad_password';

export type BasicResult = { ok: true; mac: string } | { ok: false; reason: BasicFailureReason; mac?: string };

export function basicChallenge(realm: string): string {
  return `Basic realm=${quoted(realm)}, charset="UTF-8"`;
}

export function parseBasic(header: string | undefined): { username: string; password: string } | undefined {
  if (typeof header !== 'string' || header.length > MAX_AUTH_HEADER_LENGTH) return undefined;
  const split = splitScheme(header);
  if (!split || split.scheme !== 'basic') return undefined;
  const encoded = split.rest.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function verifyBasic(
  header: string | undefined,
  overTls: boolean,
  lookupSecret: SecretLookup,
): Promise<BasicResult> {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  if (splitScheme(header)?.scheme !== 'basic') return { ok: false, reason: 'wrong_scheme' };
  if (!overTls) return { ok: false, reason: 'insecure_transport' };
  const credentials = parseBasic(header);
  if (!credentials) return { ok: false, reason: 'malformed' };
  const mac = canonicalMac(credentials.username);
  if (!mac) return { ok: false, reason: 'bad_username' };
  const secret = await lookupSecret(mac);
  // Compare against a placeholder for unknown devices so both paths do the same work.
  const matches = secretsEqual(credentials.password, secret ?? '\u0000unknown-device\u0000');
  if (secret === undefined) return { ok: false, reason: 'unknown_user', mac };
  return matches ? { ok: true, mac } : { ok: false, reason: 'bad_password', mac };
}
