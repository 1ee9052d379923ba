import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface StatusServerOptions {
  /** Served on GET /metrics; without it /metrics is 404 (PROVD_METRICS=false). */
  registry?: Registry;
  /** GET /healthz: 200 when every check passes, 503 with the failing ones otherwise. */
  health: () => Promise<Record<string, 'ok' | string>>;
  host: string;
  port: number;
}

/**
 * The worker's status listener (the API process serves the same paths through fastify). Workers
 * have no HTTP server otherwise: this is the smallest thing that lets Prometheus scrape them and
 * a container healthcheck ask whether the process still reaches Postgres and Redis.
 */
export async function serveStatus(
  options: StatusServerOptions,
): Promise<{ server: Server; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    if (request.method !== 'GET') {
      response.writeHead(405, { allow: 'GET' }).end();
    } else if (path === '/metrics' && options.registry) {
      const registry = options.registry;
      registry.metrics().then(
        (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
        () => response.writeHead(500).end(),
      );
    } else if (path === '/healthz') {
      options.health().then(
        (checks) => {
          const ok = Object.values(checks).every((value) => value === 'ok');
          response
            .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', checks }));
        },
        () => response.writeHead(503).end(),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return { server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
