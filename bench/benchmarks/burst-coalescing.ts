import pg from 'pg';
import { inPool } from '../lib/admin.js';
import { scaled, type Benchmark } from '../lib/benchmark.js';
import { PipelineWatch } from '../lib/pipeline-watch.js';
import { scrape, sumMetric } from '../lib/prom.js';
import { metricOf } from '../lib/results.js';
import { createPhonebook, createTenant, importContacts, type Tenant } from '../lib/seed.js';
import { startStack } from '../lib/stack.js';
import { sleep } from '../lib/stats.js';

const PHONEBOOKS = 2;
const CONTACTS_PER_BOOK = 500;
/** The phonebook render throttle window (src/modules/pipeline/render-jobs.ts THROTTLE_MS.phonebook). */
const WINDOW_MS = 250;

async function contactIds(tenant: Tenant, phonebookId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await tenant.api.ok<{ items: { id: string }[] }>(
      'GET',
      `/tenants/${tenant.slug}/contacts?phonebook=${phonebookId}&limit=500&offset=${offset}`,
    );
    ids.push(...page.items.map((item) => item.id));
    if (page.items.length < 500) return ids;
  }
}

/**
 * The burst itself, paced: every 10 ms one transaction with the edits due by then, one UPDATE
 * per edit (each captured by the trigger like an API write). SQL rather than the admin API,
 * whose contact PATCH rate (measured separately below) is far under 1,000/s on this machine.
 */
async function sqlBurst(
  databaseUrl: string,
  contacts: string[],
  edits: number,
  seconds: number,
  run: number,
): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const started = Date.now();
    let done = 0;
    while (done < edits) {
      const due = Math.min(edits, Math.ceil(((Date.now() - started) / (seconds * 1000)) * edits) + 1);
      if (due > done) {
        await db.query('begin');
        for (; done < due; done++) {
          await db.query('update contacts set title = $1, updated_at = now() where id = $2', [
            `Edit ${run}-${done}`,
            contacts[done % contacts.length],
          ]);
        }
        await db.query('commit');
      }
      await sleep(10);
    }
  } finally {
    await db.end();
  }
}

/** Contact edits per second through the admin API (PATCH, 16 in flight), for comparison. */
async function apiEditRate(tenant: Tenant, contacts: string[], edits: number): Promise<number> {
  const started = Date.now();
  await inPool(
    Array.from({ length: edits }, (_, i) => i),
    16,
    (i) =>
      tenant.api.ok('PATCH', `/tenants/${tenant.slug}/contacts/${contacts[i % contacts.length]}`, {
        title: `Api edit ${i}`,
      }),
  );
  return edits / ((Date.now() - started) / 1000);
}

async function phonebookRenders(url: string): Promise<number> {
  return sumMetric(await scrape(url), 'provd_renders_total', { kind: 'phonebook' });
}

/**
 * 5. Burst coalescing: 10,000 contact edits (paced at 1,000/s, spread over the contacts of 2
 * phonebooks) → how many renders each phonebook variant got (the worker's
 * provd_renders_total{kind="phonebook"}, before vs after the pipeline settles). The bar: bounded
 * by the debounce window (duration / 250 ms + 2 per variant), not by the edit count.
 */
export const burstCoalescing: Benchmark = {
  name: 'burst-coalescing',
  title: 'Burst coalescing: 10,000 contact edits in 10 s → renders per phonebook',
  defaultRuns: 3,
  async run({ scale, runs, log }) {
    const edits = scaled(10_000, scale, 20);
    const plannedSeconds = Math.max(1, 10 * scale);
    const stack = await startStack('burst-coalescing');
    const raw: unknown[] = [];
    try {
      await stack.startServices();
      const tenant = await createTenant(stack.adminUrl, stack.platformToken, 'burst', 10);
      const contacts: string[] = [];
      for (let b = 0; b < PHONEBOOKS; b++) {
        const book = await createPhonebook(tenant, `Book ${b}`);
        await importContacts(tenant, book.id, CONTACTS_PER_BOOK, b + 1);
        contacts.push(...(await contactIds(tenant, book.id)));
      }
      const watch = await PipelineWatch.open(stack.databaseUrl, tenant.slug);
      let variants = 0;
      let apiRate = 0;
      const perVariant: number[] = [];
      const perBook: number[] = [];
      const rates: number[] = [];
      const bounds: number[] = [];
      try {
        await watch.converged(300_000);
        variants = (
          await watch.query<{ n: number }>(
            `select count(*)::int as n from render_targets where tenant_id = $1 and kind = 'phonebook'`,
            [watch.tenantId],
          )
        )[0]!.n;
        apiRate = await apiEditRate(tenant, contacts, Math.min(200, edits));
        await watch.converged(600_000);
        log(`admin API: ${apiRate.toFixed(0)} contact edits/s`);
        for (let run = 0; run < runs; run++) {
          const before = await phonebookRenders(stack.workerMetricsUrl);
          const started = Date.now();
          await sqlBurst(stack.databaseUrl, contacts, edits, plannedSeconds, run);
          const burstSeconds = (Date.now() - started) / 1000;
          await watch.converged(600_000);
          await sleep(500);
          const renders = (await phonebookRenders(stack.workerMetricsUrl)) - before;
          const bound = Math.ceil((burstSeconds * 1000) / WINDOW_MS) + 2;
          perVariant.push(renders / variants);
          perBook.push(renders / PHONEBOOKS);
          rates.push(edits / burstSeconds);
          bounds.push(bound);
          raw.push({
            run,
            edits,
            burstSeconds,
            renders,
            variants,
            bound,
            settleSeconds: (Date.now() - started) / 1000 - burstSeconds,
          });
          log(
            `run ${run + 1}: ${edits} edits in ${burstSeconds.toFixed(1)} s, ${renders} phonebook renders (${(renders / variants).toFixed(1)} per variant, bound ${bound})`,
          );
        }
      } finally {
        await watch.close();
      }
      const bound = Math.max(...bounds);
      return {
        parameters: {
          edits,
          plannedSeconds,
          phonebooks: PHONEBOOKS,
          formats: variants / PHONEBOOKS,
          contactsPerBook: CONTACTS_PER_BOOK,
          windowMs: WINDOW_MS,
        },
        metrics: [
          metricOf('rendersPerVariant', 'Renders per phonebook variant (one format)', '', perVariant, {
            text: `≤ burst time / ${WINDOW_MS} ms + 2 (${bound})`,
            met: (v) => v <= bound,
          }),
          metricOf(
            'rendersPerBook',
            `Renders per phonebook (all ${variants / PHONEBOOKS} formats), ${edits / PHONEBOOKS} edits each`,
            '',
            perBook,
          ),
          metricOf('editsPerSecond', 'Edits per second achieved (SQL, paced)', 'edits/s', rates, {
            text: `${Math.round(edits / plannedSeconds)}/s planned`,
            met: (v) => v >= 0.9 * (edits / plannedSeconds),
          }),
          metricOf(
            'apiEditsPerSecond',
            'Contact edits per second through the admin API (PATCH, 16 in flight)',
            'edits/s',
            [apiRate],
          ),
        ],
        notes: [
          "Each edit is one UPDATE of a contact title, captured by the trigger like any write; written straight to Postgres because the admin API's edit rate (reported separately) cannot produce 1,000 edits/s here.",
          'Renders counted from the worker\'s provd_renders_total{kind="phonebook"} (every outcome), from before the burst until the pipeline has settled.',
        ],
        raw,
      };
    } finally {
      await stack.stop();
    }
  },
};
