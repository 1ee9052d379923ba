import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ConfirmQuery, ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { groupList } from './group-list.js';
import { deleteGroup, groupImpact } from './group-removal.js';
import { groupView, groupViews } from './group.view.js';
import { Group } from '../../model/directory/group.entity.js';
import {
  CreateGroupBody,
  GroupImpact,
  GroupList,
  GroupListQuery,
  GroupView,
  UpdateGroupBody,
} from './groups.schemas.js';
import { createGroup, updateGroup } from './groups.service.js';

/** /api/v1/tenants/:tenant/groups */
export function groupsRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['groups'];
    const base = '/tenants/:tenant/groups';
    const read = requireTenantRole('viewer');
    const write = requireTenantRole('admin');

    app.post(
      base,
      {
        preHandler: write,
        schema: { tags, params: TenantParams, body: CreateGroupBody, response: { 201: GroupView, ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        const tenant = tenantOf(request);
        return reply.status(201).send(await groupView(em(), tenant, await createGroup(em(), tenant, request.body)));
      },
    );

    app.get(
      base,
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: GroupListQuery,
          response: { 200: GroupList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const tenant = tenantOf(request);
        const page = await groupList(em(), tenant, request.query);
        return { ...page, items: await groupViews(em(), tenant, page.items) };
      },
    );

    app.get(
      `${base}/:id`,
      { preHandler: read, schema: { tags, params: TenantIdParams, response: { 200: GroupView, ...ERROR_RESPONSES } } },
      async (request) => {
        const tenant = tenantOf(request);
        return groupView(em(), tenant, await findInTenant(em(), Group, tenant, request.params.id, 'group'));
      },
    );

    app.get(
      `${base}/:id/impact`,
      {
        preHandler: read,
        schema: {
          tags,
          description: 'What DELETE would remove.',
          params: TenantIdParams,
          response: { 200: GroupImpact, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const tenant = tenantOf(request);
        return groupImpact(em(), tenant, await findInTenant(em(), Group, tenant, request.params.id, 'group'));
      },
    );

    app.patch(
      `${base}/:id`,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantIdParams,
          body: UpdateGroupBody,
          response: { 200: GroupView, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const tenant = tenantOf(request);
        return groupView(em(), tenant, await updateGroup(em(), tenant, request.params.id, request.body));
      },
    );

    app.delete(
      `${base}/:id`,
      {
        preHandler: write,
        schema: {
          tags,
          description:
            'A group that is not empty answers 409 with the impact unless ?confirm=true; confirmed, its home accounts are deleted with the cleanup rules.',
          params: TenantIdParams,
          querystring: ConfirmQuery,
          response: { 200: GroupImpact, ...ERROR_RESPONSES },
        },
      },
      async (request) => deleteGroup(em(), tenantOf(request), request.params.id, request.query.confirm === true),
    );
  };
}
