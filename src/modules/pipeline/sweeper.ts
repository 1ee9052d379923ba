import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Queues } from '../../queues/queues.js';
import type { PipelineMetrics } from './pipeline.metrics.js';
import { enqueueRenders, type RenderJobRequest } from './render-jobs.js';

/** How long a target that exhausted its retries rests before the sweeper tries it again. */
export const FAILED_RETRY_AFTER_SECONDS = 300;

/**
 * Re-enqueues every target whose rendered generation lags its desired generation. Postgres is
 * the truth: after a Redis flush or a lost job, this alone restores convergence.
 */
export async function sweepLaggingTargets(
  orm: MikroORM,
  queues: Queues,
  metrics: PipelineMetrics,
  limit = 10000,
): Promise<number> {
  const result = await orm.em.getKnex().raw(
    `select id, kind, desired_gen from render_targets
      where rendered_gen < desired_gen
        and (state <> 'failed' or updated_at < now() - make_interval(secs => ?))
      order by updated_at limit ?`,
    [FAILED_RETRY_AFTER_SECONDS, limit],
  );
  const lagging: RenderJobRequest[] = (result.rows as { id: string; kind: string; desired_gen: string }[]).map(
    (row) => ({
      id: String(row.id),
      kind: row.kind,
      desiredGen: String(row.desired_gen),
    }),
  );
  await enqueueRenders(queues, lagging);
  metrics.sweeperRequeued.inc(lagging.length);
  return lagging.length;
}

export const SWEEP_SCHEDULER_ID = 'pipeline-sweeper';

/** Registers the sweep as a BullMQ job scheduler: one sweep per interval across all processes. */
export async function scheduleSweeper(queues: Queues, everyMs: number): Promise<void> {
  await queues
    .get('pipeline')
    .upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: everyMs },
      { name: 'pipeline.sweep', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
}

/**
 * Keeps the sweep scheduled. The scheduler lives in Redis like everything else, so a FLUSHALL
 * (or a Redis restarted without its data) removes it — and the sweep is the one thing that
 * brings renders lost with Redis back. Checked every interval; restoring is idempotent across
 * relays. A schedule whose next run is long overdue (its delayed job lost) is restored too.
 */
export function keepSweeperScheduled(queues: Queues, everyMs: number, logger: Logger): { stop: () => void } {
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      const scheduler = await queues.get('pipeline').getJobScheduler(SWEEP_SCHEDULER_ID);
      if (!scheduler || !scheduler.next || scheduler.next < Date.now() - 3 * everyMs) {
        await scheduleSweeper(queues, everyMs);
        logger.warn({ scheduler: SWEEP_SCHEDULER_ID }, 'sweep schedule was missing from Redis; restored');
      }
    } catch {
      // Redis unreachable: the next round tries again.
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
