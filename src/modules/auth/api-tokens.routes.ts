import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from './guards.js';
import { ApiTokenList, ApiTokenListQuery, ApiTokenView, CreateApiTokenBody, CreatedApiToken } from './api-tokens.schemas.js';
import { apiTokenView, createApiToken, listApiTokens, revokeApiToken } from './api-tokens.service.js';

/** /api/v1/tenants/:tenant/api-tokens — owners only. */
export function apiTokensRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['api-tokens'];
    const preHandler = requireTenantRole('owner');

    app.post('/tenants/:tenant/api-tokens', {
      preHandler,
      schema: { tags, params: TenantParams, body: CreateApiTokenBody, response: { 201: CreatedApiToken, ...ERROR_RESPONSES } },
    }, async (request, reply) => {
      const { token, plaintext } = await createApiToken(em(), tenantOf(request), request.body);
      return reply.status(201).send({ ...apiTokenView(token), token: plaintext });
    });

    app.get('/tenants/:tenant/api-tokens', {
      preHandler,
      schema: { tags, params: TenantParams, querystring: ApiTokenListQuery, response: { 200: ApiTokenList, ...ERROR_RESPONSES } },
    }, async (request) => {
      const page = await listApiTokens(em(), tenantOf(request), request.query);
      return { ...page, items: page.items.map(apiTokenView) };
    });

    app.delete('/tenants/:tenant/api-tokens/:id', {
      preHandler,
      schema: { tags, params: TenantIdParams, response: { 200: ApiTokenView, ...ERROR_RESPONSES } },
    }, async (request) => apiTokenView(await revokeApiToken(em(), tenantOf(request), request.params.id)));
  };
}
