import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantParams } from '../../http/api-schemas.js';
import { PayloadTooLargeError } from '../../errors/errors.js';
import { tenantOf } from '../auth/guards.js';
import { Phonebook } from '../phonebooks/phonebook.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { contactsForExport } from './contact-export.js';
import { requireContactPermission } from './contact-permissions.service.js';
import { ExportQuery, ImportParams, ImportQuery, ImportView } from './contacts-io.schemas.js';
import { getImport, startImport } from './imports.service.js';
import { exportCsv } from './io/csv-export.js';
import { exportVcard } from './io/vcard-export.js';

const EXPORT_TYPES = { csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' }, vcard: { contentType: 'text/vcard; charset=utf-8', extension: 'vcf' } };

/**
 * /api/v1/tenants/:tenant/contacts/import, …/imports/:id and …/export. Own plugin scope: here
 * every request body, whatever its content type, reaches the import route as the raw stream
 * (no buffering, no body limit); the import counts and limits the bytes itself.
 */
export function contactsIoRoutes(deps: Pick<Deps, 'orm' | 'config' | 'queues'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['contacts'];
    const base = '/tenants/:tenant/contacts';

    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    app.post(`${base}/import`, {
      preHandler: requireContactPermission('import'),
      schema: {
        tags,
        summary: 'Import contacts from the raw CSV or vCard request body',
        params: TenantParams,
        querystring: ImportQuery,
        response: { 200: ImportView, 202: ImportView, ...ERROR_RESPONSES },
      },
    }, async (request, reply) => {
      try {
        const { queued, view } = await startImport(deps, em(), {
          tenant: tenantOf(request),
          query: request.query,
          body: request.body as Readable | undefined,
          contentLength: request.headers['content-length'],
          contentType: request.headers['content-type'],
        });
        if (!queued) return reply.status(200).send(view);
        return reply.status(202).header('location', `/api/v1/tenants/${request.params.tenant}/contacts/imports/${view.id}`).send(view);
      } catch (error) {
        // The rest of an oversized upload is not read: close the connection after the answer.
        if (error instanceof PayloadTooLargeError) void reply.header('connection', 'close');
        throw error;
      }
    });

    app.get(`${base}/imports/:id`, {
      preHandler: requireContactPermission('import'),
      schema: { tags, params: ImportParams, response: { 200: ImportView, ...ERROR_RESPONSES } },
    }, async (request) => getImport(em(), tenantOf(request), request.params.id));

    app.get(`${base}/export`, {
      preHandler: requireContactPermission('export'),
      schema: {
        tags,
        params: TenantParams,
        querystring: ExportQuery,
        produces: ['text/csv', 'text/vcard'],
        response: { 200: Type.String({ description: 'The CSV or vCard file, streamed as an attachment.' }), ...ERROR_RESPONSES },
      },
    }, async (request, reply) => {
      const tenant = tenantOf(request);
      const phonebook = request.query.phonebook ? await findInTenant(em(), Phonebook, tenant, request.query.phonebook, 'phonebook') : null;
      const contacts = contactsForExport(em().getKnex(), tenant.id, phonebook?.id ?? null);
      const type = EXPORT_TYPES[request.query.format];
      const stream = request.query.format === 'csv' ? exportCsv(contacts) : exportVcard(contacts);
      return reply
        .header('content-type', type.contentType)
        .header('content-disposition', `attachment; filename="contacts-${tenant.slug}.${type.extension}"`)
        .header('cache-control', 'no-store')
        // The 200 schema documents the file; the stream itself goes out unserialised.
        .send(stream as never);
    });
  };
}
