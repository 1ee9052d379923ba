import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { ServedBytes } from './artifact-cache.js';

/**
 * Every answer the phone server gives. Error answers are fixed short texts: they never echo the
 * path (it may hold a phonebook token), a header, or anything else the client sent.
 */

export interface ResponseContext {
  head: boolean;
  ifNoneMatch: string | undefined;
  acceptEncoding: string | undefined;
}

/** `If-None-Match` lists (weak or strong, `*`) against one strong ETag. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.length > 4096) return false;
  for (const raw of ifNoneMatch.split(',')) {
    const candidate = raw.trim();
    if (candidate === '*' || candidate === etag || candidate === `W/${etag}`) return true;
  }
  return false;
}

/** Phones send one Accept-Encoding spelling per firmware: answers remembered per string. */
const gzipAnswers = new Map<string, boolean>();

/** True unless gzip is absent or refused with q=0. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding || acceptEncoding.length > 1024) return false;
  const known = gzipAnswers.get(acceptEncoding);
  if (known !== undefined) return known;
  const answer = parseAcceptsGzip(acceptEncoding);
  if (gzipAnswers.size >= 1000) gzipAnswers.clear();
  gzipAnswers.set(acceptEncoding, answer);
  return answer;
}

function parseAcceptsGzip(acceptEncoding: string): boolean {
  for (const raw of acceptEncoding.split(',')) {
    const [coding, ...params] = raw.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip') continue;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** The representation chosen for a request: gzip when kept and accepted, with its own ETag. */
function variantOf(bytes: ServedBytes, context: ResponseContext): { body: Buffer; etag: string; gzip: boolean } {
  if (bytes.gzip !== undefined && acceptsGzip(context.acceptEncoding))
    return { body: bytes.gzip, etag: bytes.gzipEtag!, gzip: true };
  return { body: bytes.body, etag: bytes.etag, gzip: false };
}

export function sendBytes(reply: FastifyReply, bytes: ServedBytes, context: ResponseContext): FastifyReply {
  // If-None-Match is compared with the ETag of the representation this request would get.
  const variant = variantOf(bytes, context);
  reply.header('etag', variant.etag).header('cache-control', 'no-cache').header('content-type', bytes.contentType);
  if (bytes.gzip) reply.header('vary', 'Accept-Encoding');
  if (etagMatches(context.ifNoneMatch, variant.etag)) return reply.code(304).send();
  if (variant.gzip) reply.header('content-encoding', 'gzip');
  return sendBody(reply.code(200), variant.body, context.head);
}

/**
 * `sendBytes` for the hot path, straight onto the Node response: the same status, headers and
 * body, without fastify's reply pipeline (header map, onSend/onResponse hook runs), which costs
 * more than everything else a cached fetch does. The phone app registers no onSend hooks; its
 * onResponse hooks (metrics, fetch log) still run, on the response's finish. Returns the status sent.
 */
export function writeBytes(reply: FastifyReply, bytes: ServedBytes, context: ResponseContext): 200 | 304 {
  const variant = variantOf(bytes, context);
  const headers = ['etag', variant.etag, 'cache-control', 'no-cache', 'content-type', bytes.contentType];
  if (bytes.gzip) headers.push('vary', 'Accept-Encoding');
  reply.hijack();
  const response = reply.raw;
  if (etagMatches(context.ifNoneMatch, variant.etag)) {
    response.writeHead(304, headers);
    response.end();
    return 304;
  }
  const body = variant.body;
  if (variant.gzip) headers.push('content-encoding', 'gzip');
  headers.push('content-length', String(body.length));
  response.writeHead(200, headers);
  if (context.head) response.end();
  else response.end(body);
  return 200;
}

/** A computed answer (search results): never cached by the phone, no ETag. */
export function sendDynamic(reply: FastifyReply, body: Buffer, contentType: string, head: boolean): FastifyReply {
  reply.code(200).header('content-type', contentType).header('cache-control', 'no-store');
  return sendBody(reply, body, head);
}

export function sendStream(reply: FastifyReply, stream: Readable, size: number, head: boolean): FastifyReply {
  reply.code(200).header('content-type', 'application/octet-stream').header('content-length', String(size));
  if (head) {
    stream.destroy();
    return reply.send();
  }
  return reply.send(stream);
}

function sendBody(reply: FastifyReply, body: Buffer, head: boolean): FastifyReply {
  reply.header('content-length', String(body.length));
  return head ? reply.send() : reply.send(body);
}

const TEXT = 'text/plain; charset=utf-8';

export function sendUnauthorized(reply: FastifyReply, challenges: string[]): FastifyReply {
  return reply
    .code(401)
    .header('www-authenticate', challenges)
    .header('content-type', TEXT)
    .header('cache-control', 'no-store')
    .send('Unauthorized\n');
}

export function sendNotFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).header('content-type', TEXT).header('cache-control', 'no-store').send('Not Found\n');
}

export function sendBadRequest(reply: FastifyReply): FastifyReply {
  return reply.code(400).header('content-type', TEXT).header('cache-control', 'no-store').send('Bad Request\n');
}

export function sendForbidden(reply: FastifyReply): FastifyReply {
  return reply
    .code(403)
    .header('content-type', TEXT)
    .header('cache-control', 'no-store')
    .header('connection', 'close')
    .send('Forbidden\n');
}

export function sendUnavailable(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .header('content-type', TEXT)
    .header('cache-control', 'no-store')
    .header('retry-after', '5')
    .send('Service Unavailable\n');
}
