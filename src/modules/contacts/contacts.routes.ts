import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import {
  contactPermissionsView,
  requireContactPermission,
  setContactPermissions,
} from './contact-permissions.service.js';
import {
  BulkDeleteBody,
  BulkDeleteResult,
  ContactList,
  ContactListQuery,
  ContactPermissionsBody,
  ContactPermissionsView,
  ContactView,
  CreateContactBody,
  UpdateContactBody,
} from './contacts.schemas.js';
import {
  bulkDeleteContacts,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  updateContact,
} from './contacts.service.js';

/** /api/v1/tenants/:tenant/contacts — company contacts, guarded by the tenant's contact permissions. */
export function contactsRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['contacts'];
    const base = '/tenants/:tenant/contacts';

    app.post(
      base,
      {
        preHandler: requireContactPermission('add'),
        schema: {
          tags,
          params: TenantParams,
          body: CreateContactBody,
          response: { 201: ContactView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => reply.status(201).send(await createContact(em(), tenantOf(request), request.body)),
    );

    app.get(
      base,
      {
        preHandler: requireContactPermission('view'),
        schema: {
          tags,
          params: TenantParams,
          querystring: ContactListQuery,
          response: { 200: ContactList, ...ERROR_RESPONSES },
        },
      },
      async (request) => listContacts(em(), tenantOf(request), request.query),
    );

    app.post(
      `${base}/bulk-delete`,
      {
        preHandler: requireContactPermission('delete'),
        schema: {
          tags,
          params: TenantParams,
          body: BulkDeleteBody,
          response: { 200: BulkDeleteResult, ...ERROR_RESPONSES },
        },
      },
      async (request) => bulkDeleteContacts(em(), tenantOf(request), request.body.ids),
    );

    app.get(
      `${base}/permissions`,
      {
        preHandler: requireTenantRole('owner'),
        schema: { tags, params: TenantParams, response: { 200: ContactPermissionsView, ...ERROR_RESPONSES } },
      },
      async (request) => contactPermissionsView(em(), tenantOf(request)),
    );

    app.put(
      `${base}/permissions`,
      {
        preHandler: requireTenantRole('owner'),
        schema: {
          tags,
          params: TenantParams,
          body: ContactPermissionsBody,
          response: { 200: ContactPermissionsView, ...ERROR_RESPONSES },
        },
      },
      async (request) => setContactPermissions(em(), tenantOf(request), request.body),
    );

    app.get(
      `${base}/:id`,
      {
        preHandler: requireContactPermission('view'),
        schema: { tags, params: TenantIdParams, response: { 200: ContactView, ...ERROR_RESPONSES } },
      },
      async (request) => getContact(em(), tenantOf(request), request.params.id),
    );

    app.patch(
      `${base}/:id`,
      {
        preHandler: requireContactPermission('edit'),
        schema: {
          tags,
          params: TenantIdParams,
          body: UpdateContactBody,
          response: { 200: ContactView, ...ERROR_RESPONSES },
        },
      },
      async (request) => updateContact(em(), tenantOf(request), request.params.id, request.body),
    );

    app.delete(
      `${base}/:id`,
      {
        preHandler: requireContactPermission('delete'),
        schema: { tags, params: TenantIdParams, response: { 204: Type.Null(), ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        await deleteContact(em(), tenantOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
