import autocannon from 'autocannon';
import { cpuSeconds } from './proc.js';
import { percentile } from './stats.js';

/** What one connection sends: its path, and the headers of each next request (e.g. a fresh digest nc). */
export interface ConnectionPlan {
  path: string;
  headers: () => Record<string, string>;
}

export interface LoadResult {
  requests: number;
  /** CPU seconds the server under test used during the measurement (when its pids were given). */
  serverCpuSeconds?: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
}

/**
 * Closed-loop keep-alive load with autocannon (one process, the same for every server compared):
 * `connections` connections, each sending its plan's requests back to back for `seconds`.
 * Latencies are recorded per response from autocannon's own timing (ms, not rounded).
 */
export async function runLoad(
  url: string,
  connections: number,
  seconds: number,
  plan: (connection: number) => ConnectionPlan,
  serverPids: number[] = [],
): Promise<LoadResult> {
  const cpuBefore = cpuSeconds(serverPids);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    setupClient: (client: any) => {
      const connection = plan(next++ % connections);
      client.setRequests([{ method: 'GET', path: connection.path, headers: connection.headers() }]);
      client.on('response', (status: number, _bytes: number, duration: number) => {
        latencies.push(duration);
        statuses[status] = (statuses[status] ?? 0) + 1;
        client.setHeaders(connection.headers());
      });
    },
  } as any);
  const serverCpuSeconds = serverPids.length ? cpuSeconds(serverPids) - cpuBefore : undefined;
  return loadResult({
    latencies,
    statuses,
    seconds,
    serverCpuSeconds,
    errors: result.errors,
    timeouts: result.timeouts,
  });
}

/** The figures of one measurement from its per-response latencies (ms) and outcome counts. */
export function loadResult(measured: {
  latencies: number[];
  statuses: Record<string, number>;
  seconds: number;
  serverCpuSeconds: number | undefined;
  errors: number;
  timeouts: number;
}): LoadResult {
  const { latencies, seconds, serverCpuSeconds } = measured;
  return {
    requests: latencies.length,
    ...(serverCpuSeconds === undefined ? {} : { serverCpuSeconds }),
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    errors: measured.errors,
    timeouts: measured.timeouts,
    statuses: measured.statuses,
  };
}
