import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { publicPhoneUrl } from '../../config/config.js';
import { ERROR_RESPONSES, TenantIdParams, TenantParams } from '../../http/api-schemas.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { effectiveSettings } from '../settings/effective-settings.js';
import { platformDefaults } from '../settings/platform-defaults.js';
import { revealsSecrets } from '../settings/secret-visibility.js';
import { maskEffectiveSettings } from '../settings/settings.checks.js';
import { loadDeviceSettingsSources } from '../settings/settings-sources.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { deviceView, deviceViews } from './device.view.js';
import { Device } from '../../model/directory/device.entity.js';
import {
  CreateDeviceBody,
  CreatedDeviceView,
  DeviceList,
  DeviceListQuery,
  DeviceSecretView,
  DeviceSettingsView,
  DeviceView,
  ReplaceLinesBody,
  UpdateDeviceBody,
} from './devices.schemas.js';
import { listDevices } from './device-list.js';
import { createDevice, deleteDevice, replaceDeviceLines, rotateDeviceSecret, updateDevice } from './devices.service.js';

/** /api/v1/tenants/:tenant/devices — viewers read, admins write. The secret is shown on create and rotate only. */
export function devicesRoutes(deps: Pick<Deps, 'orm' | 'config'>) {
  return async function register(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<TypeBoxTypeProvider>();
    const em = () => deps.orm.em as EntityManager;
    const tags = ['devices'];
    const read = requireTenantRole('viewer');
    const write = requireTenantRole('admin');
    const base = '/tenants/:tenant/devices';
    const view = (request: FastifyRequest, device: Device) => deviceView(em(), device, revealsSecrets(request));

    app.post(
      base,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantParams,
          body: CreateDeviceBody,
          response: { 201: CreatedDeviceView, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const { device, secret } = await createDevice(em(), tenantOf(request), request.body);
        return reply.status(201).send({ ...(await view(request, device)), provisioningSecret: secret });
      },
    );

    app.get(
      base,
      {
        preHandler: read,
        schema: {
          tags,
          params: TenantParams,
          querystring: DeviceListQuery,
          response: { 200: DeviceList, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        // The REST list counts every match (no cap), so `more` is always false: not part of its answer.
        const { more: _more, ...page } = await listDevices(em(), tenantOf(request), request.query);
        return { ...page, items: await deviceViews(em(), page.items, revealsSecrets(request)) };
      },
    );

    app.get(
      `${base}/:id`,
      {
        preHandler: read,
        schema: { tags, params: TenantIdParams, response: { 200: DeviceView, ...ERROR_RESPONSES } },
      },
      async (request) =>
        view(request, await findInTenant(em(), Device, tenantOf(request), request.params.id, 'device')),
    );

    app.patch(
      `${base}/:id`,
      {
        preHandler: write,
        schema: {
          tags,
          params: TenantIdParams,
          body: UpdateDeviceBody,
          response: { 200: DeviceView, ...ERROR_RESPONSES },
        },
      },
      async (request) => view(request, await updateDevice(em(), tenantOf(request), request.params.id, request.body)),
    );

    app.put(
      `${base}/:id/lines`,
      {
        preHandler: write,
        schema: {
          tags,
          description: 'Replaces the whole line set.',
          params: TenantIdParams,
          body: ReplaceLinesBody,
          response: { 200: DeviceView, ...ERROR_RESPONSES },
        },
      },
      async (request) =>
        view(request, await replaceDeviceLines(em(), tenantOf(request), request.params.id, request.body.lines)),
    );

    app.post(
      `${base}/:id/secret/rotate`,
      {
        preHandler: write,
        schema: {
          tags,
          description: 'Generates a new provisioning secret and shows it once.',
          params: TenantIdParams,
          response: { 200: DeviceSecretView, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { device, secret } = await rotateDeviceSecret(em(), tenantOf(request), request.params.id);
        return { id: device.id, provisioningSecret: secret };
      },
    );

    app.get(
      `${base}/:id/settings`,
      {
        preHandler: read,
        schema: { tags, params: TenantIdParams, response: { 200: DeviceSettingsView, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const device = await findInTenant(em(), Device, tenantOf(request), request.params.id, 'device');
        const sources = await loadDeviceSettingsSources(em(), device, platformDefaults(publicPhoneUrl(deps.config)));
        const effective = effectiveSettings(sources);
        const shown = revealsSecrets(request) ? effective : maskEffectiveSettings(effective);
        return { deviceId: device.id, ...shown };
      },
    );

    app.delete(
      `${base}/:id`,
      {
        preHandler: write,
        schema: { tags, params: TenantIdParams, response: { 204: Type.Null(), ...ERROR_RESPONSES } },
      },
      async (request, reply) => {
        await deleteDevice(em(), tenantOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
