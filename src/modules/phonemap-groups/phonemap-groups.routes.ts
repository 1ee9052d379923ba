import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ConfirmQuery, ERROR_RESPONSES, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import {
  AddMemberBody,
  CreatePhoneMapGroupBody,
  PhoneMapGroupList,
  PhoneMapGroupListQuery,
  PhoneMapGroupView,
  PhoneMapImpact,
  PhoneMapMemberParams,
  PhoneMapParams,
  UpdatePhoneMapGroupBody,
} from './phonemap-groups.schemas.js';
import {
  createPhoneMapGroup,
  deletePhoneMapGroup,
  findPhoneMapGroup,
  listPhoneMapGroups,
  phonemapGroupView,
  phonemapGroupViews,
  phonemapImpact,
  updatePhoneMapGroup,
} from './phonemap-groups.service.js';
import { activatePhoneMapMember, addPhoneMapMember, removePhoneMapMember } from './phonemap-members.service.js';

/** /api/v1/tenants/:tenant/phonemap-groups (with members) — viewers read, admins write. */
export function phonemapGroupsRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['phonemap-groups'];
    const read = requireTenantRole('viewer');
    const write = requireTenantRole('admin');
    const base = '/tenants/:tenant/phonemap-groups';

    app.post(
      base,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantParams,
          body: CreatePhoneMapGroupBody,
          response: { 201: PhoneMapGroupView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const group = await createPhoneMapGroup(em(), tenantOf(request), request.body);
        return reply.status(201).send(await phonemapGroupView(em(), group));
      },
    );

    app.get(
      base,
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: PhoneMapGroupListQuery,
          response: { 200: PhoneMapGroupList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const page = await listPhoneMapGroups(em(), tenantOf(request), request.query);
        return { ...page, items: await phonemapGroupViews(em(), page.items) };
      },
    );

    app.get(
      `${base}/:id`,
      {
        preHandler: read,
        schema: { tags, params: PhoneMapParams, response: { 200: PhoneMapGroupView, ...ERROR_RESPONSES } },
      },
      async (request) => phonemapGroupView(em(), await findPhoneMapGroup(em(), tenantOf(request), request.params.id)),
    );

    app.get(
      `${base}/:id/impact`,
      {
        preHandler: read,
        schema: {
          tags,
          description: 'What DELETE would unbind: the members (mappings) and the device lines bound to the group.',
          params: PhoneMapParams,
          response: { 200: PhoneMapImpact, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const tenant = tenantOf(request);
        return phonemapImpact(em(), tenant, await findPhoneMapGroup(em(), tenant, request.params.id));
      },
    );

    app.patch(
      `${base}/:id`,
      {
        preHandler: write,
        schema: {
          tags,
          params: PhoneMapParams,
          body: UpdatePhoneMapGroupBody,
          response: { 200: PhoneMapGroupView, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        phonemapGroupView(em(), await updatePhoneMapGroup(em(), tenantOf(request), request.params.id, request.body)),
    );

    app.delete(
      `${base}/:id`,
      {
        preHandler: write,
        schema: {
          tags,
          description:
            'Without ?confirm=true a group that still has members or bound device lines answers 409 confirmation_required with the impact. Answers what was unbound.',
          params: PhoneMapParams,
          querystring: ConfirmQuery,
          response: { 200: PhoneMapImpact, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        deletePhoneMapGroup(em(), tenantOf(request), request.params.id, request.query.confirm === true),
    );

    app.post(
      `${base}/:id/members`,
      {
        preHandler: write,
        schema: {
          tags,
          description: 'The first member of an empty group becomes the active one.',
          params: PhoneMapParams,
          body: AddMemberBody,
          response: { 201: PhoneMapGroupView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const group = await addPhoneMapMember(em(), tenantOf(request), request.params.id, request.body.accountId);
        return reply.status(201).send(await phonemapGroupView(em(), group));
      },
    );

    app.delete(
      `${base}/:id/members/:memberId`,
      {
        preHandler: write,
        schema: {
          tags,
          description: 'memberId is the account id. The active member can only be removed when it is the last one.',
          params: PhoneMapMemberParams,
          response: { 200: PhoneMapGroupView, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        phonemapGroupView(
          em(),
          await removePhoneMapMember(em(), tenantOf(request), request.params.id, request.params.memberId),
        ),
    );

    app.post(
      `${base}/:id/members/:memberId/activate`,
      {
        preHandler: write,
        schema: {
          tags,
          description: 'Switches the active member atomically.',
          params: PhoneMapMemberParams,
          response: { 200: PhoneMapGroupView, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        phonemapGroupView(
          em(),
          await activatePhoneMapMember(em(), tenantOf(request), request.params.id, request.params.memberId),
        ),
    );
  };
}
