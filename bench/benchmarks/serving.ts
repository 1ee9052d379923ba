import { deviceFileNames } from '../../src/modules/render/device/index.js';
import { scaled, type Benchmark } from '../lib/benchmark.js';
import { digestSignerFor } from '../lib/digest.js';
import { runLoad, type ConnectionPlan, type LoadResult } from '../lib/load.js';
import { findOrInstallNginx, startNginx, type Nginx } from '../lib/nginx.js';
import { provisionTenant } from '../lib/provision.js';
import { withChildren } from '../lib/proc.js';
import { metricOf, type Metric } from '../lib/results.js';
import { startStack } from '../lib/stack.js';
import { median } from '../lib/stats.js';

const CONNECTIONS = 200;

/** Server CPU (user + system, all its processes) per answered request, in µs. */
function cpuPerRequest(result: LoadResult): number {
  return ((result.serverCpuSeconds ?? Number.NaN) * 1e6) / result.requests;
}
type Scenario = 'profile' | 'profileAtRate' | 'notModified' | 'phonebook';
const SCENARIOS: Scenario[] = ['profile', 'profileAtRate', 'notModified', 'phonebook'];
/** Open-loop rate for the latency figure: phones fetch now and then, they do not saturate a server. */
const LATENCY_RATE = 2000;
type Server = 'ours' | 'nginx';

async function body(url: string, headers: Record<string, string> = {}): Promise<{ bytes: Buffer; etag: string }> {
  const response = await fetch(url, { headers });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return { bytes: Buffer.from(await response.arrayBuffer()), etag: response.headers.get('etag') ?? '' };
}

/**
 * 1. Serving: 200 keep-alive connections, each a device fetching its own pre-rendered profile with
 * HTTP Digest (one challenge, then increasing nc) — against nginx serving the same bytes as static
 * files, with the same load tool, same headers, in the same run (order alternating per run). Also
 * If-None-Match → 304, and the phonebook file of a 5,000-contact book (no auth: the token is the
 * capability). Without nginx (not installable) only our side is measured and no ratio is reported.
 */
export const serving: Benchmark = {
  name: 'serving',
  title: 'Serving: authenticated keep-alive fetches vs nginx (200 connections)',
  defaultRuns: 3,
  async run({ scale, runs, log }) {
    const seconds = Math.max(1, Math.round(10 * Math.min(1, scale * 10)));
    const contacts = scaled(5000, scale, 50);
    const stack = await startStack('serving');
    let nginx: Nginx | undefined;
    try {
      await stack.startServices();
      const { devices, phonebook } = await provisionTenant(stack, { slug: 'serving', devices: CONNECTIONS, vendors: ['yealink'], contacts, log });
      const paths = devices.map((device) => `/${deviceFileNames(device.vendor, device.mac, device.model)[0]}`);
      const phonebookPath = `/pb/${phonebook.token}/yealink.xml`;
      // The bytes as served (one authenticated fetch each), also warming our caches.
      const files = new Map<string, Buffer>();
      const etags: Record<Server, string[]> = { ours: [], nginx: [] };
      for (const [i, path] of paths.entries()) {
        const signer = await digestSignerFor(stack.phoneUrl + path, devices[i]!.mac, devices[i]!.secret);
        const fetched = await body(stack.phoneUrl + path, { authorization: signer.next('GET', path) });
        files.set(path, fetched.bytes);
        etags.ours.push(fetched.etag);
      }
      const book = await body(stack.phoneUrl + phonebookPath);
      files.set(phonebookPath, book.bytes);
      const binary = findOrInstallNginx();
      if (binary) {
        nginx = await startNginx(binary, files);
        for (const path of paths) etags.nginx.push((await body(nginx.url + path)).etag);
      } else {
        log('nginx not available: measuring our server only');
      }
      const servers: Server[] = nginx ? ['ours', 'nginx'] : ['ours'];
      const results: Record<Scenario, Record<Server, LoadResult[]>> = {
        profile: { ours: [], nginx: [] },
        profileAtRate: { ours: [], nginx: [] },
        notModified: { ours: [], nginx: [] },
        phonebook: { ours: [], nginx: [] },
      };
      const plans = async (scenario: Scenario, server: Server): Promise<ConnectionPlan[]> => {
        if (scenario === 'phonebook') return paths.map(() => ({ path: phonebookPath, headers: () => ({}) }));
        // Fresh challenges per measurement (nonces expire after 300 s); nginx gets the same headers and ignores them.
        return Promise.all(
          paths.map(async (path, i) => {
            const signer = await digestSignerFor(stack.phoneUrl + path, devices[i]!.mac, devices[i]!.secret);
            const conditional: Record<string, string> = scenario === 'notModified' ? { 'if-none-match': etags[server][i]! } : {};
            return { path, headers: () => ({ authorization: signer.next('GET', path), ...conditional }) };
          }),
        );
      };
      for (let run = 0; run < runs; run++) {
        for (const scenario of SCENARIOS) {
          const order = run % 2 === 0 ? servers : [...servers].reverse();
          for (const server of order) {
            const connectionPlans = await plans(scenario, server);
            const url = server === 'ours' ? stack.phoneUrl : nginx!.url;
            const pids = server === 'ours' ? [stack.api!.pid] : withChildren(nginx!.pid);
            const result = await runLoad(url, CONNECTIONS, seconds, (connection) => connectionPlans[connection]!, pids, scenario === 'profileAtRate' ? LATENCY_RATE : undefined);
            results[scenario][server].push(result);
            log(`run ${run + 1} ${scenario} ${server}: ${result.rps.toFixed(0)} req/s, ${cpuPerRequest(result).toFixed(0)} µs CPU/req, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, statuses ${JSON.stringify(result.statuses)}, errors ${result.errors}`);
          }
        }
      }
      const metrics: Metric[] = [];
      const expected: Record<Scenario, string> = { profile: '200', profileAtRate: '200', notModified: '304', phonebook: '200' };
      const labels: Record<Scenario, string> = { profile: 'Profile (Digest)', profileAtRate: `Profile at ${LATENCY_RATE} req/s (open loop)`, notModified: '304 If-None-Match (Digest)', phonebook: `Phonebook, ${contacts} contacts (${(book.bytes.length / 1024).toFixed(0)} KiB)` };
      for (const scenario of SCENARIOS) {
        const ours = results[scenario].ours;
        const theirs = results[scenario].nginx;
        if (theirs.length) {
          if (scenario !== 'profileAtRate') {
            metrics.push(metricOf(`${scenario}.ratio`, `${labels[scenario]}: req/s ours ÷ nginx`, '×', ours.map((r, i) => r.rps / theirs[i]!.rps), scenario === 'profile' ? { text: '≥ 0.5', met: (v) => v >= 0.5 } : undefined));
          }
          metrics.push(
            metricOf(`${scenario}.nginx.rps`, `${labels[scenario]}: nginx`, 'req/s', theirs.map((r) => r.rps)),
            metricOf(`${scenario}.nginx.p99`, `${labels[scenario]}: nginx p99`, 'ms', theirs.map((r) => r.p99)),
            metricOf(`${scenario}.cpuRatio`, `${labels[scenario]}: server CPU per request, ours ÷ nginx`, '×', ours.map((r, i) => cpuPerRequest(r) / cpuPerRequest(theirs[i]!))),
          );
        }
        metrics.push(
          metricOf(`${scenario}.ours.rps`, `${labels[scenario]}: ours`, 'req/s', ours.map((r) => r.rps)),
          metricOf(`${scenario}.ours.cpu`, `${labels[scenario]}: ours, server CPU per request`, 'µs', ours.map(cpuPerRequest)),
          metricOf(`${scenario}.ours.p50`, `${labels[scenario]}: ours p50`, 'ms', ours.map((r) => r.p50)),
          metricOf(`${scenario}.ours.p99`, `${labels[scenario]}: ours p99`, 'ms', ours.map((r) => r.p99), scenario.startsWith('profile') ? { text: '< 10 ms', met: (v) => v < 10 } : undefined),
          metricOf(`${scenario}.ours.unexpected`, `${labels[scenario]}: ours answers other than ${expected[scenario]}, errors, timeouts`, '', ours.map((r) => r.requests - (r.statuses[expected[scenario]] ?? 0) + r.errors + r.timeouts), { text: '0', met: (v) => v === 0 }),
        );
      }
      const notModified = results.notModified.ours.map((r, i) => r.rps / results.profile.ours[i]!.rps);
      metrics.push(metricOf('notModified.vs200', '304 req/s ÷ 200 req/s (ours)', '×', notModified, { text: '> 1 (cheaper than a 200)', met: (v) => v > 1 }));
      return {
        parameters: { connections: CONNECTIONS, secondsPerMeasurement: seconds, profileBytes: median(paths.map((p) => files.get(p)!.length)), phonebookBytes: book.bytes.length, nginx: nginx?.version ?? 'absent', loadTool: 'autocannon 9 (in the benchmark process)' },
        metrics,
        notes: [
          'Each connection is one Yealink device fetching its own file; every request carries a fresh Digest nc (the server counts each (nonce, nc) once, in the process that claimed the nonce; see docs/phone-server.md). nginx gets the same headers.',
          `nginx ${nginx?.version ?? '(absent)'}: worker_processes auto, sendfile, keep-alive without a request cap, no access log. Our phone server is one Node process (the API process also hosts the admin API).`,
          `Back to back (closed loop), 200 connections queue: by Little's law the mean latency is 200 ÷ req/s, so saturation latency mostly restates throughput. The open-loop run (${LATENCY_RATE} req/s over the same 200 connections, autocannon corrects for coordinated omission) is the latency a phone sees on a busy, not saturated, server.`,
          'The load generator shares the 2 cores with the server under test: the ratio, not the absolute req/s, is the figure to compare across machines.',
        ],
        raw: results,
      };
    } finally {
      await nginx?.stop();
      await stack.stop();
    }
  },
};
