import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { AuditEntry } from '../../model/audit/audit-entry.entity.js';
import { AuditList, AuditQuery } from './audit.schemas.js';

function auditFilter(tenant: Tenant, query: Static<typeof AuditQuery>): FilterQuery<AuditEntry> {
  const createdAt: { $gte?: Date; $lt?: Date } = {};
  if (query.since) createdAt.$gte = new Date(query.since);
  if (query.until) createdAt.$lt = new Date(query.until);
  return {
    tenantId: tenant.id,
    ...(query.entityType ? { entityType: query.entityType } : {}),
    ...(query.entityId ? { entityId: query.entityId } : {}),
    ...(query.actor ? { actorTokenId: query.actor } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.since || query.until ? { createdAt } : {}),
  };
}

/** /api/v1/tenants/:tenant/audit — the tenant's change trail, newest first. */
export function auditRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/tenants/:tenant/audit',
      {
        preHandler: requireTenantRole('viewer'),
        schema: {
          tags: ['audit'],
          params: TenantParams,
          querystring: AuditQuery,
          response: { 200: AuditList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { limit, offset } = request.query;
        const em = deps.orm.em as EntityManager;
        const [entries, total] = await em.findAndCount(AuditEntry, auditFilter(tenantOf(request), request.query), {
          orderBy: { createdAt: 'desc', id: 'desc' },
          limit,
          offset,
        });
        const items = entries.map((entry) => ({
          id: entry.id,
          entityType: entry.entityType,
          entityId: entry.entityId,
          action: entry.action,
          actor: { tokenId: entry.actorTokenId ?? null, name: entry.actorName, role: entry.actorRole },
          before: entry.before ?? null,
          after: entry.after ?? null,
          createdAt: entry.createdAt.toISOString(),
        }));
        return { items, total, limit, offset };
      },
    );
  };
}
