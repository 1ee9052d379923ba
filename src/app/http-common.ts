import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';

/** Counts every answered request by route pattern (never the raw URL, which holds MACs). */
export function instrumentRequests(app: FastifyInstance, metrics: Metrics, server: string): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ server, route, status: `${Math.floor(reply.statusCode / 100)}xx` });
    metrics.httpDuration.observe({ server }, reply.elapsedTime / 1000);
  });
}

export function metricsRoute(metrics: Metrics, text: () => Promise<string> = () => metrics.registry.metrics()) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const body = await text();
      return reply.header('content-type', metrics.registry.contentType).send(body);
    });
  };
}

/**
 * Request validation: unknown fields are rejected (not silently dropped) so a typo in a client
 * never looks like success; query strings may repeat a key to form an array.
 */
export const STRICT_AJV = {
  customOptions: { removeAdditional: false as const, coerceTypes: 'array' as const, allErrors: false },
};
