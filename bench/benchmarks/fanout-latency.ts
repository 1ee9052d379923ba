import { scaled, type Benchmark } from '../lib/benchmark.js';
import { bulkAccounts, bulkDevices } from '../lib/bulk-seed.js';
import { phonebookVariantPaths, PipelineWatch } from '../lib/pipeline-watch.js';
import { scrape, sumMetric } from '../lib/prom.js';
import { metricOf } from '../lib/results.js';
import { createPhonebook, createTenant, importContacts, type Tenant } from '../lib/seed.js';
import { startStack, type BenchStack } from '../lib/stack.js';
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
  throw new Error(
    `${url.replace(/pb\/[^/]+/, 'pb/…')} did not show the edit within the deadline (served etag ${served.headers.get('etag')}, last polled etag ${etag})`,
  );
}

interface Book {
  tenant: Tenant;
  contactId: string;
  variants: string[];
}

/** One edit (admin API PATCH of the last name) → ms until every variant serves the new bytes. */
async function editLatency(book: Book, phoneUrl: string, lastName: string): Promise<number> {
  const started = Date.now();
  await book.tenant.api.ok('PATCH', `/tenants/${book.tenant.slug}/contacts/${book.contactId}`, { lastName });
  const times = await Promise.all(
    book.variants.map((path) => seen(phoneUrl + path, lastName, started, started + 30_000)),
  );
  return Math.max(...times);
}

async function bookOf(stack: BenchStack, slug: string, devices: number, contacts: number): Promise<Book> {
  const tenant = await createTenant(stack.adminUrl, stack.platformToken, slug, Math.max(devices, 1));
  const phonebook = await createPhonebook(tenant, 'All company contacts', true);
  await importContacts(tenant, phonebook.id, contacts);
  if (devices) {
    const accounts = await bulkAccounts(stack.databaseUrl, tenant, devices, { capture: false });
    await bulkDevices(
      stack.databaseUrl,
      tenant,
      devices,
      ['yealink', 'poly', 'cisco-mpp', 'grandstream', 'snom', 'fanvil', 'gigaset', 'cisco-enterprise'],
      accounts,
      { capture: false },
    );
  }
  const contactId = (
    await tenant.api.ok<{ items: { id: string }[] }>(
      'GET',
      `/tenants/${slug}/contacts?phonebook=${phonebook.id}&limit=1`,
    )
  ).items[0]!.id;
  const watch = await PipelineWatch.open(stack.databaseUrl, slug);
  try {
    await watch.converged(300_000);
    return {
      tenant,
      contactId,
      variants: (await phonebookVariantPaths(watch, phonebook.id)).map((variant) => variant.path),
    };
  } finally {
    await watch.close();
  }
}

/**
 * 4. Fan-out latency: one contact edit (admin API PATCH) in a phonebook every device sees → time
 * until the phone server serves the new bytes in every vendor format. Two tenants with the same
 * phonebook (1,000 contacts), one with N devices (visibility "all": every device sees it), one
 * with none; their edits alternate, so the p99 ratio compares them under the same conditions.
 */
export const fanoutLatency: Benchmark = {
  name: 'fanout-latency',
  title: 'Fan-out latency: one contact edit in a phonebook seen by 100,000 devices',
  defaultRuns: 20,
  async run({ scale, runs, log }) {
    const devices = scaled(100_000, scale, 10);
    const contacts = scaled(CONTACTS, Math.min(1, scale * 10), 20);
    const stack = await startStack('fanout-latency');
    try {
      await stack.startServices();
      const seen = await bookOf(stack, 'fanoutn', devices, contacts);
      const alone = await bookOf(stack, 'fanout0', 0, contacts);
      log(`${seen.variants.length} phonebook variants each`);
      const before = await scrape(stack.workerMetricsUrl);
      const withDevices: number[] = [];
      const without: number[] = [];
      for (let k = 0; k < runs; k++) {
        // Sorts first, so it is on every format's first page and inside every cap.
        withDevices.push(await editLatency(seen, stack.phoneUrl, `Aanx${k}`));
        await sleep(300);
        without.push(await editLatency(alone, stack.phoneUrl, `Aa0x${k}`));
        await sleep(300);
      }
      const after = await scrape(stack.workerMetricsUrl);
      const delta = (name: string) =>
        sumMetric(after, name, { kind: 'phonebook' }) - sumMetric(before, name, { kind: 'phonebook' });
      const meanRenderMs =
        (1000 * delta('provd_render_duration_seconds_sum')) / delta('provd_render_duration_seconds_count');
      log(
        `${devices} devices: p50 ${percentile(withDevices, 50)} ms, p99 ${percentile(withDevices, 99)} ms; none: p50 ${percentile(without, 50)} ms, p99 ${percentile(without, 99)} ms`,
      );
      const variants = seen.variants;
      const p99 = percentile(withDevices, 99);
      return {
        parameters: { devices, edits: runs, formats: variants.length, contacts, pollMs: POLL_MS },
        metrics: [
          {
            id: 'p50',
            label: `Edit → all ${variants.length} formats served, ${devices} devices: p50`,
            unit: 'ms',
            value: percentile(withDevices, 50),
            runs: withDevices,
          },
          {
            id: 'p99',
            label: `Edit → all formats served, ${devices} devices: p99`,
            unit: 'ms',
            value: p99,
            runs: withDevices,
            target: '< 1,000 ms',
            met: p99 < 1000,
          },
          metricOf('renderMs', 'Mean time to render and store one phonebook variant (worker histogram)', 'ms', [
            meanRenderMs,
          ]),
          {
            id: 'p50NoDevices',
            label: 'Same, no devices: p50',
            unit: 'ms',
            value: percentile(without, 50),
            runs: without,
          },
          metricOf('p99NoDevices', 'Same, no devices: p99', 'ms', [percentile(without, 99)]),
          metricOf('p99Ratio', `p99 with ${devices} devices ÷ p99 without`, '×', [p99 / percentile(without, 99)], {
            text: '≈ 1 (independent of device count)',
            met: (v) => v < 1.5,
          }),
        ],
        notes: [
          "Each edit is one admin API PATCH of the contact's last name; the clock stops when the phone server has served the new bytes in every format (polled every 10 ms with If-None-Match).",
          'The phonebook render waits out its 250 ms coalescing window by design (src/modules/pipeline/render-jobs.ts), a floor under every figure here.',
          'Edits alternate between the tenant with the devices and the one without, so both see the same machine load.',
          'The devices are written with capture triggers off (their own profiles are not the subject, and rendering them would take longer than the measurement); they exist in the tables every query of the edit path could touch.',
          `"runs" are the ${runs} edits; the p99 of ${runs} samples is their maximum but one at most.`,
        ],
        raw: { without, withDevices, meanRenderMs },
      };
    } finally {
      await stack.stop();
    }
  },
};
