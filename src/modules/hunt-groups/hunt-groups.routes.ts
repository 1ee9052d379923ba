import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { HuntGroup } from '../../model/directory/hunt-group.entity.js';
import {
  CreateHuntGroupBody,
  HuntGroupImpact,
  HuntGroupList,
  HuntGroupListQuery,
  HuntGroupView,
  UpdateHuntGroupBody,
} from './hunt-groups.schemas.js';
import {
  createHuntGroup,
  deleteHuntGroup,
  huntGroupImpact,
  huntGroupViews,
  listHuntGroups,
  updateHuntGroup,
} from './hunt-groups.service.js';

/** /api/v1/tenants/:tenant/hunt-groups — numbers are assigned through /numbers/:id/assign. */
export function huntGroupsRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['hunt-groups'];
    const base = '/tenants/:tenant/hunt-groups';
    const read = requireTenantRole('viewer');
    const write = requireTenantRole('admin');
    const view = async (huntGroup: HuntGroup) => (await huntGroupViews(em(), [huntGroup]))[0]!;

    app.post(
      base,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantParams,
          body: CreateHuntGroupBody,
          response: { 201: HuntGroupView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await view(await createHuntGroup(em(), tenantOf(request), request.body))),
    );

    app.get(
      base,
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: HuntGroupListQuery,
          response: { 200: HuntGroupList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const page = await listHuntGroups(em(), tenantOf(request), request.query);
        return { ...page, items: await huntGroupViews(em(), page.items) };
      },
    );

    app.get(
      `${base}/:id`,
      {
        preHandler: read,
        schema: { tags, params: TenantIdParams, response: { 200: HuntGroupView, ...ERROR_RESPONSES } },
      },
      async (request) => view(await findInTenant(em(), HuntGroup, tenantOf(request), request.params.id, 'hunt group')),
    );

    app.get(
      `${base}/:id/impact`,
      {
        preHandler: read,
        schema: {
          tags,
          description:
            'What DELETE would do: numbers unassigned, auto attendant options forwarding to it removed, members leaving.',
          params: TenantIdParams,
          response: { 200: HuntGroupImpact, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const tenant = tenantOf(request);
        return huntGroupImpact(
          em(),
          tenant,
          await findInTenant(em(), HuntGroup, tenant, request.params.id, 'hunt group'),
        );
      },
    );

    app.patch(
      `${base}/:id`,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantIdParams,
          body: UpdateHuntGroupBody,
          response: { 200: HuntGroupView, ...ERROR_RESPONSES },
        },
      },
      async (request) => view(await updateHuntGroup(em(), tenantOf(request), request.params.id, request.body)),
    );

    app.delete(
      `${base}/:id`,
      {
        preHandler: write,
        schema: { tags, params: TenantIdParams, response: { 204: Type.Null(), ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        await deleteHuntGroup(em(), tenantOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
