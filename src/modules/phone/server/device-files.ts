import type { FastifyReply } from 'fastify';
import type { UserAgentInfo } from '../user-agent.js';
import { etagOf, gzipEtagOf } from './artifact-cache.js';
import type { AuthOutcome } from './device-auth.js';
import type { DeviceCredentials } from './device-cache.js';
import type { PhoneRequest } from './phone-request.js';
import type { PhoneServer } from './phone-server.js';
import {
  acceptsGzip,
  etagMatches,
  sendBytes,
  sendForbidden,
  sendNotFound,
  sendUnauthorized,
  writeBytes,
} from './respond.js';
import { safeError } from './safe-error.js';
import { deviceFileServePath } from './shared-device-files.js';

export interface DeviceFileRequest {
  mac: string;
  name: string;
  tenantPrefix?: string;
}

/**
 * Why a device must not be served, before credentials are even looked at; undefined when it
 * may be (then its secret decides). Only ever logged, never answered.
 */
export function denialOf(
  server: PhoneServer,
  device: DeviceCredentials | undefined,
  tenantPrefix: string | undefined,
  ip: string | undefined,
): string | undefined {
  if (!device) return 'unknown_device';
  if (device.status !== 'active') return `device_${device.status}`;
  if (tenantPrefix !== undefined && server.tenants.bySlug(tenantPrefix)?.id !== device.tenantId)
    return 'tenant_mismatch';
  const tenant = server.tenants.byId(device.tenantId);
  if (!tenant) return 'unknown_tenant';
  if (!tenant.allow.allows(ip)) return 'ip_not_allowed';
  return undefined;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * A per-device file: authenticate against the PATH device, then serve `<mac>/<name lowercased>`
 * (or the shared file the name stands for, see shared-device-files.ts) from the artifact cache. Every failure — unknown MAC, pending or disabled device, other
 * tenant, source outside the tenant's allow-list, missing or wrong credentials — gets the same
 * 401 with a fresh challenge, and counts as a sensitive request for the ban guard.
 *
 * Synchronous end to end when everything is in memory (device and file cached, a nonce this
 * process owns): no promise, no I/O. Anything else continues asynchronously on the same steps.
 */
export function serveDeviceFile(
  server: PhoneServer,
  request: PhoneRequest,
  file: DeviceFileRequest,
  reply: FastifyReply,
): MaybePromise<FastifyReply> {
  const userAgent = server.userAgents.parse(request.userAgent);
  if (userAgent.mac !== undefined && userAgent.mac !== file.mac) {
    server.logger.info(
      { pathMac: file.mac, userAgentMac: userAgent.mac },
      'User-Agent names another MAC than the path; the path decides',
    );
  }
  const cached = server.tenants.loaded ? server.devices.peek(file.mac) : undefined;
  if (cached) return authenticateAndServe(server, request, file, reply, cached, userAgent);
  return (async () => {
    await server.tenants.ready();
    const found = await server.devices.get(file.mac);
    return authenticateAndServe(server, request, file, reply, found, userAgent);
  })();
}

function authenticateAndServe(
  server: PhoneServer,
  request: PhoneRequest,
  file: DeviceFileRequest,
  reply: FastifyReply,
  found: DeviceCredentials | undefined,
  userAgent: UserAgentInfo,
  mayReread = true,
): MaybePromise<FastifyReply> {
  const denial = denialOf(server, found, file.tenantPrefix, request.ip);
  const device = denial === undefined ? found : undefined;
  const outcome = server.auth.authenticate(credentialsOf(request), file.mac, device);
  const next = (settled: AuthOutcome): MaybePromise<FastifyReply> => {
    if (settled.ok && device) return serveAuthenticated(server, request, file, reply, device, userAgent);
    if (mayReread && mayBeStale(settled)) return rereadAndServe(server, request, file, reply, userAgent);
    return refuse(server, request, file, reply, found, denial, settled, userAgent);
  };
  return outcome instanceof Promise ? outcome.then(next) : next(outcome);
}

/**
 * Credentials that did not match what this process holds may match the database: a tenant,
 * device, activation or secret the API committed a moment ago, before its hint or the reconcile
 * reached this process. Such a refusal reads both again before it is answered, so new data is
 * usable as soon as the API answered. Only presented, well-formed credentials get the read (a
 * failed response hash consumes no nonce count, so the retry is the same check), and each one
 * counts toward a ban if it still fails.
 */
/** What the device authenticator reads of a request: one place for device files and the phone app. */
export function credentialsOf(request: PhoneRequest) {
  return {
    method: request.method,
    uri: request.url,
    authorization: request.authorization,
    overTls: request.overTls,
    certificateMac: request.overTls ? request.certificateMac() : undefined,
  };
}

export function mayBeStale(outcome: AuthOutcome): boolean {
  if (outcome.ok || !outcome.presented || outcome.stale) return false;
  return (
    outcome.reason === 'unknown_user' ||
    outcome.reason === 'bad_response' ||
    outcome.reason === 'basic_bad_password' ||
    outcome.reason === 'basic_unknown_user'
  );
}

async function rereadAndServe(
  server: PhoneServer,
  request: PhoneRequest,
  file: DeviceFileRequest,
  reply: FastifyReply,
  userAgent: UserAgentInfo,
): Promise<FastifyReply> {
  server.devices.dropMacs([file.mac]);
  await server.tenants.refresh();
  const found = await server.devices.get(file.mac);
  return authenticateAndServe(server, request, file, reply, found, userAgent, false);
}

async function refuse(
  server: PhoneServer,
  request: PhoneRequest,
  file: DeviceFileRequest,
  reply: FastifyReply,
  found: DeviceCredentials | undefined,
  denial: string | undefined,
  outcome: AuthOutcome,
  userAgent: UserAgentInfo,
): Promise<FastifyReply> {
  const counted = await server.banGuard.recordSensitive(request.ip);
  // A stale nonce with the right answer is routine (the phone retries with the fresh one): no ban-tool line.
  if (!outcome.ok && outcome.presented && !(outcome.stale && denial === undefined))
    server.banGuard.authFailure(request.ip, denial ?? outcome.reason, file.mac);
  if (!found) enrolInBackground(server, file, userAgent);
  if (counted.banned) return sendForbidden(reply);
  return sendUnauthorized(reply, server.auth.challenge(request.overTls, !outcome.ok && outcome.stale));
}

function serveAuthenticated(
  server: PhoneServer,
  request: PhoneRequest,
  file: DeviceFileRequest,
  reply: FastifyReply,
  device: DeviceCredentials,
  userAgent: UserAgentInfo,
): MaybePromise<FastifyReply> {
  // denialOf found the tenant; it can only have gone since in a reload that deleted it.
  const tenant = server.tenants.byId(device.tenantId);
  if (!tenant) return sendNotFound(reply);
  const { servePath, shared } = deviceFileServePath(device, tenant, file.name);
  // Shared files (a phonebook) are not part of the device's sync state: only its own files are recorded.
  const recordFetch = (sha256: string) => {
    if (!shared) record(server, request, device, file, servePath, sha256, userAgent);
  };
  const artifact = server.artifacts.peek(servePath);
  if (artifact) {
    recordFetch(artifact.sha256);
    // Counted (and logged) by the onResponse hooks: fastify runs them for a hijacked reply too.
    writeBytes(reply, artifact, request);
    return reply;
  }
  return (async () => {
    if (request.ifNoneMatch) {
      // A phone re-checking an unchanged file: answer from the hash alone, without reading the bytes.
      // Which encoding it would get is known without the bytes only when it holds the gzip ETag
      // and accepts gzip (a gzip form existed for these bytes), or does not accept gzip at all.
      const sha256 = await server.artifacts.currentSha256(servePath);
      const gzip = acceptsGzip(request.acceptEncoding);
      const etag = sha256 === undefined ? undefined : gzip ? gzipEtagOf(sha256) : etagOf(sha256);
      if (sha256 !== undefined && etag !== undefined && etagMatches(request.ifNoneMatch, etag)) {
        recordFetch(sha256);
        return reply
          .code(304)
          .header('etag', etag)
          .header('cache-control', 'no-cache')
          .header('vary', 'Accept-Encoding')
          .send();
      }
    }
    const loaded = await server.artifacts.get(servePath);
    if (!loaded) return sendNotFound(reply);
    recordFetch(loaded.sha256);
    return sendBytes(reply, loaded, request);
  })();
}

function record(
  server: PhoneServer,
  request: PhoneRequest,
  device: DeviceCredentials,
  file: DeviceFileRequest,
  servePath: string,
  sha256: string,
  userAgent: UserAgentInfo,
): void {
  server.recorder.record({
    deviceId: device.id,
    tenantId: device.tenantId,
    servePath,
    file: file.name,
    sha256,
    at: new Date(),
    ip: request.ip ?? '',
    userAgent: request.userAgent,
    firmware: userAgent.firmware,
    model: userAgent.model,
  });
}

function enrolInBackground(server: PhoneServer, file: DeviceFileRequest, userAgent: UserAgentInfo): void {
  if (!server.enroller.enabled || file.tenantPrefix === undefined || !userAgent.vendor) return;
  const tenant = server.tenants.bySlug(file.tenantPrefix);
  if (!tenant) return;
  void server.enroller
    .enrol(tenant, file.mac, userAgent)
    .then((outcome) => {
      if (outcome === 'created') server.devices.dropMacs([file.mac]);
    })
    .catch((error: Error) => server.logger.warn({ err: safeError(error) }, 'auto-enrolment failed'));
}
