import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/errors.js';
import { requirePlatform } from '../auth/guards.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import { CreateTenantBody, type CreateTenantInput } from './tenants.schemas.js';
import { createTenant, listTenants, tenantViews } from './tenants.service.js';

const PAGE_SIZE = 25;

/** /console/tenants — platform operators: the tenants, New tenant (the REST create schema and service), a link into each. */
export function tenantsConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;

    async function listPage(
      request: FastifyRequest,
      reply: FastifyReply,
      extra: { form?: Record<string, unknown>; errors?: Record<string, string> } = {},
    ) {
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listTenants(em(), { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return reply.view('tenants/views/list', {
        ...pageContext(request, reply, { title: 'Tenants', active: 'tenants' }),
        tenants: await tenantViews(em(), list.items),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
        form: extra.form ?? {},
        errors: extra.errors ?? {},
      });
    }

    app.get('/tenants', { preHandler: requirePlatform }, async (request, reply) => listPage(request, reply));

    app.post('/tenants', { preHandler: requirePlatform }, async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      const limit = formText(form, 'maxAccounts');
      const body: Record<string, unknown> = { slug: formText(form, 'slug') ?? '', name: formText(form, 'name') ?? '' };
      if (limit !== undefined) body.maxAccounts = /^\d{1,9}$/.test(limit) ? Number(limit) : limit;
      const errors = validateBody(CreateTenantBody, body);
      if (Object.keys(errors).length === 0) {
        try {
          const tenant = await createTenant(em(), body as CreateTenantInput);
          setFlash(request, { kind: 'saved', text: `Changes Saved — tenant ${tenant.slug} created` });
          return reply.redirect('/console/tenants', 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
          em().clear();
          errors[error.code === 'tenant_slug_taken' ? 'slug' : 'name'] = error.message;
        }
      }
      return listPage(request, reply.status(400), { form, errors });
    });
  };
}
