import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'pvd_';

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Tokens carry 256 bits of entropy, so a plain SHA-256 is a sufficient one-way store. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, 10);
}
