import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * GET /metrics for a worker process (the API process serves its own through fastify). Workers
 * have no HTTP server otherwise, so this is the smallest thing that lets Prometheus scrape them.
 */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<{ server: Server; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
