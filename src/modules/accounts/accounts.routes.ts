import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { Account } from '../../model/directory/account.entity.js';
import { accountImpact } from './account-removal.js';
import { accountView, accountViews } from './account.view.js';
import {
  AccountImpact,
  AccountList,
  AccountListQuery,
  AccountView,
  CleanupReport,
  CreateAccountBody,
  CreatedAccount,
  SipCredentials,
  UpdateAccountBody,
} from './accounts.schemas.js';
import {
  createAccount,
  deleteAccount,
  listAccounts,
  rotateSipPassword,
  sipCredentials,
  updateAccount,
} from './accounts.service.js';

/** /api/v1/tenants/:tenant/accounts */
export function accountsRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['accounts'];
    const base = '/tenants/:tenant/accounts';

    app.post(
      base,
      {
        preHandler: requireTenantRole('admin'),
        schema: {
          tags,
          params: TenantParams,
          body: CreateAccountBody,
          response: { 201: CreatedAccount, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { account, sipPassword } = await createAccount(em(), tenantOf(request), request.body);
        return reply.status(201).send({ ...(await accountView(em(), account)), sipPassword });
      },
    );

    app.get(
      base,
      {
        preHandler: requireTenantRole('viewer'),
        schema: {
          tags,
          params: TenantParams,
          querystring: AccountListQuery,
          response: { 200: AccountList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const page = await listAccounts(em(), tenantOf(request), request.query);
        return { ...page, items: await accountViews(em(), page.items) };
      },
    );

    app.get(
      `${base}/:id`,
      {
        preHandler: requireTenantRole('viewer'),
        schema: { tags, params: TenantIdParams, response: { 200: AccountView, ...ERROR_RESPONSES } },
      },
      async (request) =>
        accountView(em(), await findInTenant(em(), Account, tenantOf(request), request.params.id, 'account')),
    );

    app.get(
      `${base}/:id/impact`,
      {
        preHandler: requireTenantRole('viewer'),
        schema: {
          tags,
          description:
            'What DELETE (or enabled=false) would do: numbers unassigned, device lines freed, hunt groups left, auto attendant options removed.',
          params: TenantIdParams,
          response: { 200: AccountImpact, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const tenant = tenantOf(request);
        return accountImpact(em(), tenant, await findInTenant(em(), Account, tenant, request.params.id, 'account'));
      },
    );

    app.get(
      `${base}/:id/sip-credentials`,
      {
        preHandler: requireTenantRole('admin'),
        schema: {
          tags,
          description: 'The SIP password, for configuring a softphone by hand. Admins only.',
          params: TenantIdParams,
          response: { 200: SipCredentials, ...ERROR_RESPONSES },
        },
      },
      async (request) => sipCredentials(em(), tenantOf(request), request.params.id),
    );

    app.post(
      `${base}/:id/rotate-sip-password`,
      {
        preHandler: requireTenantRole('admin'),
        schema: { tags, params: TenantIdParams, response: { 200: SipCredentials, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const { account, sipPassword } = await rotateSipPassword(em(), tenantOf(request), request.params.id);
        return { sipUsername: account.sipUsername, sipPassword };
      },
    );

    app.patch(
      `${base}/:id`,
      {
        preHandler: requireTenantRole('admin'),
        schema: {
          tags,
          description:
            'Setting enabled=false applies the cleanup rules: numbers unassigned, device lines freed, removed from hunt groups and auto attendant options.',
          params: TenantIdParams,
          body: UpdateAccountBody,
          response: { 200: AccountView, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        accountView(em(), await updateAccount(em(), tenantOf(request), request.params.id, request.body)),
    );

    app.delete(
      `${base}/:id`,
      {
        preHandler: requireTenantRole('admin'),
        schema: {
          tags,
          description: 'Deletes the account after applying the cleanup rules; answers what was cleaned up.',
          params: TenantIdParams,
          response: { 200: CleanupReport, ...ERROR_RESPONSES },
        },
      },
      async (request) => deleteAccount(em(), tenantOf(request), request.params.id),
    );
  };
}
