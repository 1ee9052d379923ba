import type { FastifyReply } from 'fastify';
import type { DeviceCredentials } from '../phone/server/device-cache.js';
import { credentialsOf, denialOf, mayBeStale } from '../phone/server/device-files.js';
import type { PhoneRequest } from '../phone/server/phone-request.js';
import type { PhoneServer } from '../phone/server/phone-server.js';
import { sendForbidden, sendUnauthorized } from '../phone/server/respond.js';

/**
 * Authenticates an app request as the device its path names, exactly like a device-file fetch
 * (device-files.ts): the same denials, the same Digest (or client certificate, or Basic over TLS)
 * check against that device's secret only, the same re-read of data the API committed a moment
 * ago, the same 401 challenge and ban counting for every failure. Not the hot path: always async.
 */
export async function authenticatedDevice(
  server: PhoneServer,
  request: PhoneRequest,
  file: { mac: string; tenantPrefix?: string },
  reply: FastifyReply,
): Promise<DeviceCredentials | FastifyReply> {
  await server.tenants.ready();
  let found = await server.devices.get(file.mac);
  for (let attempt = 0; ; attempt++) {
    const denial = denialOf(server, found, file.tenantPrefix, request.ip);
    const device = denial === undefined ? found : undefined;
    const outcome = await server.auth.authenticate(credentialsOf(request), file.mac, device);
    if (outcome.ok && device) return device;
    if (attempt === 0 && mayBeStale(outcome)) {
      server.devices.dropMacs([file.mac]);
      await server.tenants.refresh();
      found = await server.devices.get(file.mac);
      continue;
    }
    const counted = await server.banGuard.recordSensitive(request.ip);
    if (!outcome.ok && outcome.presented && !(outcome.stale && denial === undefined))
      server.banGuard.authFailure(request.ip, denial ?? outcome.reason, file.mac);
    if (counted.banned) return sendForbidden(reply);
    return sendUnauthorized(reply, server.auth.challenge(request.overTls, !outcome.ok && outcome.stale));
  }
}
