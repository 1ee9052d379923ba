import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Deps } from '../../deps/deps.js';
import { ForbiddenError } from '../../errors/errors.js';
import { toErrorResponse } from '../../errors/error-handler.js';
import { authenticate } from '../auth/auth.plugin.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The bull-board dashboard for operators. It shows every tenant's jobs and can retry or remove
 * them, so only the platform token gets in: the bearer check runs as an onRequest hook of this
 * encapsulated scope, before any of the board's routes (pages, assets and its JSON API alike).
 * Job payloads are ids only, so the board shows no secrets.
 */
export function queueBoard(deps: Pick<Deps, 'orm' | 'queues'>) {
  return async function register(app: FastifyInstance): Promise<void> {
    // bull-board installs its own error handler inside its plugin, so the check answers here
    // with the API's error shape instead of throwing into it.
    app.addHook('onRequest', async (request, reply) => {
      try {
        const principal = await authenticate(deps.orm.em as EntityManager, request.headers.authorization);
        if (principal.role !== 'platform')
          throw new ForbiddenError('platform_only', 'the queue dashboard needs the platform token');
      } catch (error) {
        const { statusCode, body } = toErrorResponse(error);
        return reply.status(statusCode).send(body);
      }
    });
    // The board's own error answers ({ error, message } or its HTML) become { code, message } too.
    app.addHook('onSend', async (_request, reply, payload) => {
      if (reply.statusCode < 400 || isApiErrorBody(payload)) return payload;
      const status = reply.statusCode;
      const code = status === 404 ? 'not_found' : status >= 500 ? 'internal_error' : 'bad_request';
      const message =
        status === 404
          ? 'no such queue dashboard resource'
          : status >= 500
            ? 'internal error'
            : 'the queue dashboard refused the request';
      reply.header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify({ code, message });
    });
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: deps.queues.all().map((queue) => new BullMQAdapter(queue)),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'provd queues' } },
    });
    await app.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  };
}

function isApiErrorBody(payload: unknown): boolean {
  if (typeof payload !== 'string') return false;
  try {
    const body = JSON.parse(payload) as { code?: unknown; message?: unknown };
    return typeof body.code === 'string' && typeof body.message === 'string';
  } catch {
    return false;
  }
}
