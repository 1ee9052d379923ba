import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../../deps/deps.js';
import { ERROR_RESPONSES, TenantParams } from '../../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../../auth/guards.js';
import { DeviceImportBody, DeviceImportQuery, DeviceImportReport } from './device-import.schemas.js';
import { importDevices } from './device-import.service.js';

const CSV_BODY_LIMIT = 5 * 1024 * 1024;

/** POST /api/v1/tenants/:tenant/devices/import — a CSV body; admins only. */
export function deviceImportRoutes(deps: Pick<Deps, 'orm'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    // Scoped to this plugin: only the import route takes CSV bodies.
    app.addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    app.post(
      '/tenants/:tenant/devices/import',
      {
        preHandler: requireTenantRole('admin'),
        bodyLimit: CSV_BODY_LIMIT,
        schema: {
          tags: ['devices'],
          description:
            'Bulk device import from CSV (Content-Type: text/csv). Per-row errors carry the file line number; one bad row does not block the others unless ?atomic=true. ?dryRun=true writes nothing. Created rows show their provisioning secret once.',
          consumes: ['text/csv'],
          params: TenantParams,
          querystring: DeviceImportQuery,
          body: DeviceImportBody,
          response: { 200: DeviceImportReport, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        importDevices(deps.orm.em as EntityManager, tenantOf(request), request.body, {
          dryRun: request.query.dryRun === true,
          atomic: request.query.atomic === true,
        }),
    );
  };
}
