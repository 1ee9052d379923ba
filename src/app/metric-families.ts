import type { MikroORM } from '@mikro-orm/postgresql';
import type { Registry } from 'prom-client';
import { notifyMetrics, registerQueueDepthGauge } from '../modules/notify/jobs/notify.metrics.js';
import { phoneMetrics } from '../modules/phone/phone.metrics.js';
import { measureOutboxOnScrape, pipelineMetrics } from '../modules/pipeline/pipeline.metrics.js';
import type { Queues } from '../queues/queues.js';

/**
 * Every provd family in every process's registry from the start (admin, phone, worker), so a
 * scrape of any process lists them all and a dashboard never sees a family appear only once its
 * first event happened. Counters start at 0 where the process does not do that work; the two
 * state families (queue depth, outbox depth) are read from Redis and Postgres on each scrape, so
 * every process reports the real value rather than a 0 of its own.
 */
export function registerAllFamilies(registry: Registry, orm: MikroORM, queues: Queues): void {
  pipelineMetrics(registry);
  measureOutboxOnScrape(registry, orm);
  notifyMetrics(registry);
  registerQueueDepthGauge(registry, queues);
  phoneMetrics(registry);
}
