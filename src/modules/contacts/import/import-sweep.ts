import { rm } from 'node:fs/promises';
import type { Deps } from '../../../deps/deps.js';

/** One BullMQ job per import, whatever queued it. */
export function importJobId(importId: string): string {
  return `contacts-import-${importId}`;
}

/** Requeues per import before it is given up as one that keeps stopping its worker. */
export const MAX_IMPORT_REQUEUES = 10;

/** The API inserts the row, then queues its job: younger rows may still be between the two. */
const SETTLE_SECONDS = 15;

/**
 * Imports whose row says queued or running but which no live job will ever run again, queued
 * once more. That happens when Redis loses the job (FLUSHALL, a Redis restarted without its
 * data) or when BullMQ fails it without running the handler (a worker killed in the middle of
 * it more often than its stall limit allows). The job resumes after the last committed batch,
 * so a requeue neither skips nor repeats rows. Bounded: an import requeued more than
 * MAX_IMPORT_REQUEUES times (the counter lives in Redis for a day) is marked failed.
 */
export async function requeueStrandedImports(
  deps: Pick<Deps, 'orm' | 'queues' | 'redis' | 'config' | 'logger'>,
): Promise<number> {
  const knex = deps.orm.em.getKnex();
  const result = await knex.raw(
    `select id, file_path from contact_imports
      where status in ('queued', 'running') and updated_at < now() - make_interval(secs => ?)
      order by created_at limit 100`,
    [SETTLE_SECONDS],
  );
  const queue = deps.queues.get('import');
  let requeued = 0;
  for (const row of result.rows as { id: string; file_path: string | null }[]) {
    const job = await queue.getJob(importJobId(row.id));
    if (job) {
      const state = await job.getState();
      if (state !== 'failed' && state !== 'completed' && state !== 'unknown') continue;
      await job.remove();
    }
    const counter = `${deps.config.queuePrefix}:import-requeues:${row.id}`;
    const requeues = await deps.redis.incr(counter);
    await deps.redis.expire(counter, 24 * 3600);
    if (requeues > MAX_IMPORT_REQUEUES) {
      await knex.raw(
        `update contact_imports set status = 'failed', failure = ?, file_path = null, finished_at = now(), updated_at = now() where id = ? and status in ('queued', 'running')`,
        ['the import stopped its worker repeatedly; rows before the failure were kept', row.id],
      );
      if (row.file_path) await rm(row.file_path, { force: true });
      deps.logger.warn({ importId: row.id, requeues }, 'contacts import given up after repeated requeues');
      continue;
    }
    await deps.queues.add('import', 'contacts.import', { importId: row.id }, { jobId: importJobId(row.id) });
    deps.logger.warn({ importId: row.id, requeues }, 'contacts import had no live job; requeued');
    requeued += 1;
  }
  return requeued;
}
