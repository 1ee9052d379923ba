import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../../http/api-schemas.js';
import { NotFoundError } from '../../../errors/errors.js';
import { requireTenantRole, tenantOf } from '../../auth/guards.js';
import { deviceSyncRow } from './sync-state.sql.js';
import { deviceSyncView, listDeviceSync, syncSummary } from './sync.queries.js';
import { DeviceSyncList, DeviceSyncQuery, DeviceSyncView, SyncSummaryView } from './sync.schemas.js';

/** Sync state: what each device should have (rendered) against what it fetched, and the notify lifecycle. Viewers read. */
export function syncRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const knex = () => (deps.orm.em as EntityManager).getKnex();
    const tags = ['sync'];
    const read = requireTenantRole('viewer');

    app.get(
      '/tenants/:tenant/devices/sync',
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: DeviceSyncQuery,
          response: { 200: DeviceSyncList, ...ERROR_RESPONSES },
        },
      },
      async (request) => listDeviceSync(knex(), tenantOf(request).id, request.query),
    );

    app.get(
      '/tenants/:tenant/sync/summary',
      {
        preHandler: read,
        schema: { tags, params: TenantParams, response: { 200: SyncSummaryView, ...ERROR_RESPONSES } },
      },
      async (request) => syncSummary(knex(), tenantOf(request).id),
    );

    app.get(
      '/tenants/:tenant/devices/:id/sync',
      {
        preHandler: read,
        schema: { tags, params: TenantIdParams, response: { 200: DeviceSyncView, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const row = await deviceSyncRow(knex(), request.params.id);
        if (!row || row.tenant_id !== tenantOf(request).id) throw new NotFoundError('device');
        return deviceSyncView(row);
      },
    );
  };
}
