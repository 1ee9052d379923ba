import type { ServerOptions as HttpsOptions } from 'node:https';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { PhoneServer } from '../modules/phone/server/phone-server.js';
import { registerPhoneRoutes } from '../modules/phone/server/phone-routes.js';
import { sendBadRequest } from '../modules/phone/server/respond.js';
import type { Deps } from './deps.js';
import { instrumentRequests } from './http-common.js';

export interface PhoneAppOptions {
  /**
   * The serving state (caches, bans, auth, fetch recording), shared by the HTTP and the HTTPS
   * listener. The entry point creates it, starts it and stops it on shutdown; without one the app
   * makes its own, unstarted (caches still load on demand), and stops it when the app closes.
   */
  server?: PhoneServer;
  /** Makes this listener HTTPS (client certificates, Basic over TLS). */
  https?: HttpsOptions;
}

/**
 * The phone app's logger. Fastify asks it for a child per request (a request-id binding); a pino
 * child costs more than the rest of a cached fetch, and per-request lines are off here anyway
 * (auth failures and bans write their own), so `child` hands back the same logger.
 */
function requestLogger(deps: Deps): FastifyBaseLogger {
  const logger = deps.logger.child(
    { server: 'phone' },
    { level: deps.config.logLevel === 'silent' ? 'silent' : 'warn' },
  );
  const shared: FastifyBaseLogger = Object.create(logger, { child: { value: () => shared } });
  return shared;
}

/**
 * Builds the phone-facing server: its own port, no admin routes, no ORM on the hot path. No
 * side effects: listening and starting the PhoneServer are the entry point's.
 */
export async function buildPhoneApp(deps: Deps, options: PhoneAppOptions = {}): Promise<FastifyInstance> {
  const server = options.server ?? new PhoneServer(deps);
  const app = Fastify({
    // Per-request logging off on the hot path: auth failures and bans write their own lines.
    // (through logController: the top-level disableRequestLogging is deprecated, FSTDEP023).
    loggerInstance: requestLogger(deps),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    https: options.https ?? null,
    // Long enough for parseRequestedPath to see (and refuse) overlong paths itself.
    routerOptions: { maxParamLength: 4096 },
    // Malformed requests (bad URL escapes, oversized headers) get a bare 400, echoing nothing.
    frameworkErrors: (_error, _request, reply) => void sendBadRequest(reply),
    clientErrorHandler: (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    },
  }) as unknown as FastifyInstance;
  instrumentRequests(app, deps.metrics, 'phone');
  app.get('/healthz', async () => ({ status: 'ok' }));
  registerPhoneRoutes(app, server);
  if (!options.server) app.addHook('onClose', async () => server.stop());
  return app;
}
