import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { principalOf, requireTenantRole, tenantOf } from './guards.js';
import { Tenant } from '../../model/directory/tenant.entity.js';
import {
  ApiTokenList,
  ApiTokenListQuery,
  ApiTokenView,
  CreateApiTokenBody,
  CreatedApiToken,
  WhoAmIView,
} from './api-tokens.schemas.js';
import { apiTokenView, createApiToken, listApiTokens, revokeApiToken } from './api-tokens.service.js';

/** /api/v1/tenants/:tenant/api-tokens — owners only. */
export function apiTokensRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['api-tokens'];
    const preHandler = requireTenantRole('owner');

    // The CLI's sign-in check: which token this is and which tenant it belongs to. Any valid token.
    app.get(
      '/whoami',
      {
        schema: {
          tags,
          summary: 'Describe the calling token',
          description:
            "The calling token's name, role and tenant (slug and id; null for the platform token). `provd login` uses it to check a token.",
          response: { 200: WhoAmIView, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const tenant = principal.tenantId
          ? await em().findOne(Tenant, { id: principal.tenantId }, { fields: ['id', 'slug'] })
          : null;
        return {
          tokenId: principal.tokenId,
          tokenName: principal.tokenName,
          role: principal.role,
          tenant: tenant ? { id: tenant.id, slug: tenant.slug } : null,
        };
      },
    );

    app.post(
      '/tenants/:tenant/api-tokens',
      {
        preHandler,
        schema: {
          tags,
          params: TenantParams,
          body: CreateApiTokenBody,
          response: { 201: CreatedApiToken, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { token, plaintext } = await createApiToken(em(), tenantOf(request), request.body);
        return reply.status(201).send({ ...apiTokenView(token), token: plaintext });
      },
    );

    app.get(
      '/tenants/:tenant/api-tokens',
      {
        preHandler,
        schema: {
          tags,
          params: TenantParams,
          querystring: ApiTokenListQuery,
          response: { 200: ApiTokenList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const page = await listApiTokens(em(), tenantOf(request), request.query);
        return { ...page, items: page.items.map(apiTokenView) };
      },
    );

    app.delete(
      '/tenants/:tenant/api-tokens/:id',
      {
        preHandler,
        schema: { tags, params: TenantIdParams, response: { 200: ApiTokenView, ...ERROR_RESPONSES } },
      },
      async (request) => apiTokenView(await revokeApiToken(em(), tenantOf(request), request.params.id)),
    );
  };
}
