import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { ClassOfService } from '../../model/directory/class-of-service.entity.js';
import {
  ClassOfServiceList,
  ClassOfServiceListQuery,
  ClassOfServiceView,
  CreateClassOfServiceBody,
  UpdateClassOfServiceBody,
} from './classes-of-service.schemas.js';
import {
  classOfServiceView,
  createClassOfService,
  deleteClassOfService,
  listClassesOfService,
  updateClassOfService,
} from './classes-of-service.service.js';

/** /api/v1/tenants/:tenant/classes-of-service — viewers read, admins write. */
export function classesOfServiceRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['classes-of-service'];
    const read = requireTenantRole('viewer');
    const write = requireTenantRole('admin');

    app.post(
      '/tenants/:tenant/classes-of-service',
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantParams,
          body: CreateClassOfServiceBody,
          response: { 201: ClassOfServiceView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) =>
        reply.status(201).send(classOfServiceView(await createClassOfService(em(), tenantOf(request), request.body))),
    );

    app.get(
      '/tenants/:tenant/classes-of-service',
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: ClassOfServiceListQuery,
          response: { 200: ClassOfServiceList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const page = await listClassesOfService(em(), tenantOf(request), request.query);
        return { ...page, items: page.items.map(classOfServiceView) };
      },
    );

    app.get(
      '/tenants/:tenant/classes-of-service/:id',
      {
        preHandler: read,
        schema: { tags, params: TenantIdParams, response: { 200: ClassOfServiceView, ...ERROR_RESPONSES } },
      },
      async (request) =>
        classOfServiceView(
          await findInTenant(em(), ClassOfService, tenantOf(request), request.params.id, 'class of service'),
        ),
    );

    app.patch(
      '/tenants/:tenant/classes-of-service/:id',
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantIdParams,
          body: UpdateClassOfServiceBody,
          response: { 200: ClassOfServiceView, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        classOfServiceView(await updateClassOfService(em(), tenantOf(request), request.params.id, request.body)),
    );

    app.delete(
      '/tenants/:tenant/classes-of-service/:id',
      {
        preHandler: write,
        schema: {
          tags,
          description:
            'Refused with 409 class_of_service_in_use (details: ids of the groups and PhoneMap groups using it) while referenced.',
          params: TenantIdParams,
          response: { 204: Type.Null(), ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        await deleteClassOfService(em(), tenantOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
