import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { UNIQUE_CONSTRAINT_CODES } from './unique-constraints.js';

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

function isInfrastructureDown(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (PG_UNAVAILABLE.has(code) || NET_UNAVAILABLE.has(code)) return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    // "Transaction query already complete": knex refuses the next query of a transaction whose
    // connection the database closed under it (a restart); it was rolled back, so a retry is right.
    // "not queryable": pg refuses a pooled client whose connection broke the same way.
    if (
      /Connection is closed|Stream isn't writeable|enableOfflineQueue|Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Transaction query already complete|connection error and is not queryable/i.test(
        message,
      )
    ) {
      return true;
    }
    current = candidate.cause;
  }
  return false;
}

/** Maps any thrown value to the HTTP status and body a client sees. Never exposes stacks or SQL. */
export function toErrorResponse(error: unknown): { statusCode: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const body: ErrorBody = { code: error.code, message: error.message };
    if (error.details !== undefined) body.details = error.details;
    return { statusCode: error.statusCode, body };
  }
  const fastifyError = error as FastifyError & { validation?: unknown[] };
  if (fastifyError?.validation) {
    return {
      statusCode: 400,
      body: { code: 'validation_failed', message: fastifyError.message, details: fastifyError.validation },
    };
  }
  const pgCode = (error as { code?: unknown })?.code;
  if (pgCode === '23505') {
    const known = UNIQUE_CONSTRAINT_CODES[String((error as { constraint?: unknown }).constraint)];
    return {
      statusCode: 409,
      body: known ? { ...known } : { code: 'conflict', message: 'a record with the same unique value already exists' },
    };
  }
  if (pgCode === '23503')
    return {
      statusCode: 409,
      body: { code: 'reference_conflict', message: 'the change conflicts with a referenced record' },
    };
  if (pgCode === '23514')
    return {
      statusCode: 409,
      body: { code: 'constraint_violation', message: 'the change would break a rule the database enforces' },
    };
  if (pgCode === '22P02' || pgCode === '22001')
    return { statusCode: 400, body: { code: 'invalid_value', message: 'a value has the wrong form or length' } };
  if (isInfrastructureDown(error)) {
    return {
      statusCode: 503,
      body: {
        code: 'service_unavailable',
        message: 'a backing service (database or queue) is unavailable; retry shortly',
      },
    };
  }
  if (fastifyError?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      statusCode: 415,
      body: {
        code: 'unsupported_media_type',
        message: 'this content type is not accepted here; JSON bodies need Content-Type: application/json',
      },
    };
  }
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code =
      status === 413
        ? 'payload_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status === 404
            ? 'not_found'
            : 'bad_request';
    return { statusCode: status, body: { code, message: fastifyError.message } };
  }
  return { statusCode: 500, body: { code: 'internal_error', message: 'internal error' } };
}

interface KnownRoute {
  pattern: RegExp;
  methods: string[];
}

/** A fastify route path (`/a/:id/b`, `*`) as an anchored regular expression. */
function routePattern(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * The one error handler: every route's failure passes through here. An unmatched request whose
 * path exists under other methods gets 405 with `Allow` (RFC 9110), not 404: the route table is
 * collected as routes are added (onRoute), so the answer always matches what is registered.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  const routes = new Map<string, KnownRoute>();
  app.addHook('onRoute', (route) => {
    const known = routes.get(route.url) ?? { pattern: routePattern(route.url), methods: [] };
    for (const method of [route.method].flat()) if (!known.methods.includes(method)) known.methods.push(method);
    routes.set(route.url, known);
  });
  const allowedMethods = (path: string): string[] => {
    const methods = new Set<string>();
    for (const route of routes.values())
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    return [...methods].sort();
  };
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { statusCode, body } = toErrorResponse(error);
    if (statusCode >= 500) request.log.error({ err: error, code: body.code }, 'request failed');
    else request.log.info({ code: body.code, statusCode }, 'request rejected');
    void reply.status(statusCode).send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    const allowed = allowedMethods(path);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const allow = allowed.join(', ');
      void reply
        .status(405)
        .header('allow', allow)
        .send({
          code: 'method_not_allowed',
          message: `${request.method} is not allowed on this path; allowed: ${allow}`,
        } satisfies ErrorBody);
      return;
    }
    void reply.status(404).send({
      code: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    } satisfies ErrorBody);
  });
}
