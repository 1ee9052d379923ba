import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../../errors/error-handler.js';

const CSRF_CODES = new Set(['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']);

/**
 * The console's face of the one error mapping (toErrorResponse): the same status and code, as an
 * HTML page. A failed CSRF check is a 403 `csrf_invalid`.
 */
export async function consoleErrorPage(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const code = (error as { code?: unknown })?.code;
  let statusCode: number;
  let body: { code: string; message: string };
  if (typeof code === 'string' && CSRF_CODES.has(code)) {
    statusCode = 403;
    body = {
      code: 'csrf_invalid',
      message: 'the form has expired or did not come from this console; reload the page and try again',
    };
  } else if ((error as { statusCode?: number; code?: string })?.code === 'not_found' && !(error instanceof Error)) {
    statusCode = 404;
    body = { code: 'not_found', message: 'page not found' };
  } else {
    ({ statusCode, body } = toErrorResponse(error));
  }
  if (statusCode >= 500) request.log.error({ err: error, code: body.code }, 'console request failed');
  else request.log.info({ code: body.code, statusCode }, 'console request rejected');
  reply.status(statusCode).header('x-error-code', body.code);
  return reply.view('console/views/error', {
    title: `Error ${statusCode}`,
    statusCode,
    code: body.code,
    message: body.message,
    user: null,
    active: '',
    tenantSlug: null,
    csrf: '',
  });
}
