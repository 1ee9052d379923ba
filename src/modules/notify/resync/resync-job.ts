import type { Job } from 'bullmq';
import type { Knex } from '@mikro-orm/postgresql';
import type { Config } from '../../../config/config.js';
import { deviceTarget } from '../../pipeline/fanout.types.js';
import { enqueueRenders } from '../../pipeline/render-jobs.js';
import { bumpTargets } from '../../pipeline/targets.js';
import { startRound } from '../jobs/device-sync.writes.js';
import { REACHABLE_SQL } from '../jobs/hash-changed.hook.js';
import { enqueueNotifies, type NotifyScheduler } from '../jobs/notify-enqueue.js';
import { loadStoredNotifierSettings, ratePerSecondOf } from '../settings/notifier-driver-config.js';
import { resyncScopeSql, type ResyncPayload } from './resync-scope.js';

export interface ResyncJobDeps {
  knex: Knex;
  config: Pick<Config, 'notifyRatePerSecond'>;
  scheduler: NotifyScheduler;
}

export interface ResyncProgress {
  total: number;
  processed: number;
  notifies: number;
  /** Last device id handled: a re-run of this job (after a crash) continues from here. */
  lastId: string | null;
}

export interface ResyncResult {
  devices: number;
  renders: number;
  notifies: number;
  driver: string;
}

const BATCH = 1000;

/**
 * An admin resync: every covered device's render target is bumped (a re-render whose bytes are
 * unchanged notifies nothing by itself), and every reachable device gets an admin notify, placed by
 * the tenant's rate limiter — so a whole-tenant resync is spread out, not fired at once. Works in
 * batches of 1,000 devices with progress saved on the job after each.
 */
export async function runResync(
  deps: ResyncJobDeps,
  payload: ResyncPayload,
  job?: Pick<Job, 'progress' | 'updateProgress'>,
): Promise<ResyncResult> {
  const { knex } = deps;
  const scope = resyncScopeSql(payload);
  const settings = await loadStoredNotifierSettings(knex, payload.tenantId);
  const driver = settings?.driver ?? 'none';
  const rate = ratePerSecondOf(settings, deps.config);
  const counted = await knex.raw(`select count(*)::int as n from devices d where ${scope.sql}`, scope.bindings);
  const saved = (typeof job?.progress === 'object' ? job.progress : {}) as Partial<ResyncProgress>;
  const progress: ResyncProgress = {
    total: (counted.rows[0] as { n: number }).n,
    processed: saved.processed ?? 0,
    notifies: saved.notifies ?? 0,
    lastId: saved.lastId ?? null,
  };
  let renders = 0;

  for (;;) {
    const result = await knex.raw(
      `select d.id, ${REACHABLE_SQL} as reachable from devices d left join device_last_seen ls on ls.device_id = d.id
        where ${scope.sql} and (?::uuid is null or d.id > ?::uuid) order by d.id limit ?`,
      [...scope.bindings, progress.lastId, progress.lastId, BATCH],
    );
    const rows = result.rows as { id: string; reachable: boolean }[];
    if (rows.length === 0) break;
    const bumped = await knex.transaction((trx) =>
      bumpTargets(
        trx,
        rows.map((row) => deviceTarget(payload.tenantId, row.id)),
      ),
    );
    await enqueueRenders(deps.scheduler.queues, bumped);
    renders += bumped.length;
    if (driver !== 'none') {
      const reachable = rows.filter((row) => row.reachable).map((row) => row.id);
      await startRound(knex, payload.tenantId, reachable);
      await enqueueNotifies(
        deps.scheduler,
        payload.tenantId,
        rate,
        reachable.map((deviceId) => ({ deviceId, reason: 'admin' as const, reboot: payload.reboot, attempt: 1 })),
      );
      progress.notifies += reachable.length;
    }
    progress.processed += rows.length;
    progress.lastId = rows[rows.length - 1]!.id;
    await job?.updateProgress({ ...progress });
  }
  return { devices: progress.processed, renders, notifies: progress.notifies, driver };
}
