import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../errors/errors.js';
import { toErrorResponse } from '../../../errors/error-handler.js';
import { parseRequestedPath, type RequestedFile } from '../requested-file.js';
import { serveDeviceFile } from './device-files.js';
import { servePhonebook } from './phonebook-files.js';
import { phoneRequest } from './phone-request.js';
import type { PhoneServer } from './phone-server.js';
import { serveCommonFile, serveFirmware } from './public-files.js';
import { sendBadRequest, sendForbidden, sendNotFound, sendUnavailable } from './respond.js';
import { safeError } from './safe-error.js';
import { servePhoneApp } from '../../phone-app/phone-app.js';

/** Phones fetch the same few paths again and again; parseRequestedPath is pure, so remember device-file answers. */
const classified = new Map<string, RequestedFile>();

function classify(url: string): RequestedFile {
  const known = classified.get(url);
  if (known) return known;
  const file = parseRequestedPath(url);
  if (file.kind !== 'device') return file;
  if (classified.size >= 10_000) classified.clear();
  classified.set(url, Object.freeze(file));
  return file;
}

/**
 * Every phone path, GET and HEAD. A banned source is refused before anything else; the path is
 * classified once (parseRequestedPath) and problems with it are 400 or 404, never a 5xx.
 * Returns a promise only when the answer needs I/O: a device file served from memory is answered
 * synchronously (the hot path of every phone's periodic fetch).
 */
export function handlePhoneRequest(
  server: PhoneServer,
  raw: FastifyRequest,
  reply: FastifyReply,
): FastifyReply | Promise<FastifyReply> {
  const request = phoneRequest(raw, server.trustedProxyCount);
  if (server.banGuard.isBanned(request.ip)) return sendForbidden(reply);
  const file = classify(request.url);
  try {
    let answer: FastifyReply | Promise<FastifyReply>;
    switch (file.kind) {
      case 'invalid':
        return sendBadRequest(reply);
      case 'unknown':
        return sendNotFound(reply);
      case 'device':
        answer = serveDeviceFile(server, request, file, reply);
        break;
      case 'common':
        answer = serveCommonFile(server, request, file.name, file.tenantPrefix, reply);
        break;
      case 'phonebook':
        answer = servePhonebook(server, request, file, reply);
        break;
      case 'firmware':
        answer = serveFirmware(server, request, file.name, reply);
        break;
      case 'app':
        answer = servePhoneApp(server, request, file, reply);
        break;
    }
    return answer instanceof Promise
      ? answer.catch((error: unknown) => failed(server, file.kind, error, reply))
      : answer;
  } catch (error) {
    return failed(server, file.kind, error, reply);
  }
}

function failed(server: PhoneServer, kind: string, error: unknown, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError && error.statusCode < 500)
    return error.statusCode === 404 ? sendNotFound(reply) : sendBadRequest(reply);
  // The message only: never the URL (phonebook tokens) or request headers.
  server.logger.error({ err: safeError(error), kind }, 'phone request failed');
  if (toErrorResponse(error).statusCode === 503) return sendUnavailable(reply);
  return reply.code(500).header('content-type', 'text/plain; charset=utf-8').send('Internal Server Error\n');
}

export function registerPhoneRoutes(app: FastifyInstance, server: PhoneServer): void {
  // Every answer, the hijacked hot path (writeBytes) included: fastify runs onResponse for it too.
  app.addHook('onResponse', (raw, reply, done) => {
    if (raw.routeOptions.url === '/*') {
      const request = phoneRequest(raw, server.trustedProxyCount);
      server.outcomes.answered(classify(request.url), reply.statusCode, request);
    }
    done();
  });
  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    // A synchronous answer is already sent: return nothing, so fastify has nothing left to do.
    handler: (request, reply) => {
      const answer = handlePhoneRequest(server, request, reply);
      return answer instanceof Promise ? answer : undefined;
    },
  });
  app.setNotFoundHandler((_request, reply) => sendNotFound(reply));
  app.setErrorHandler((error, _request, reply) => {
    const { statusCode } = toErrorResponse(error);
    if (statusCode < 500) return statusCode === 404 ? sendNotFound(reply) : sendBadRequest(reply);
    server.logger.error({ err: safeError(error) }, 'phone request failed');
    return statusCode === 503
      ? sendUnavailable(reply)
      : reply.code(500).header('content-type', 'text/plain; charset=utf-8').send('Internal Server Error\n');
  });
}
