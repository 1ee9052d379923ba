import type { FastifyInstance } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { pageContext } from '../console/page-context.js';
import { groupTabPage, sharedNumberChoices } from './group-tab.js';

const PAGE_SIZE = 25;

/** A query value that may repeat (?number=a&number=b) as a list of non-empty strings. */
function many(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list
    .filter((item): item is string => typeof item === 'string' && item.trim() !== '')
    .map((item) => item.trim())
    .slice(0, 50);
}

/** /console/t/:tenant/groups/tab — the Groups tab: name, members as initials, shared numbers; search and number filter. */
export function groupTab(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    app.get('/t/:tenant/groups/tab', { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const query = request.query as { q?: unknown; number?: unknown; page?: unknown };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const numbers = many(query.number);
      const page = Math.max(
        1,
        Math.min(100000, Number.parseInt(typeof query.page === 'string' ? query.page : '1', 10) || 1),
      );
      const { rows, total } = await groupTabPage(em(), tenant, {
        q,
        number: numbers.length ? numbers : undefined,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      return reply.view('groups/views/tab', {
        ...pageContext(request, reply, { tenant, active: 'groups', title: 'Groups' }),
        rows,
        total,
        page,
        pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
        q: q ?? '',
        numbers,
        choices: await sharedNumberChoices(em(), tenant),
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
      });
    });
  };
}
