import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { AutoAttendant } from '../../model/directory/auto-attendant.entity.js';
import {
  CreateAutoAttendantBody,
  AutoAttendantList,
  AutoAttendantListQuery,
  AutoAttendantView,
  UpdateAutoAttendantBody,
} from './auto-attendants.schemas.js';
import {
  createAutoAttendant,
  deleteAutoAttendant,
  autoAttendantViews,
  listAutoAttendants,
  updateAutoAttendant,
} from './auto-attendants.service.js';

/** /api/v1/tenants/:tenant/auto-attendants — numbers are assigned through /numbers/:id/assign. */
export function autoAttendantsRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['auto-attendants'];
    const base = '/tenants/:tenant/auto-attendants';
    const read = requireTenantRole('viewer');
    const write = requireTenantRole('admin');
    const view = async (autoAttendant: AutoAttendant) => (await autoAttendantViews(em(), [autoAttendant]))[0]!;

    app.post(
      base,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantParams,
          body: CreateAutoAttendantBody,
          response: { 201: AutoAttendantView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await view(await createAutoAttendant(em(), tenantOf(request), request.body))),
    );

    app.get(
      base,
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: AutoAttendantListQuery,
          response: { 200: AutoAttendantList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const page = await listAutoAttendants(em(), tenantOf(request), request.query);
        return { ...page, items: await autoAttendantViews(em(), page.items) };
      },
    );

    app.get(
      `${base}/:id`,
      {
        preHandler: read,
        schema: { tags, params: TenantIdParams, response: { 200: AutoAttendantView, ...ERROR_RESPONSES } },
      },
      async (request) =>
        view(await findInTenant(em(), AutoAttendant, tenantOf(request), request.params.id, 'auto attendant')),
    );

    app.patch(
      `${base}/:id`,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantIdParams,
          body: UpdateAutoAttendantBody,
          response: { 200: AutoAttendantView, ...ERROR_RESPONSES },
        },
      },
      async (request) => view(await updateAutoAttendant(em(), tenantOf(request), request.params.id, request.body)),
    );

    app.delete(
      `${base}/:id`,
      {
        preHandler: write,
        schema: { tags, params: TenantIdParams, response: { 204: Type.Null(), ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        await deleteAutoAttendant(em(), tenantOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
