import type { MikroORM } from '@mikro-orm/postgresql';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Depth and age of the oldest row of change_outbox; any process can read it. */
export type OutboxReader = () => Promise<{ depth: number; lagSeconds: number }>;

export function createPipelineMetrics(registry: Registry) {
  // Read from Postgres on scrape when a reader is set (every process: the admin process has no
  // relay but must not export a made-up 0); the relay also sets them after each batch.
  const outbox: { read?: OutboxReader; last?: Promise<{ depth: number; lagSeconds: number } | undefined> } = {};
  const reading = () =>
    (outbox.last ??= (outbox.read?.() ?? Promise.resolve(undefined))
      .catch(() => undefined)
      .finally(() => (outbox.last = undefined)));
  return {
    outbox,
    outboxDepth: new Gauge({
      name: 'provd_outbox_depth',
      help: 'Captured changes not yet relayed',
      registers: [registry],
      async collect() {
        const row = await reading();
        if (row) this.set(row.depth);
      },
    }),
    outboxLagSeconds: new Gauge({
      name: 'provd_outbox_lag_seconds',
      help: 'Age of the oldest unrelayed change',
      registers: [registry],
      async collect() {
        const row = await reading();
        if (row) this.set(row.lagSeconds);
      },
    }),
    relayedChanges: new Counter({
      name: 'provd_relayed_changes_total',
      help: 'Outbox rows relayed',
      registers: [registry],
    }),
    relayErrors: new Counter({
      name: 'provd_relay_errors_total',
      help: 'Relay batches that failed and were retried',
      registers: [registry],
    }),
    bumpedTargets: new Counter({
      name: 'provd_target_bumps_total',
      help: 'Desired-generation bumps of render targets',
      registers: [registry],
    }),
    renders: new Counter({
      name: 'provd_renders_total',
      help: 'Target renders by kind and outcome',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    renderFailures: new Counter({
      name: 'provd_render_failures_total',
      help: 'Failed target renders by kind and reason (sip_server_missing, provisioning_url_missing, render_error, internal)',
      labelNames: ['kind', 'reason'] as const,
      registers: [registry],
    }),
    renderDuration: new Histogram({
      name: 'provd_render_duration_seconds',
      help: 'Time to render and store one target',
      labelNames: ['kind'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    renderBatchSize: new Histogram({
      name: 'provd_render_batch_size',
      help: 'Targets a render worker rendered and stored together',
      buckets: [1, 2, 5, 10, 25, 50, 100, 200, 500],
      registers: [registry],
    }),
    sweeperRequeued: new Counter({
      name: 'provd_sweeper_requeued_total',
      help: 'Lagging targets re-enqueued by the sweeper',
      registers: [registry],
    }),
  };
}

export type PipelineMetrics = ReturnType<typeof createPipelineMetrics>;

const cache = new WeakMap<Registry, PipelineMetrics>();

/** One set per registry (prom-client refuses duplicate names). */
export function pipelineMetrics(registry: Registry): PipelineMetrics {
  let metrics = cache.get(registry);
  if (!metrics) {
    metrics = createPipelineMetrics(registry);
    cache.set(registry, metrics);
  }
  return metrics;
}

/** One count and one min() over change_outbox (the relay's own measurement). */
export async function readOutbox(orm: MikroORM): Promise<{ depth: number; lagSeconds: number }> {
  const result = await orm.em
    .getKnex()
    .raw(
      `select count(*)::int as n, coalesce(extract(epoch from now() - min(created_at)), 0)::float as age from change_outbox`,
    );
  const row = result.rows[0] as { n: number; age: number };
  return { depth: row.n, lagSeconds: row.age };
}

/** Makes this process's scrape read the outbox gauges from Postgres (Postgres unreachable: last value kept). */
export function measureOutboxOnScrape(registry: Registry, orm: MikroORM): void {
  pipelineMetrics(registry).outbox.read = () => readOutbox(orm);
}
