import { VENDOR_FAMILIES } from '../../src/modules/render/device/index.js';
import { scaled, type Benchmark } from '../lib/benchmark.js';
import { bulkAccounts, bulkDevices } from '../lib/bulk-seed.js';
import { PipelineWatch } from '../lib/pipeline-watch.js';
import { PeakRssSampler, resetPeakRss } from '../lib/proc.js';
import { metricOf } from '../lib/results.js';
import { BENCH_PROFILE_SETTINGS, createTenant } from '../lib/seed.js';
import { startStack } from '../lib/stack.js';

/**
 * 3. Render throughput: N devices (every vendor family, line 1 bound to an account, tenant default
 * profile); a change to that profile re-renders every device through the real path — capture
 * trigger → outbox → relay (fan-out, generation bump, render jobs) → render worker (render, store
 * artifacts) — until every device target is current. Profiles/s = N / that time. Peak RSS of the
 * worker process (VmHWM, reset before each run). The first render after seeding is reported too.
 */
export const renderThroughput: Benchmark = {
  name: 'render-throughput',
  title: 'Render throughput: full re-render of 100,000 devices through the queue',
  defaultRuns: 3,
  async run({ scale, runs, log }) {
    const devices = scaled(100_000, scale, 50);
    const stack = await startStack('render-throughput');
    const raw: unknown[] = [];
    try {
      await stack.startServices();
      const tenant = await createTenant(stack.adminUrl, stack.platformToken, 'render', devices);
      const watch = await PipelineWatch.open(stack.databaseUrl, tenant.slug);
      try {
        const seedStarted = Date.now();
        const accounts = await bulkAccounts(stack.databaseUrl, tenant, devices);
        await bulkDevices(stack.databaseUrl, tenant, devices, VENDOR_FAMILIES, accounts);
        log(`seeded ${devices} accounts and devices in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
        const firstStarted = Date.now();
        await watch.converged(3_600_000, devices, throttledLog(log));
        const firstSeconds = (Date.now() - firstStarted) / 1000;
        log(`first render: ${(devices / firstSeconds).toFixed(0)} profiles/s`);
        const rates: number[] = [];
        const peaks: number[] = [];
        for (let run = 0; run < runs; run++) {
          resetPeakRss(stack.worker!.pid);
          const sampler = new PeakRssSampler(stack.worker!.pid).start();
          const started = Date.now();
          await tenant.api.ok('PATCH', `/tenants/${tenant.slug}/profiles/${tenant.profileId}`, {
            settings: BENCH_PROFILE_SETTINGS(run + 1),
          });
          await watch.converged(3_600_000, devices, throttledLog(log));
          const seconds = (Date.now() - started) / 1000;
          rates.push(devices / seconds);
          peaks.push(sampler.stop());
          raw.push({ run, seconds, rate: rates.at(-1), peakMB: peaks.at(-1) });
          log(
            `run ${run + 1}: ${seconds.toFixed(1)} s, ${rates.at(-1)!.toFixed(0)} profiles/s, worker peak ${peaks.at(-1)} MB`,
          );
        }
        return {
          parameters: {
            devices,
            vendors: VENDOR_FAMILIES.length,
            renderConcurrency: 200,
            renderBatchSize: 100,
            workerProcesses: 1,
          },
          metrics: [
            metricOf('profilesPerSecond', 'Re-render, end to end', 'profiles/s', rates, {
              text: '≥ 2,000 profiles/s',
              met: (v) => v >= 2000,
            }),
            metricOf('firstRenderPerSecond', 'First render after seeding (from the insert)', 'profiles/s', [
              devices / firstSeconds,
            ]),
            metricOf('workerPeakMB', 'Worker peak RSS (VmHWM) during a re-render', 'MB', peaks),
          ],
          notes: [
            'One worker process with every role (render, relay, notify), as `npm start` runs it, default render concurrency and batch size; Postgres with fsync on.',
            'The fan-out reaches every device, so the relay sends render.targets chunk jobs of 200 targets; the worker renders them in batches of up to 100 (one snapshot, one store transaction per batch).',
            'Accounts and devices are written with set-based SQL (capture triggers fire as for API writes); see bench/lib/bulk-seed.ts for why not the API.',
            'Time runs from the profile PATCH until no device target lags, polled every 200 ms.',
          ],
          raw: { firstSeconds, runs: raw },
        };
      } finally {
        await watch.close();
      }
    } finally {
      await stack.stop();
    }
  },
};

/** Logs pipeline progress at most every 10 s. */
export function throttledLog(log: (message: string) => void): (state: object) => void {
  let last = 0;
  return (state) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    log(`  pipeline ${JSON.stringify(state)}`);
  };
}
