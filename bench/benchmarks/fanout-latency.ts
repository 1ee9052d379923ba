import { scaled, type Benchmark } from '../lib/benchmark.js';
import { bulkAccounts, bulkDevices } from '../lib/bulk-seed.js';
import { phonebookVariantPaths, PipelineWatch } from '../lib/pipeline-watch.js';
import { metricOf } from '../lib/results.js';
import { createPhonebook, createTenant, importContacts, type Tenant } from '../lib/seed.js';
import { startStack } from '../lib/stack.js';
import { percentile, sleep } from '../lib/stats.js';

const CONTACTS = 1000;
const POLL_MS = 10;

/** Polls one phonebook variant (If-None-Match, so unchanged polls are 304s) until its body holds `needle`. */
async function seen(url: string, needle: string, started: number, deadline: number): Promise<number> {
  let etag = '';
  while (Date.now() < deadline) {
    const response = await fetch(url, { headers: etag ? { 'if-none-match': etag } : {} });
    if (response.status === 200) {
      etag = response.headers.get('etag') ?? '';
      if ((await response.text()).includes(needle)) return Date.now() - started;
    } else {
      await response.arrayBuffer();
    }
    await sleep(POLL_MS);
  }
  const served = await fetch(url);
  throw new Error(`${url.replace(/pb\/[^/]+/, 'pb/…')} did not show the edit within the deadline (served etag ${served.headers.get('etag')}, last polled etag ${etag})`);
}

async function editLatencies(tenant: Tenant, contactId: string, phoneUrl: string, variants: string[], edits: number, tag: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let k = 0; k < edits; k++) {
    // Sorts first, so it is on every format's first page and inside every cap.
    const lastName = `Aa${tag}x${k}`;
    const started = Date.now();
    await tenant.api.ok('PATCH', `/tenants/${tenant.slug}/contacts/${contactId}`, { lastName });
    const times = await Promise.all(variants.map((path) => seen(phoneUrl + path, lastName, started, started + 30_000)));
    latencies.push(Math.max(...times));
    await sleep(300);
  }
  return latencies;
}

/**
 * 4. Fan-out latency: one contact edit (admin API PATCH) in a phonebook every device sees → time
 * until the phone server serves the new bytes in all 8 vendor formats. 20 edits with no devices,
 * then N devices are added (they see the phonebook: visibility "all") and 20 more edits: the p99
 * ratio shows whether the device count matters.
 */
export const fanoutLatency: Benchmark = {
  name: 'fanout-latency',
  title: 'Fan-out latency: one contact edit in a phonebook seen by 100,000 devices',
  defaultRuns: 20,
  async run({ scale, runs, log }) {
    const devices = scaled(100_000, scale, 10);
    const stack = await startStack('fanout-latency');
    try {
      await stack.startServices();
      const tenant = await createTenant(stack.adminUrl, stack.platformToken, 'fanout', devices);
      const phonebook = await createPhonebook(tenant, 'All company contacts', true);
      await importContacts(tenant, phonebook.id, scaled(CONTACTS, Math.min(1, scale * 10), 20));
      const contact = (await tenant.api.ok<{ items: { id: string }[] }>('GET', `/tenants/${tenant.slug}/contacts?phonebook=${phonebook.id}&limit=1`)).items[0]!.id;
      const watch = await PipelineWatch.open(stack.databaseUrl);
      let variants: string[];
      try {
        await watch.converged(300_000);
        variants = (await phonebookVariantPaths(watch, phonebook.id)).map((variant) => variant.path);
      } finally {
        await watch.close();
      }
      log(`${variants.length} phonebook variants`);
      const without = await editLatencies(tenant, contact, stack.phoneUrl, variants, runs, 'a');
      log(`no devices: p50 ${percentile(without, 50)} ms, p99 ${percentile(without, 99)} ms`);
      const accounts = await bulkAccounts(stack.databaseUrl, tenant, devices, { capture: false });
      await bulkDevices(stack.databaseUrl, tenant, devices, ['yealink', 'poly', 'cisco-mpp', 'grandstream', 'snom', 'fanvil', 'gigaset', 'cisco-enterprise'], accounts, { capture: false });
      const withDevices = await editLatencies(tenant, contact, stack.phoneUrl, variants, runs, 'b');
      log(`${devices} devices: p50 ${percentile(withDevices, 50)} ms, p99 ${percentile(withDevices, 99)} ms`);
      const p99 = percentile(withDevices, 99);
      return {
        parameters: { devices, edits: runs, formats: variants.length, contacts: scaled(CONTACTS, Math.min(1, scale * 10), 20), pollMs: POLL_MS },
        metrics: [
          { id: 'p50', label: `Edit → all ${variants.length} formats served, ${devices} devices: p50`, unit: 'ms', value: percentile(withDevices, 50), runs: withDevices },
          { id: 'p99', label: `Edit → all formats served, ${devices} devices: p99`, unit: 'ms', value: p99, runs: withDevices, target: '< 1,000 ms', met: p99 < 1000 },
          metricOf('p99NoDevices', 'Same, no devices: p99', 'ms', [percentile(without, 99)]),
          metricOf('p99Ratio', `p99 with ${devices} devices ÷ p99 without`, '×', [p99 / percentile(without, 99)], { text: '≈ 1 (independent of device count)', met: (v) => v < 1.5 }),
        ],
        notes: [
          'Each edit is one admin API PATCH of the contact\'s last name; the clock stops when the phone server has served the new bytes in every format (polled every 10 ms with If-None-Match).',
          'The phonebook render waits out its 250 ms coalescing window by design (src/modules/pipeline/render-jobs.ts), a floor under every figure here.',
          'The devices are written with capture triggers off (their own profiles are not the subject, and rendering them would take longer than the measurement); they exist in the tables every query of the edit path could touch.',
          `"runs" are the ${runs} edits; the p99 of ${runs} samples is their maximum but one at most.`,
        ],
        raw: { without, withDevices },
      };
    } finally {
      await stack.stop();
    }
  },
};
