import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { GrantBody, GroupGrantView, UserGrantView, type UserGrantViewType } from './contact-grants.schemas.js';
import { effectiveContactPermissions, grantOf, setGrant } from './contact-grants.service.js';

/**
 * /api/v1/tenants/:tenant/{accounts,groups}/:id/contact-permissions — the owner grants company-
 * contact permissions to a user (an account holder) or a group. Grants are entity writes, so
 * the audit trail records each change with its actor.
 */
export function contactGrantsRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['contacts'];
    const owner = requireTenantRole('owner');

    async function userView(tenant: Tenant, id: string): Promise<UserGrantViewType> {
      const granted = await grantOf(em(), tenant, { kind: 'user', id });
      return { granted, effective: await effectiveContactPermissions(em(), tenant.id, id) };
    }

    const userPath = '/tenants/:tenant/accounts/:id/contact-permissions';
    app.get(
      userPath,
      {
        preHandler: owner,
        schema: { tags, params: TenantIdParams, response: { 200: UserGrantView, ...ERROR_RESPONSES } },
      },
      async (request) => userView(tenantOf(request), request.params.id),
    );
    app.put(
      userPath,
      {
        preHandler: owner,
        schema: { tags, params: TenantIdParams, body: GrantBody, response: { 200: UserGrantView, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const tenant = tenantOf(request);
        await setGrant(em(), tenant, { kind: 'user', id: request.params.id }, request.body.permissions);
        return userView(tenant, request.params.id);
      },
    );

    const groupPath = '/tenants/:tenant/groups/:id/contact-permissions';
    app.get(
      groupPath,
      {
        preHandler: owner,
        schema: { tags, params: TenantIdParams, response: { 200: GroupGrantView, ...ERROR_RESPONSES } },
      },
      async (request) => ({
        granted: await grantOf(em(), tenantOf(request), { kind: 'group', id: request.params.id }),
      }),
    );
    app.put(
      groupPath,
      {
        preHandler: owner,
        schema: {
          tags,
          params: TenantIdParams,
          body: GrantBody,
          response: { 200: GroupGrantView, ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        granted: await setGrant(
          em(),
          tenantOf(request),
          { kind: 'group', id: request.params.id },
          request.body.permissions,
        ),
      }),
    );
  };
}
