import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { ERROR_RESPONSES, TenantParams } from '../../http/api-schemas.js';
import { PayloadTooLargeError } from '../../errors/errors.js';
import { tenantOf } from '../auth/guards.js';
import { sendContactsExport } from './contact-export-reply.js';
import { requireContactPermission } from './contact-permissions.service.js';
import { ExportQuery, ImportParams, ImportQuery, ImportView } from './contacts-io.schemas.js';
import { getImport, startImport } from './imports.service.js';

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

    app.post(
      `${base}/import`,
      {
        preHandler: requireContactPermission('import'),
        schema: {
          tags,
          summary: 'Import contacts from the raw CSV or vCard request body',
          params: TenantParams,
          querystring: ImportQuery,
          response: { 200: ImportView, 202: ImportView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        try {
          const { queued, view } = await startImport(deps, em(), {
            tenant: tenantOf(request),
            query: request.query,
            body: request.body as Readable | undefined,
            contentLength: request.headers['content-length'],
            contentType: request.headers['content-type'],
          });
          if (!queued) return reply.status(200).send(view);
          return reply
            .status(202)
            .header('location', `/api/v1/tenants/${request.params.tenant}/contacts/imports/${view.id}`)
            .send(view);
        } catch (error) {
          // The rest of an oversized upload is not read: close the connection after the answer.
          if (error instanceof PayloadTooLargeError) void reply.header('connection', 'close');
          throw error;
        }
      },
    );

    app.get(
      `${base}/imports/:id`,
      {
        preHandler: requireContactPermission('import'),
        schema: { tags, params: ImportParams, response: { 200: ImportView, ...ERROR_RESPONSES } },
      },
      async (request) => getImport(em(), tenantOf(request), request.params.id),
    );

    app.get(
      `${base}/export`,
      {
        preHandler: requireContactPermission('export'),
        schema: {
          tags,
          params: TenantParams,
          querystring: ExportQuery,
          produces: ['text/csv', 'text/vcard'],
          response: {
            200: Type.String({ description: 'The CSV or vCard file, streamed as an attachment.' }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) =>
        sendContactsExport(em(), reply, tenantOf(request), request.query.format, request.query.phonebook),
    );
  };
}
