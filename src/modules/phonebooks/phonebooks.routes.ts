import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, PageQueryFields, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { tenantOf } from '../auth/guards.js';
import { requireContactPermission } from '../contacts/contact-permissions.service.js';
import { ContactList } from '../contacts/contacts.schemas.js';
import { listContacts } from '../contacts/contacts.service.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { internalDirectory } from './internal-directory.js';
import { addMembers, removeMember, removeMembers } from './phonebook-members.service.js';
import { Phonebook } from '../../model/phonebooks/phonebook.entity.js';
import {
  CreatePhonebookBody,
  DirectoryList,
  DirectoryQuery,
  MembershipBody,
  MembershipResult,
  PhonebookContactParams,
  PhonebookList,
  PhonebookListQuery,
  PhonebookView,
  UpdatePhonebookBody,
} from './phonebooks.schemas.js';
import {
  createPhonebook,
  deletePhonebook,
  listPhonebooks,
  phonebookView,
  phonebookViews,
  updatePhonebook,
} from './phonebooks.service.js';

const PhonebookContactsQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), ...PageQueryFields },
  { additionalProperties: false },
);

/**
 * /api/v1/tenants/:tenant/phonebooks — phonebooks use the contact permissions: view to read,
 * add/edit/delete to create, change (including membership) and delete.
 */
export function phonebooksRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['phonebooks'];
    const base = '/tenants/:tenant/phonebooks';

    app.post(
      base,
      {
        preHandler: requireContactPermission('add'),
        schema: {
          tags,
          params: TenantParams,
          body: CreatePhonebookBody,
          response: { 201: PhonebookView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await phonebookView(em(), await createPhonebook(em(), tenantOf(request), request.body))),
    );

    app.get(
      base,
      {
        preHandler: requireContactPermission('view'),
        schema: {
          tags,
          params: TenantParams,
          querystring: PhonebookListQuery,
          response: { 200: PhonebookList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const page = await listPhonebooks(em(), tenantOf(request), request.query);
        return { ...page, items: await phonebookViews(em(), page.items) };
      },
    );

    app.get(
      `${base}/internal`,
      {
        preHandler: requireContactPermission('view'),
        schema: {
          tags,
          params: TenantParams,
          querystring: DirectoryQuery,
          response: { 200: DirectoryList, ...ERROR_RESPONSES },
        },
      },
      async (request) => internalDirectory(em(), tenantOf(request), request.query),
    );

    app.get(
      `${base}/:id`,
      {
        preHandler: requireContactPermission('view'),
        schema: { tags, params: TenantIdParams, response: { 200: PhonebookView, ...ERROR_RESPONSES } },
      },
      async (request) =>
        phonebookView(em(), await findInTenant(em(), Phonebook, tenantOf(request), request.params.id, 'phonebook')),
    );

    app.patch(
      `${base}/:id`,
      {
        preHandler: requireContactPermission('edit'),
        schema: {
          tags,
          params: TenantIdParams,
          body: UpdatePhonebookBody,
          response: { 200: PhonebookView, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        phonebookView(em(), await updatePhonebook(em(), tenantOf(request), request.params.id, request.body)),
    );

    app.delete(
      `${base}/:id`,
      {
        preHandler: requireContactPermission('delete'),
        schema: { tags, params: TenantIdParams, response: { 204: Type.Null(), ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        await deletePhonebook(em(), tenantOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      `${base}/:id/contacts`,
      {
        preHandler: requireContactPermission('view'),
        schema: {
          tags,
          params: TenantIdParams,
          querystring: PhonebookContactsQuery,
          response: { 200: ContactList, ...ERROR_RESPONSES },
        },
      },
      async (request) => listContacts(em(), tenantOf(request), { ...request.query, phonebook: request.params.id }),
    );

    app.post(
      `${base}/:id/contacts`,
      {
        preHandler: requireContactPermission('edit'),
        schema: {
          tags,
          params: TenantIdParams,
          body: MembershipBody,
          response: { 200: MembershipResult, ...ERROR_RESPONSES },
        },
      },
      async (request) => addMembers(em(), tenantOf(request), request.params.id, request.body.contactIds),
    );

    app.post(
      `${base}/:id/contacts/remove`,
      {
        preHandler: requireContactPermission('edit'),
        schema: {
          tags,
          params: TenantIdParams,
          body: MembershipBody,
          response: { 200: MembershipResult, ...ERROR_RESPONSES },
        },
      },
      async (request) => removeMembers(em(), tenantOf(request), request.params.id, request.body.contactIds),
    );

    app.delete(
      `${base}/:id/contacts/:contactId`,
      {
        preHandler: requireContactPermission('edit'),
        schema: { tags, params: PhonebookContactParams, response: { 204: Type.Null(), ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        await removeMember(em(), tenantOf(request), request.params.id, request.params.contactId);
        return reply.status(204).send(null);
      },
    );
  };
}
