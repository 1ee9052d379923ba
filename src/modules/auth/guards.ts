import type { FastifyRequest } from 'fastify';
import { RequestContext } from '@mikro-orm/core';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../../errors/errors.js';
import { Tenant } from '../../model/directory/tenant.entity.js';
import { GUARD_ROLE } from '../../http/operation-docs.js';
import { roleAtLeast, type Principal } from './principal.js';
import type { TenantRole } from '../../model/auth/api-token.entity.js';

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError();
  return request.principal;
}

/** The tenant resolved by requireTenantRole; calling it on a route without that guard is a bug. */
export function tenantOf(request: FastifyRequest): Tenant {
  if (!request.tenant) throw new Error('route has no requireTenantRole guard');
  return request.tenant;
}

/**
 * preHandler for routes under /tenants/:tenant. Resolves the slug to the tenant the token may
 * see: another tenant's slug answers 404 exactly like a slug that does not exist (never 403, which
 * would confirm it exists). Then checks the role: viewers read, admins and owners write.
 */
export function requireTenantRole(min: TenantRole) {
  return Object.assign(
    async function tenantGuard(request: FastifyRequest): Promise<void> {
      const principal = principalOf(request);
      const slug = (request.params as { tenant?: unknown }).tenant;
      const em = RequestContext.getEntityManager();
      if (!em) throw new Error('no request context');
      const tenant = typeof slug === 'string' ? await em.findOne(Tenant, { slug }) : null;
      if (!tenant || (principal.role !== 'platform' && principal.tenantId !== tenant.id))
        throw new NotFoundError('tenant');
      if (!roleAtLeast(principal.role, min))
        throw new ForbiddenError('role_insufficient', `this needs the ${min} role or higher`);
      request.tenant = tenant;
    },
    { [GUARD_ROLE]: min },
  );
}

/** preHandler for platform-level routes (managing tenants). */
export const requirePlatform = Object.assign(
  async function requirePlatform(request: FastifyRequest): Promise<void> {
    if (principalOf(request).role !== 'platform')
      throw new ForbiddenError('platform_only', 'this needs the platform token');
  },
  { [GUARD_ROLE]: 'platform' },
);
