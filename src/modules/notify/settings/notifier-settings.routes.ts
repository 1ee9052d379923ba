import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../../deps/deps.js';
import { ERROR_RESPONSES, TenantParams } from '../../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../../auth/guards.js';
import { NotifierSettingsBody, NotifierSettingsView } from './notifier-settings.schemas.js';
import { loadNotifierSettings, notifierSettingsView, putNotifierSettings } from './notifier-settings.service.js';

/** /api/v1/tenants/:tenant/notifier — how the tenant's phones are told to resync (admins and owners). */
export function notifierSettingsRoutes(deps: Pick<Deps, 'orm' | 'config'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['notify'];
    const guard = requireTenantRole('admin');
    const path = '/tenants/:tenant/notifier';

    app.get(
      path,
      {
        preHandler: guard,
        schema: { tags, params: TenantParams, response: { 200: NotifierSettingsView, ...ERROR_RESPONSES } },
      },
      async (request) =>
        notifierSettingsView(await loadNotifierSettings(em(), tenantOf(request)), deps.config.notifyRatePerSecond),
    );

    app.put(
      path,
      {
        preHandler: guard,
        schema: {
          tags,
          params: TenantParams,
          body: NotifierSettingsBody,
          response: { 200: NotifierSettingsView, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        notifierSettingsView(
          await putNotifierSettings(em(), tenantOf(request), request.body),
          deps.config.notifyRatePerSecond,
        ),
    );
  };
}
