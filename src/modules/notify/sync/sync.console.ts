import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { requireTenantRole, tenantOf } from '../../auth/guards.js';
import { pageContext } from '../../console/page-context.js';
import type { Tenant } from '../../../model/directory/tenant.entity.js';
import type { SyncState } from './device-sync.entity.js';
import { syncSummary } from './sync.queries.js';
import type { SyncSummaryViewType } from './sync.schemas.js';

/** The summary's counts in the order shown, each with the sync state the Devices list filters by (`syncState`). */
const ROWS: [keyof SyncSummaryViewType, SyncState, string][] = [
  ['inSync', 'in-sync', 'In sync'],
  ['pending', 'pending', 'Pending'],
  ['notified', 'notified', 'Notified'],
  ['stale', 'stale', 'Stale'],
  ['neverSeen', 'never-seen', 'Never fetched'],
];

/** /console/t/:tenant/sync — the fleet summary of the REST sync API; viewers read, as there. */
export function syncConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const knex = () => (deps.orm.em as EntityManager).getKnex();
    const base = '/t/:tenant/sync';

    async function summaryData(tenant: Tenant) {
      const summary = await syncSummary(knex(), tenant.id);
      const slug = encodeURIComponent(tenant.slug);
      return {
        rows: ROWS.map(([key, state, label]) => ({
          label,
          state,
          count: summary[key],
          href: `/console/t/${slug}/devices?syncState=${state}`,
        })),
        total: summary.total,
        summaryHref: `/console/t/${slug}/sync/summary`,
        devicesHref: `/console/t/${slug}/devices`,
      };
    }

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request: FastifyRequest, reply: FastifyReply) => {
      const tenant = tenantOf(request);
      return reply.view('notify/sync/views/sync', {
        ...pageContext(request, reply, { tenant, active: 'sync', title: 'Sync' }),
        summary: await summaryData(tenant),
      });
    });

    // The fragment htmx polls (hx-trigger="every 5s"), replacing itself in place.
    app.get(`${base}/summary`, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      reply.view('notify/sync/views/summary', { summary: await summaryData(tenantOf(request)) }),
    );
  };
}
