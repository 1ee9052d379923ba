import { scaled, type Benchmark } from '../lib/benchmark.js';
import { inPool } from '../lib/admin.js';
import { cpuSeconds } from '../lib/proc.js';
import { metricOf } from '../lib/results.js';
import { createTenant, type Tenant } from '../lib/seed.js';
import { startStack } from '../lib/stack.js';
import { round } from '../lib/stats.js';

const IN_FLIGHT = 16;
const CONTACTS = 200;

/** Why each figure is what it is; the profiles and fixes this benchmark led to (see FINDINGS below). */
export const FINDINGS: string[] = [
  'Where the cost was (2026-12-07, commit fe104ea, 16 in flight, load 2-8 from other sessions): GET 122-193/s at 5.3-6.9 ms of API CPU per request, PATCH 52-54/s at 12.6-13 ms, account creation 26-32/s at 13-19 ms.',
  'API CPU profile (node --cpu-prof, steady GET window, self time): writev 5.0 %, runMicrotasks 3.4 %, GC 3.1 %, writeBuffer 3.0 %, MikroORM autoJoinRefsForFilters 2.1 %, preparePopulate 1.6 %, findOne 1.6 %, pg addFields 1.5 %; inclusive: MikroORM EntityManager.findOne 23 % (two per request: the token and the tenant), knex query building 9 %, fastify hooks 7 %. No single hot spot: the cost is ORM work per statement, so fewer statements per request is the lever.',
  'Postgres (pg_stat_statements, per request): GET 5.4 statements, 0.4-0.6 ms executing; PATCH 20 (the contact UPDATE 0.9 ms, the rest the worker re-rendering phonebooks: render_targets/artifacts upserts 8-9 ms each); account creation 30 statements with `select max_accounts from tenants ... for update` waiting 842 ms on average: pg_stat_activity sampled the other creators in Lock:tuple (11,131 samples) while the holder sat idle in transaction (2,526): the lock was held across nine round trips through a CPU-bound event loop.',
  'Fix 1, token cache (src/modules/auth/token-cache.ts): verified tokens kept 5 s per process in an LRU keyed by the token hash; revoke and tenant delete forget them at once in the process that did it, other processes within 5 s. GET API CPU 5.25 -> 3.76 ms per request (same load, back to back).',
  'Fix 2, account creation: the checks under the tenant lock (count, group, extension across three tables, SIP username) are one statement after the lock instead of six; the extension check alone is one union query for every caller (accounts, hunt groups, auto attendants). Creation 32.2 -> 58.9/s, API CPU 13.2 -> 7.9 ms per creation (back to back with fix 1).',
];

/** `requests` calls of `work` with IN_FLIGHT in flight; completed per second and the API process's CPU ms per call. */
async function rate(
  requests: number,
  apiPid: number,
  work: (index: number) => Promise<unknown>,
): Promise<{ perSecond: number; cpuMs: number }> {
  const cpuBefore = cpuSeconds([apiPid]);
  const started = process.hrtime.bigint();
  await inPool(
    Array.from({ length: requests }, (_, i) => i),
    IN_FLIGHT,
    (i) => work(i),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    perSecond: round(requests / seconds, 1),
    cpuMs: round(((cpuSeconds([apiPid]) - cpuBefore) * 1000) / requests, 2),
  };
}

async function seedContacts(tenant: Tenant): Promise<string[]> {
  return inPool(
    Array.from({ length: CONTACTS }, (_, i) => i),
    IN_FLIGHT,
    async (i) =>
      (
        await tenant.api.ok<{ id: string }>('POST', `/tenants/${tenant.slug}/contacts`, {
          firstName: `Given${i}`,
          lastName: `Family${i}`,
          company: 'Bench GmbH',
          numbers: [{ type: 'work', number: `+4930${1_000_000 + i}` }],
        })
      ).id,
  );
}

/**
 * Admin API writes through HTTP, 16 requests in flight (one token, as an integration would):
 * contact PATCH (a name change) round-robin over 200 contacts, and account creation (a new
 * extension each) in one tenant. An authenticated contact GET runs in the same run as the
 * yardstick, so the write figures read as ratios on a loaded machine.
 */
export const adminWrites: Benchmark = {
  name: 'admin-writes',
  title: 'Admin API writes: contact PATCH/s and account creations/s (16 in flight)',
  defaultRuns: 3,
  async run({ scale, runs, log }) {
    const patches = scaled(2000, scale, 100);
    const creates = scaled(1000, scale, 50);
    const reads = scaled(2000, scale, 100);
    const stack = await startStack('admin-writes');
    const raw: unknown[] = [];
    const series = {
      read: [] as number[],
      patch: [] as number[],
      create: [] as number[],
      readCpu: [] as number[],
      patchCpu: [] as number[],
      createCpu: [] as number[],
    };
    try {
      await stack.startServices();
      const apiPid = stack.api!.pid;
      for (let run = 0; run < runs; run++) {
        const tenant = await createTenant(stack.adminUrl, stack.platformToken, `writes${run}`, creates + 10);
        const ids = await seedContacts(tenant);
        // Warm-up: JIT, pools, statement caches.
        await rate(100, apiPid, (i) => tenant.api.ok('GET', `/tenants/${tenant.slug}/contacts/${ids[i % ids.length]}`));
        const read = await rate(reads, apiPid, (i) =>
          tenant.api.ok('GET', `/tenants/${tenant.slug}/contacts/${ids[i % ids.length]}`),
        );
        const patch = await rate(patches, apiPid, (i) =>
          tenant.api.ok('PATCH', `/tenants/${tenant.slug}/contacts/${ids[i % ids.length]}`, {
            firstName: `Renamed${i}`,
          }),
        );
        const create = await rate(creates, apiPid, (i) =>
          tenant.api.ok('POST', `/tenants/${tenant.slug}/accounts`, {
            groupId: tenant.groupId,
            extension: String(200000 + i),
            displayName: `Bench Writer ${i}`,
          }),
        );
        series.read.push(read.perSecond);
        series.patch.push(patch.perSecond);
        series.create.push(create.perSecond);
        series.readCpu.push(read.cpuMs);
        series.patchCpu.push(patch.cpuMs);
        series.createCpu.push(create.cpuMs);
        raw.push({ run, read, patch, create });
        log(
          `run ${run + 1}: GET ${read.perSecond}/s (${read.cpuMs} ms CPU), PATCH ${patch.perSecond}/s (${patch.cpuMs} ms), create ${create.perSecond}/s (${create.cpuMs} ms)`,
        );
      }
    } finally {
      await stack.stop();
    }
    const ratio = (a: number[], b: number[]) => a.map((value, i) => round(value / b[i]!, 3));
    return {
      parameters: { inFlight: IN_FLIGHT, contacts: CONTACTS, patches, creates, reads },
      metrics: [
        metricOf('read.rps', 'Contact GET (yardstick)', 'req/s', series.read),
        metricOf('patch.rps', 'Contact PATCH', 'req/s', series.patch, {
          text: '≥ 1,000 req/s',
          met: (value) => value >= 1000,
        }),
        metricOf('create.rps', 'Account creation', 'req/s', series.create, {
          text: '≥ 500 req/s',
          met: (value) => value >= 500,
        }),
        metricOf('patch.ratio', 'Contact PATCH ÷ contact GET (same run)', '×', ratio(series.patch, series.read)),
        metricOf('create.ratio', 'Account creation ÷ contact GET (same run)', '×', ratio(series.create, series.read)),
        metricOf('read.cpu', 'API process CPU per contact GET', 'ms', series.readCpu),
        metricOf('patch.cpu', 'API process CPU per contact PATCH', 'ms', series.patchCpu),
        metricOf('create.cpu', 'API process CPU per account creation', 'ms', series.createCpu),
      ],
      notes: FINDINGS,
      raw,
    };
  },
};
