import { availableParallelism } from 'node:os';
import { deviceFileNames } from '../../src/modules/render/device/index.js';
import { scaled, type Benchmark } from '../lib/benchmark.js';
import { digestSignerFor } from '../lib/digest.js';
import { runLoad, type ConnectionPlan, type LoadResult } from '../lib/load.js';
import { runPacedLoad } from '../lib/paced-load.js';
import { findOrInstallNginx, startNginx, type Nginx } from '../lib/nginx.js';
import { provisionTenant } from '../lib/provision.js';
import { withChildren } from '../lib/proc.js';
import { metricOf, type Metric } from '../lib/results.js';
import { startStack } from '../lib/stack.js';
import { median } from '../lib/stats.js';

const CONNECTIONS = 200;

function cpus(): number {
  return availableParallelism();
}

/** PROVD_PHONE_PROCESSES as the service resolves it. */
function resolvedProcesses(setting: string): number {
  return setting === 'auto' ? cpus() : Number(setting);
}

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
      const { devices, phonebook } = await provisionTenant(stack, {
        slug: 'serving',
        devices: CONNECTIONS,
        vendors: ['yealink'],
        contacts,
        log,
      });
      const paths = devices.map((device) => `/${deviceFileNames(device.vendor, device.mac, device.model)[0]}`);
      const phonebookPath = `/pb/${phonebook.token}/yealink.xml`;
      // The bytes as served (one authenticated fetch each), also warming our caches.
      const files = new Map<string, Buffer>();
      const etags: Record<Server, string[]> = { ours: [], nginx: [] };
      const fetchAll = async () => {
        etags.ours = [];
        for (const [i, path] of paths.entries()) {
          const signer = await digestSignerFor(stack.phoneUrl + path, devices[i]!.mac, devices[i]!.secret);
          const fetched = await body(stack.phoneUrl + path, { authorization: signer.next('GET', path) });
          files.set(path, fetched.bytes);
          etags.ours.push(fetched.etag);
        }
        return body(stack.phoneUrl + phonebookPath);
      };
      const book = await fetchAll();
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
            const conditional: Record<string, string> =
              scenario === 'notModified' ? { 'if-none-match': etags[server][i]! } : {};
            return { path, headers: () => ({ authorization: signer.next('GET', path), ...conditional }) };
          }),
        );
      };
      const measure = async (scenario: Scenario, server: Server, seconds: number): Promise<LoadResult> => {
        const connectionPlans = await plans(scenario, server);
        const url = server === 'ours' ? stack.phoneUrl : nginx!.url;
        // Our side: the API process and its phone processes (PROVD_PHONE_PROCESSES), all of them.
        const pids = server === 'ours' ? stack.apiPids() : withChildren(nginx!.pid);
        const planOf = (connection: number) => connectionPlans[connection]!;
        return scenario === 'profileAtRate'
          ? runPacedLoad(url, CONNECTIONS, seconds, planOf, pids, LATENCY_RATE)
          : runLoad(url, CONNECTIONS, seconds, planOf, pids);
      };
      const summary = (result: LoadResult) =>
        `${result.rps.toFixed(0)} req/s, ${cpuPerRequest(result).toFixed(0)} µs CPU/req, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, statuses ${JSON.stringify(result.statuses)}, errors ${result.errors}`;
      // Every phone process loads its caches on its own first fetches: a short unrecorded load first.
      const warmUp = () => measure('profile', 'ours', 2);
      // Read now: the one-process comparison below restarts the services with another setting.
      const setting = stack.phoneProcesses;
      const processes = resolvedProcesses(setting);
      log(`phone processes: ${processes} (PROVD_PHONE_PROCESSES=${setting})`);
      await warmUp();
      for (let run = 0; run < runs; run++) {
        for (const scenario of SCENARIOS) {
          const order = run % 2 === 0 ? servers : [...servers].reverse();
          for (const server of order) {
            const result = await measure(scenario, server, seconds);
            results[scenario][server].push(result);
            log(`run ${run + 1} ${scenario} ${server}: ${summary(result)}`);
          }
        }
      }
      // The same closed-loop profile fetch with the phone server inside the API process, against
      // nginx measured right beside it: what the processes setting buys on this machine.
      const single: Record<Server, LoadResult[]> = { ours: [], nginx: [] };
      if (processes > 1) {
        await stack.stopServices();
        await stack.startServices({ PROVD_PHONE_PROCESSES: '1' });
        await fetchAll();
        await warmUp();
        for (let run = 0; run < runs; run++) {
          const order = run % 2 === 0 ? servers : [...servers].reverse();
          for (const server of order) {
            const result = await measure('profile', server, seconds);
            single[server].push(result);
            log(`run ${run + 1} profile, 1 phone process, ${server}: ${summary(result)}`);
          }
        }
      }
      const metrics: Metric[] = [];
      const expected: Record<Scenario, string> = {
        profile: '200',
        profileAtRate: '200',
        notModified: '304',
        phonebook: '200',
      };
      const labels: Record<Scenario, string> = {
        profile: 'Profile (Digest)',
        profileAtRate: `Profile at ${LATENCY_RATE} req/s (open loop)`,
        notModified: '304 If-None-Match (Digest)',
        phonebook: `Phonebook, ${contacts} contacts (${(book.bytes.length / 1024).toFixed(0)} KiB)`,
      };
      for (const scenario of SCENARIOS) {
        const ours = results[scenario].ours;
        const theirs = results[scenario].nginx;
        if (theirs.length) {
          if (scenario !== 'profileAtRate') {
            metrics.push(
              metricOf(
                `${scenario}.ratio`,
                `${labels[scenario]}: req/s ours ÷ nginx`,
                '×',
                ours.map((r, i) => r.rps / theirs[i]!.rps),
                scenario === 'profile' ? { text: '≥ 0.5', met: (v) => v >= 0.5 } : undefined,
              ),
            );
          }
          metrics.push(
            metricOf(
              `${scenario}.nginx.rps`,
              `${labels[scenario]}: nginx`,
              'req/s',
              theirs.map((r) => r.rps),
            ),
            metricOf(
              `${scenario}.nginx.p99`,
              `${labels[scenario]}: nginx p99`,
              'ms',
              theirs.map((r) => r.p99),
            ),
            metricOf(
              `${scenario}.cpuRatio`,
              `${labels[scenario]}: server CPU per request, ours ÷ nginx`,
              '×',
              ours.map((r, i) => cpuPerRequest(r) / cpuPerRequest(theirs[i]!)),
            ),
          );
        }
        metrics.push(
          metricOf(
            `${scenario}.ours.rps`,
            `${labels[scenario]}: ours`,
            'req/s',
            ours.map((r) => r.rps),
          ),
          metricOf(
            `${scenario}.ours.cpu`,
            `${labels[scenario]}: ours, server CPU per request`,
            'µs',
            ours.map(cpuPerRequest),
          ),
          metricOf(
            `${scenario}.ours.p50`,
            `${labels[scenario]}: ours p50`,
            'ms',
            ours.map((r) => r.p50),
          ),
          metricOf(
            `${scenario}.ours.p99`,
            `${labels[scenario]}: ours p99`,
            'ms',
            ours.map((r) => r.p99),
            scenario.startsWith('profile') ? { text: '< 10 ms', met: (v) => v < 10 } : undefined,
          ),
          metricOf(
            `${scenario}.ours.unexpected`,
            `${labels[scenario]}: ours answers other than ${expected[scenario]}, errors, timeouts`,
            '',
            ours.map((r) => r.requests - (r.statuses[expected[scenario]] ?? 0) + r.errors + r.timeouts),
            { text: '0', met: (v) => v === 0 },
          ),
        );
      }
      if (single.ours.length) {
        const label = 'Profile (Digest), phone server in the API process (PROVD_PHONE_PROCESSES=1)';
        if (single.nginx.length) {
          metrics.push(
            metricOf(
              'profile.oneProcess.ratio',
              `${label}: req/s ours ÷ nginx`,
              '×',
              single.ours.map((r, i) => r.rps / single.nginx[i]!.rps),
            ),
            metricOf(
              'profile.oneProcess.nginx.rps',
              `${label}: nginx`,
              'req/s',
              single.nginx.map((r) => r.rps),
            ),
          );
        }
        metrics.push(
          metricOf(
            'profile.oneProcess.ours.rps',
            `${label}: ours`,
            'req/s',
            single.ours.map((r) => r.rps),
          ),
          metricOf(
            'profile.oneProcess.ours.cpu',
            `${label}: ours, server CPU per request`,
            'µs',
            single.ours.map(cpuPerRequest),
          ),
          metricOf(
            'profile.oneProcess.ours.p99',
            `${label}: ours p99`,
            'ms',
            single.ours.map((r) => r.p99),
          ),
        );
      }
      const notModified = results.notModified.ours.map((r, i) => r.rps / results.profile.ours[i]!.rps);
      metrics.push(
        metricOf('notModified.vs200', '304 req/s ÷ 200 req/s (ours)', '×', notModified, {
          text: '> 1 (cheaper than a 200)',
          met: (v) => v > 1,
        }),
      );
      return {
        parameters: {
          phoneProcesses: `${setting} (${processes})`,
          connections: CONNECTIONS,
          secondsPerMeasurement: seconds,
          profileBytes: median(paths.map((p) => files.get(p)!.length)),
          phonebookBytes: book.bytes.length,
          nginx: nginx?.version ?? 'absent',
          loadTool: 'autocannon 9 (in the benchmark process)',
        },
        metrics,
        notes: [
          'Each connection is one Yealink device fetching its own file; every request carries a fresh Digest nc (the server counts each (nonce, nc) once, in the process that claimed the nonce; see docs/phone-server.md). nginx gets the same headers.',
          `nginx ${nginx?.version ?? '(absent)'}: worker_processes auto, sendfile, keep-alive without a request cap, no access log.`,
          `Our phone server: PROVD_PHONE_PROCESSES=${setting}, i.e. ${processes} phone process(es) (cluster workers of the API process, which keeps the admin API; docs/phone-server.md, "Several processes"), as an operator of a ${cpus()}-core box would set it (BENCH_PHONE_PROCESSES overrides).${processes > 1 ? ' The "phone server in the API process" rows are the same fetch with PROVD_PHONE_PROCESSES=1 (the services restarted), each run against nginx measured right beside it.' : ''} Server CPU counts the API process and all its phone processes.`,
          `Back to back (closed loop), 200 connections queue: by Little's law the mean latency is 200 ÷ req/s, so saturation latency mostly restates throughput. The open-loop run (${LATENCY_RATE} req/s over the same 200 connections, each connection sending at fixed, evenly staggered times; latency counted from the scheduled send time, so no coordinated omission; bench/lib/paced-load.ts) is the latency a phone sees on a busy, not saturated, server. autocannon's overallRate is not used for it: it sends each connection's whole per-second quota back to back at the start of every second, and those bursts queue in front of any server (nginx showed a 37 ms p99 that way).`,
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
