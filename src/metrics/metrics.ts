import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per process (not prom-client's global), so several apps can live in one test process. */
export function createMetrics(processName: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'provd_http_requests_total',
      help: 'HTTP requests answered, by server, route and status class',
      labelNames: ['server', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'provd_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['server'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
