import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerErrorHandler } from '../errors/error-handler.js';
import type { Deps } from './deps.js';
import { instrumentRequests } from './http-common.js';

/** Builds the phone-facing server: its own port, no admin routes, no ORM on the hot path. */
export async function buildPhoneApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    // Per-request logging off on the hot path: auth failures and bans write their own lines.
    loggerInstance: deps.logger.child({ server: 'phone' }, { level: deps.config.logLevel === 'silent' ? 'silent' : 'warn' }) as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 256 },
  });
  registerErrorHandler(app);
  instrumentRequests(app, deps.metrics, 'phone');
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}
