import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { UnauthorizedError } from '../../errors/errors.js';
import { runAsActor } from '../audit/audit-actor.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import { ApiToken } from './api-token.entity.js';
import type { Principal } from './principal.js';
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

export async function authenticate(em: EntityManager, header: string | undefined): Promise<Principal> {
  const match = header ? BEARER.exec(header.trim()) : null;
  if (!match) throw new UnauthorizedError();
  const token = await em.findOne(ApiToken, { tokenHash: hashToken(match[1]!), revokedAt: null }, { fields: ['id', 'name', 'role', 'tenant'], disableIdentityMap: true });
  if (!token) throw new UnauthorizedError();
  return { tokenId: token.id, tokenName: token.name, role: token.role, tenantId: token.tenant?.id ?? null };
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
