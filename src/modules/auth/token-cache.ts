import { LRUCache } from 'lru-cache';
import type { Principal } from './principal.js';

/**
 * Verified tokens, per process, keyed by the token's SHA-256: a busy integration's requests skip
 * the api_tokens lookup (one ORM query per request, ~1 ms of the admin process's CPU on the
 * bench machines; the notes in bench/benchmarks/admin-writes.ts). Only successful lookups are kept, so a token
 * made a moment ago works at once.
 *
 * Revocation: the process that revokes (or deletes the tenant) forgets the token at once; every
 * other process (other API replicas) keeps accepting it for at most TOKEN_CACHE_TTL_MS after the
 * revoke. Expiry is checked against the cached expiresAt on every use, so it is never late.
 */
export const TOKEN_CACHE_TTL_MS = 5_000;
const TOKEN_CACHE_MAX = 10_000;

export interface CachedToken {
  principal: Principal;
  expiresAt: number | null;
}

const cache = new LRUCache<string, CachedToken>({ max: TOKEN_CACHE_MAX, ttl: TOKEN_CACHE_TTL_MS });

export function cachedToken(tokenHash: string): CachedToken | undefined {
  return cache.get(tokenHash);
}

export function rememberToken(tokenHash: string, entry: CachedToken): void {
  cache.set(tokenHash, entry);
}

/** Drops every cached token that matches (by id on revoke, by tenant when a tenant is deleted). */
export function forgetTokens(match: { tokenId?: string; tenantId?: string }): void {
  for (const [hash, entry] of cache.entries()) {
    if (
      (match.tokenId !== undefined && entry.principal.tokenId === match.tokenId) ||
      (match.tenantId !== undefined && entry.principal.tenantId === match.tenantId)
    )
      cache.delete(hash);
  }
}
