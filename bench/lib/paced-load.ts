import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { loadResult, type ConnectionPlan, type LoadResult } from './load.js';
import { cpuSeconds } from './proc.js';

const TIMEOUT_MS = 10_000;

function fetchOnce(base: URL, path: string, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, headers, agent, timeout: TIMEOUT_MS }, (res) => {
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
      res.resume();
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { timeout: true })));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Open-loop keep-alive load: every connection sends one request per `connections / rate` seconds
 * at fixed times (connections staggered evenly), whether or not its previous answer came back
 * late. A latency runs from the request's scheduled time, so a slow answer also counts against
 * the requests queued behind it (no coordinated omission). autocannon's `overallRate` is not
 * used for this: it lets every connection send its whole second's quota back to back at each
 * second's start, and the resulting bursts queue in front of any server. The client runs in the
 * benchmark process on the same cores as the servers, so its own timer delays count as latency
 * for both.
 */
export async function runPacedLoad(
  url: string,
  connections: number,
  seconds: number,
  plan: (connection: number) => ConnectionPlan,
  serverPids: number[],
  rate: number,
): Promise<LoadResult> {
  const base = new URL(url);
  const intervalMs = (connections / rate) * 1000;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  // Phones fetch on connections that are already open and authenticated (keep-alive): each
  // connection's first request (TCP connect, the server's first sight of its nonce) is sent
  // before the measured window and not counted.
  const agents = Array.from({ length: connections }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const plans = agents.map((_, index) => plan(index));
  await Promise.all(
    agents.map((agent, index) => fetchOnce(base, plans[index]!.path, plans[index]!.headers(), agent).catch(() => 0)),
  );
  const cpuBefore = cpuSeconds(serverPids);
  const start = performance.now() + 100;
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, index) => {
      const agent = agents[index]!;
      const connection = plans[index]!;
      try {
        for (let k = 0; ; k++) {
          const scheduled = start + (index / connections) * intervalMs + k * intervalMs;
          if (scheduled >= end) break;
          const wait = scheduled - performance.now();
          if (wait > 0) await sleep(wait);
          try {
            const status = await fetchOnce(base, connection.path, connection.headers(), agent);
            latencies.push(performance.now() - scheduled);
            statuses[status] = (statuses[status] ?? 0) + 1;
          } catch (error) {
            if ((error as { timeout?: boolean }).timeout) timeouts++;
            else errors++;
          }
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  const serverCpuSeconds = serverPids.length ? cpuSeconds(serverPids) - cpuBefore : undefined;
  return loadResult({ latencies, statuses, seconds, serverCpuSeconds, errors, timeouts });
}
