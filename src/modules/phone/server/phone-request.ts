import type { FastifyRequest } from 'fastify';
import { resolveClientIp } from '../client-ip.js';
import { isTlsSocket, verifiedClientMac } from './client-cert.js';

/** What the handlers read from a request, taken once from the framework's request object. */
export interface PhoneRequest {
  head: boolean;
  method: 'GET' | 'HEAD';
  /** Request target as sent: path and query (Digest binds to it). */
  url: string;
  query: Record<string, unknown>;
  ip: string | undefined;
  userAgent: string | undefined;
  authorization: string | undefined;
  ifNoneMatch: string | undefined;
  acceptEncoding: string | undefined;
  overTls: boolean;
  /** MAC of a client certificate verified on this connection (read on demand). */
  certificateMac(): string | undefined;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function phoneRequest(request: FastifyRequest, trustedProxyCount: number): PhoneRequest {
  const socket = request.raw.socket;
  const headers = request.headers;
  const head = request.method === 'HEAD';
  return {
    head,
    method: head ? 'HEAD' : 'GET',
    url: request.raw.url ?? '',
    query: (request.query ?? {}) as Record<string, unknown>,
    ip: resolveClientIp(socket?.remoteAddress, headers['x-forwarded-for'], trustedProxyCount),
    userAgent: header(headers['user-agent']),
    authorization: header(headers.authorization),
    ifNoneMatch: header(headers['if-none-match']),
    acceptEncoding: header(headers['accept-encoding']),
    overTls: isTlsSocket(socket),
    certificateMac: () => verifiedClientMac(socket),
  };
}

/** One query value as text (the first when repeated), cut to `max` characters. */
export function queryValue(query: Record<string, unknown>, name: string, max = 200): string | undefined {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value.slice(0, max) : undefined;
}
