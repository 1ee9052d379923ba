import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams } from '../../http/api-schemas.js';
import { accountView, accountViews } from '../accounts/account.view.js';
import { AccountView } from '../accounts/accounts.schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import type { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import {
  addExtraMember,
  extraMembers,
  removeExtraMember,
  shareNumber,
  sharedNumbers,
  unshareNumber,
} from './group-members.service.js';
import {
  GroupAccountParams,
  GroupNumberParams,
  MemberBody,
  SharedNumberBody,
  SharedNumberList,
} from './groups.schemas.js';

const shared = (number: PhoneNumber) => ({ id: number.id, e164: number.e164, status: number.status });

/** /groups/:id/members (extra members) and /groups/:id/shared-numbers. */
export function groupMembersRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['groups'];
    const base = '/tenants/:tenant/groups/:id';
    const read = requireTenantRole('viewer');
    const write = requireTenantRole('admin');

    app.get(
      `${base}/members`,
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantIdParams,
          response: { 200: Type.Object({ items: Type.Array(AccountView) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => ({
        items: await accountViews(em(), await extraMembers(em(), tenantOf(request), request.params.id)),
      }),
    );

    app.post(
      `${base}/members`,
      {
        preHandler: write,
        schema: { tags, params: TenantIdParams, body: MemberBody, response: { 201: AccountView, ...ERROR_RESPONSES } },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await accountView(
              em(),
              await addExtraMember(em(), tenantOf(request), request.params.id, request.body.accountId),
            ),
          ),
    );

    app.delete(
      `${base}/members/:accountId`,
      {
        preHandler: write,
        schema: { tags, params: GroupAccountParams, response: { 204: Type.Null(), ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        await removeExtraMember(em(), tenantOf(request), request.params.id, request.params.accountId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      `${base}/shared-numbers`,
      {
        preHandler: read,
        schema: { tags, params: TenantIdParams, response: { 200: SharedNumberList, ...ERROR_RESPONSES } },
      },
      async (request) => ({
        items: (await sharedNumbers(em(), tenantOf(request), request.params.id)).map(shared),
      }),
    );

    app.post(
      `${base}/shared-numbers`,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantIdParams,
          body: SharedNumberBody,
          response: {
            201: Type.Object({ id: Type.String(), e164: Type.String(), status: Type.String() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(shared(await shareNumber(em(), tenantOf(request), request.params.id, request.body.numberId))),
    );

    app.delete(
      `${base}/shared-numbers/:numberId`,
      {
        preHandler: write,
        schema: { tags, params: GroupNumberParams, response: { 204: Type.Null(), ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        await unshareNumber(em(), tenantOf(request), request.params.id, request.params.numberId);
        return reply.status(204).send(null);
      },
    );
  };
}
