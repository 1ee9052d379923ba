import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { UnauthorizedError } from '../../errors/errors.js';
import { runAsActor } from '../audit/audit-actor.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { ApiToken } from '../../model/auth/api-token.entity.js';
import type { Principal } from './principal.js';
import { cachedToken, rememberToken } from './token-cache.js';
import { hashToken } from './token.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for every request under /api/v1 (unauthenticated requests are refused before routing). */
    principal: Principal | null;
    /** Set by requireTenantRole for routes under /tenants/:tenant. */
    tenant: Tenant | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_\-.~+/=]{16,200})$/i;

/** How often a token's last-used time is written at most: a busy token costs one UPDATE a minute, not one per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Per process: when each token's last use was last written (bounded: the oldest entries go first). */
const lastUsedWritten = new Map<string, number>();
const LAST_USED_TRACKED = 10_000;

export async function authenticate(em: EntityManager, header: string | undefined): Promise<Principal> {
  const match = header ? BEARER.exec(header.trim()) : null;
  if (!match) throw new UnauthorizedError();
  const tokenHash = hashToken(match[1]!);
  let entry = cachedToken(tokenHash);
  if (!entry) {
    const token = await em.findOne(
      ApiToken,
      { tokenHash, revokedAt: null },
      { fields: ['id', 'name', 'role', 'tenant', 'expiresAt'], disableIdentityMap: true },
    );
    if (!token) throw new UnauthorizedError();
    entry = {
      principal: { tokenId: token.id, tokenName: token.name, role: token.role, tenantId: token.tenant?.id ?? null },
      expiresAt: token.expiresAt ? token.expiresAt.getTime() : null,
    };
    rememberToken(tokenHash, entry);
  }
  if (entry.expiresAt !== null && entry.expiresAt <= Date.now())
    throw new UnauthorizedError('this token has expired', 'token_expired');
  recordLastUse(em, entry.principal.tokenId);
  // A copy: a caller that changes its principal cannot change the cached one.
  return { ...entry.principal };
}

/**
 * Writes last_used_at without delaying the request: skipped when this process wrote it within
 * the last minute, and the UPDATE itself only changes a row older than a minute, so several
 * processes together still write about once a minute per token. Plain SQL: neither audited nor
 * captured (a token's use is no directory change). A failed write is only lost telemetry.
 */
function recordLastUse(em: EntityManager, tokenId: string): void {
  const now = Date.now();
  const written = lastUsedWritten.get(tokenId);
  if (written !== undefined && now - written < LAST_USED_RESOLUTION_MS) return;
  lastUsedWritten.delete(tokenId);
  lastUsedWritten.set(tokenId, now);
  if (lastUsedWritten.size > LAST_USED_TRACKED) lastUsedWritten.delete(lastUsedWritten.keys().next().value!);
  em.getConnection()
    .execute(
      `update api_tokens set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
      [tokenId],
    )
    .catch(() => lastUsedWritten.delete(tokenId));
}

/**
 * Bearer-token authentication for every route registered after it in the same scope. The
 * plugin is not encapsulated (skip-override, as fastify-plugin does) so its hooks reach the
 * sibling route plugins. The caller becomes the audit actor for the rest of the request.
 */
export function authPlugin(deps: Pick<Deps, 'orm'>) {
  async function register(app: FastifyInstance): Promise<void> {
    app.decorateRequest('principal', null);
    app.decorateRequest('tenant', null);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      request.principal = await authenticate(deps.orm.em as EntityManager, request.headers.authorization);
    });
    app.addHook('onRequest', (request, _reply, done) => {
      const principal = request.principal!;
      runAsActor({ tokenId: principal.tokenId, name: principal.tokenName, role: principal.role }, done);
    });
  }
  (register as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return register;
}
