import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../../deps/deps.js';
import { ERROR_RESPONSES, TenantIdParams } from '../../../http/api-schemas.js';
import { publicPhoneUrl } from '../../../config/config.js';
import { requireTenantRole, tenantOf } from '../../auth/guards.js';
import { DeviceFileParams, DeviceFilesView } from './device-files.schemas.js';
import { listDeviceFiles, readDeviceFile } from './device-files.service.js';

/**
 * /api/v1/tenants/:tenant/devices/:id/files — what the phone server hands a device, from the
 * artifact store. Admins and owners only, listing included: device files carry SIP and admin
 * passwords, and even a file's hash would let a viewer test guesses of a weak admin password.
 */
export function deviceFilesRoutes(deps: Pick<Deps, 'orm' | 'config'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['devices'];
    const adminOnly = requireTenantRole('admin');
    const base = '/tenants/:tenant/devices/:id/files';

    app.get(
      base,
      {
        preHandler: adminOnly,
        schema: {
          tags,
          description:
            'The files the device is served (names, content types, hashes, sizes, generations) and the phonebook variants it points at, with render state.',
          params: TenantIdParams,
          response: { 200: DeviceFilesView, ...ERROR_RESPONSES },
        },
      },
      async (request) => listDeviceFiles(em(), tenantOf(request), request.params.id, publicPhoneUrl(deps.config)),
    );

    app.get(
      `${base}/:name`,
      {
        preHandler: adminOnly,
        schema: {
          tags,
          description: 'The stored bytes of one device file, exactly as the phone gets them (credentials included).',
          params: DeviceFileParams,
          produces: ['text/plain', 'text/xml'],
          response: {
            200: Type.String({ description: 'The file, with its stored content type.' }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const file = await readDeviceFile(em(), tenantOf(request), request.params.id, request.params.name);
        return (
          reply
            .header('content-type', file.contentType)
            .header('content-disposition', `inline; filename="${file.name}"`)
            .header('cache-control', 'no-store')
            .header('x-content-type-options', 'nosniff')
            .header('etag', `"${file.sha256}"`)
            .header('x-render-generation', file.generation)
            .header('x-carries-secrets', String(file.carriesSecrets))
            // The 200 schema documents the file; the bytes go out unserialised.
            .send(file.body as never)
        );
      },
    );
  };
}
