import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError } from '../../errors/errors.js';
import type { PageResult } from '../../http/api-schemas.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { ApiToken, type TokenRole } from '../../model/auth/api-token.entity.js';
import type { ApiTokenViewType } from './api-tokens.schemas.js';
import { forgetTokens } from './token-cache.js';
import { generateToken, hashToken, tokenDisplayPrefix } from './token.js';

export function apiTokenView(token: ApiToken): ApiTokenViewType {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    prefix: token.prefix,
    createdAt: token.createdAt.toISOString(),
    revokedAt: token.revokedAt ? token.revokedAt.toISOString() : null,
    expiresAt: token.expiresAt ? token.expiresAt.toISOString() : null,
    lastUsedAt: token.lastUsedAt ? token.lastUsedAt.toISOString() : null,
  };
}

/** Creates a tenant token; the plaintext is returned to the caller once and only its hash is kept. */
export async function createApiToken(
  em: EntityManager,
  tenant: Tenant,
  input: { name: string; role: Exclude<TokenRole, 'platform'>; expiresAt?: string },
) {
  const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
  if (expiresAt && !(expiresAt.getTime() > Date.now()))
    throw new BadRequestError('expiry_not_in_future', 'expiresAt: must be in the future', { field: 'expiresAt' });
  const plaintext = generateToken();
  const token = em.create(ApiToken, {
    tenant,
    role: input.role,
    name: input.name,
    tokenHash: hashToken(plaintext),
    prefix: tokenDisplayPrefix(plaintext),
    expiresAt,
  });
  await em.flush();
  return { token, plaintext };
}

export async function listApiTokens(
  em: EntityManager,
  tenant: Tenant,
  query: { includeRevoked?: boolean; limit: number; offset: number },
): Promise<PageResult<ApiToken>> {
  const where = query.includeRevoked ? { tenant } : { tenant, revokedAt: null };
  const [items, total] = await em.findAndCount(ApiToken, where, {
    orderBy: { createdAt: 'asc', id: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}

/** Revoking keeps the row (the audit trail names it as an actor) and makes the token unusable at once. */
export async function revokeApiToken(em: EntityManager, tenant: Tenant, id: string): Promise<ApiToken> {
  const token = await findInTenant(em, ApiToken, tenant, id, 'api token');
  if (!token.revokedAt) {
    token.revokedAt = new Date();
    await em.flush();
  }
  // This process refuses it from now on; other processes within TOKEN_CACHE_TTL_MS (token-cache.ts).
  forgetTokens({ tokenId: token.id });
  return token;
}
