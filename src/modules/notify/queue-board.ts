import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Deps } from '../../deps/deps.js';
import { ForbiddenError } from '../../errors/errors.js';
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
    app.addHook('onRequest', async (request) => {
      const principal = await authenticate(deps.orm.em as EntityManager, request.headers.authorization);
      if (principal.role !== 'platform') throw new ForbiddenError('platform_only', 'the queue dashboard needs the platform token');
    });
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({ queues: deps.queues.all().map((queue) => new BullMQAdapter(queue)), serverAdapter, options: { uiConfig: { boardTitle: 'provd queues' } } });
    await app.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  };
}
