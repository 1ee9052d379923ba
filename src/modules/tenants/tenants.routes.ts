import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ConfirmQuery, ERROR_RESPONSES, TenantParams } from '../../http/api-schemas.js';
import { principalOf, requirePlatform, requireTenantRole, tenantOf } from '../auth/guards.js';
import {
  CreateTenantBody,
  TenantList,
  TenantListQuery,
  TenantReadinessView,
  TenantView,
  UpdateTenantBody,
} from './tenants.schemas.js';
import { tenantReadiness } from './tenant-readiness.js';
import { createTenant, deleteTenant, listTenants, tenantView, tenantViews, updateTenant } from './tenants.service.js';

/** /api/v1/tenants: the platform token manages tenants; a tenant's own tokens may read (and owners adjust) theirs. */
export function tenantsRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['tenants'];

    app.post(
      '/tenants',
      {
        preHandler: requirePlatform,
        schema: { tags, body: CreateTenantBody, response: { 201: TenantView, ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        const tenant = await createTenant(em(), request.body);
        return reply.status(201).send(await tenantView(em(), tenant));
      },
    );

    app.get(
      '/tenants',
      {
        preHandler: requirePlatform,
        schema: { tags, querystring: TenantListQuery, response: { 200: TenantList, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const page = await listTenants(em(), request.query);
        return { ...page, items: await tenantViews(em(), page.items) };
      },
    );

    app.get(
      '/tenants/:tenant',
      {
        preHandler: requireTenantRole('viewer'),
        schema: { tags, params: TenantParams, response: { 200: TenantView, ...ERROR_RESPONSES } },
      },
      async (request) => tenantView(em(), tenantOf(request)),
    );

    app.get(
      '/tenants/:tenant/readiness',
      {
        preHandler: requireTenantRole('viewer'),
        schema: {
          tags,
          summary: 'Tenant readiness',
          description:
            'What the tenant default profile still lacks of the settings no device renders without (`missing`, e.g. sipServer); `defaultProfile` when it has none. Viewers and up.',
          params: TenantParams,
          response: { 200: TenantReadinessView, ...ERROR_RESPONSES },
        },
      },
      async (request) => tenantReadiness(em(), tenantOf(request)),
    );

    app.patch(
      '/tenants/:tenant',
      {
        preHandler: requireTenantRole('owner'),
        schema: {
          tags,
          params: TenantParams,
          body: UpdateTenantBody,
          response: { 200: TenantView, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        tenantView(em(), await updateTenant(em(), tenantOf(request), request.body, principalOf(request))),
    );

    app.delete(
      '/tenants/:tenant',
      {
        preHandler: [requireTenantRole('owner'), requirePlatform],
        schema: {
          tags,
          params: TenantParams,
          querystring: ConfirmQuery,
          response: { 204: Type.Null(), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await deleteTenant(em(), tenantOf(request), request.query.confirm === true);
        return reply.status(204).send(null);
      },
    );
  };
}
