import { Counter, Gauge, type Registry } from 'prom-client';
import type { Queues } from '../../../queues/queues.js';
import type { NotifyOutcome } from '../notifier.js';

export type NotifyResult = 'ok' | 'rejected' | 'timeout' | 'error' | 'skipped';

/** How a driver's outcome is counted: a final SIP/AMI refusal, no answer at all, or trouble on the way. */
export function notifyResult(outcome: NotifyOutcome): NotifyResult {
  if (outcome.ok) return 'ok';
  if (outcome.status !== undefined) return 'rejected';
  if (/timeout|timed out/i.test(outcome.reason)) return 'timeout';
  return 'error';
}

function createNotifyMetrics(registry: Registry) {
  return {
    outcomes: new Counter({
      name: 'provd_notify_outcomes_total',
      help: 'Resync notifications by driver and result (ok, rejected, timeout, error, skipped)',
      labelNames: ['driver', 'result'] as const,
      registers: [registry],
    }),
  };
}

export type NotifyMetrics = ReturnType<typeof createNotifyMetrics>;

const notifyCache = new WeakMap<Registry, NotifyMetrics>();
const depthRegistered = new WeakSet<Registry>();

/** One set per registry (prom-client refuses duplicate names). */
export function notifyMetrics(registry: Registry): NotifyMetrics {
  let metrics = notifyCache.get(registry);
  if (!metrics) {
    metrics = createNotifyMetrics(registry);
    notifyCache.set(registry, metrics);
  }
  return metrics;
}

const COUNTED_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/**
 * Jobs per queue and state, read from BullMQ when the registry is scraped (not on a timer), so
 * the numbers are as fresh as the scrape. With Redis unreachable the gauge is simply left empty.
 */
export function registerQueueDepthGauge(registry: Registry, queues: Queues): void {
  if (depthRegistered.has(registry)) return;
  depthRegistered.add(registry);
  new Gauge({
    name: 'provd_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, prioritized, failed)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.all().map(async (queue) => {
          const counts = await queue.getJobCounts(...COUNTED_STATES).catch(() => undefined);
          if (!counts) return;
          for (const state of COUNTED_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
}
