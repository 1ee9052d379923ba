import type { FastifyReply } from 'fastify';
import type { PhoneRequest } from './phone-request.js';
import type { PhoneServer } from './phone-server.js';
import { etagMatches, sendBytes, sendForbidden, sendNotFound, sendStream } from './respond.js';

/**
 * Common files (per model, no MAC, no secrets), rendered by the server from the requested name.
 * Under a tenant prefix the prefix must name a tenant (the files then point phones at it). A slug
 * this process does not know may be a tenant the API created a moment ago, before the reconcile
 * reached us: the tenant table is read again (raw SQL, one fingerprint query when nothing changed)
 * before the 404, and a prefix that is still unknown counts toward the ban guard, so slugs cannot
 * be probed at speed.
 */
export async function serveCommonFile(
  server: PhoneServer,
  request: PhoneRequest,
  name: string,
  tenantPrefix: string | undefined,
  reply: FastifyReply,
): Promise<FastifyReply> {
  if (tenantPrefix !== undefined) {
    await server.tenants.ready();
    if (!server.tenants.bySlug(tenantPrefix)) {
      await server.tenants.refresh();
      if (!server.tenants.bySlug(tenantPrefix)) {
        const counted = await server.banGuard.recordSensitive(request.ip);
        return counted.banned ? sendForbidden(reply) : sendNotFound(reply);
      }
    }
  }
  const bytes = await server.common.get(name, tenantPrefix);
  return bytes ? sendBytes(reply, bytes, request) : sendNotFound(reply);
}

/** Files from the configured firmware folder, streamed; nothing outside it. */
export async function serveFirmware(
  server: PhoneServer,
  request: PhoneRequest,
  name: string,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const file = await server.firmware.open(name);
  if (!file) return sendNotFound(reply);
  reply.header('etag', file.etag).header('cache-control', 'no-cache');
  if (etagMatches(request.ifNoneMatch, file.etag)) {
    file.stream.destroy();
    return reply.code(304).send();
  }
  return sendStream(reply, file.stream, file.size, request.head);
}
