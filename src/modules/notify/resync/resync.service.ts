import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import type { Knex } from '@mikro-orm/postgresql';
import type { Queues } from '../../../queues/queues.js';
import type { Principal } from '../../auth/principal.js';
import { REACHABLE_SQL } from '../jobs/hash-changed.hook.js';
import { loadStoredNotifierSettings } from '../settings/notifier-driver-config.js';
import type { IdempotencyStore } from './idempotency.js';
import type { ResyncPayload } from './resync-scope.js';
import type { JobViewType, WarningType } from './resync.schemas.js';

/** Kept as long as an idempotency key can point at it, so a replayed answer names a job that still exists. */
const RESYNC_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10000 },
};

/** Queues the resync job, or answers with the job of an earlier request carrying the same key. */
export async function requestResync(
  deps: { queues: Queues; idempotency: IdempotencyStore },
  payload: ResyncPayload,
  idempotency: { scope: string; key: string } | undefined,
): Promise<{ jobId: string; replayed: boolean }> {
  const jobId = `resync-${randomUUID()}`;
  if (idempotency) {
    const claimed = await deps.idempotency.claim(
      idempotency.scope,
      idempotency.key,
      JSON.stringify({ reboot: payload.reboot }),
      jobId,
    );
    if (claimed.replayed) return claimed;
  }
  try {
    await deps.queues.add('notify', 'notify.resync', payload, { ...RESYNC_JOB_OPTIONS, jobId });
  } catch (error) {
    if (idempotency) await deps.idempotency.release(idempotency.scope, idempotency.key).catch(() => undefined);
    throw error;
  }
  return { jobId, replayed: false };
}

/** Queues whose jobs the jobs API shows. A tenant token sees only jobs whose payload names its tenant. */
const VISIBLE_QUEUES = ['notify'] as const;

export async function findVisibleJob(queues: Queues, principal: Principal, id: string): Promise<Job | undefined> {
  for (const name of VISIBLE_QUEUES) {
    const job = await queues.get(name).getJob(id);
    if (!job) continue;
    const tenantId = (job.data as { tenantId?: unknown }).tenantId;
    if (principal.role === 'platform' || (typeof tenantId === 'string' && tenantId === principal.tenantId)) return job;
  }
  return undefined;
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

export async function jobView(job: Job): Promise<JobViewType> {
  return {
    id: String(job.id),
    name: job.name,
    state: await job.getState(),
    progress: job.progress ?? null,
    result: job.returnvalue ?? null,
    failedReason: job.failedReason || null,
    attemptsMade: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    processedAt: iso(job.processedOn),
    finishedAt: iso(job.finishedOn),
  };
}

export const NO_NOTIFIER_WARNING: WarningType = {
  code: 'no_notifier_configured',
  message:
    'no notifier is configured for this tenant: files are re-rendered, no phone is told to fetch them (PUT /tenants/{tenant}/notifier)',
};

/**
 * The tenant's notifier driver and what the caller of a resync should know about it: with the
 * default driver (none) a resync still re-renders but tells no phone, which an accepted 202
 * alone would hide.
 */
export async function notifierOf(knex: Knex, tenantId: string): Promise<{ notifier: string; warnings: WarningType[] }> {
  const notifier = (await loadStoredNotifierSettings(knex, tenantId))?.driver ?? 'none';
  return { notifier, warnings: notifier === 'none' ? [NO_NOTIFIER_WARNING] : [] };
}

export interface ResyncReach {
  /** Devices the resync re-renders. */
  devices: number;
  /** Of them, the phones a NOTIFY is sent to (runResync's rule: a notifier is set and the phone is reachable). */
  notified: number;
  /** The tenant's notifier driver; 'none' when no notifier is configured. */
  driver: string;
}

/** What a resync of `scope` (resync-scope.ts) would reach, counted before it is asked for. */
export async function resyncReach(
  knex: Knex,
  tenantId: string,
  scope: { sql: string; bindings: unknown[] },
): Promise<ResyncReach> {
  const driver = (await loadStoredNotifierSettings(knex, tenantId))?.driver ?? 'none';
  const result = await knex.raw(
    `select count(*)::int as devices, count(*) filter (where ${REACHABLE_SQL})::int as reachable
       from devices d left join device_last_seen ls on ls.device_id = d.id where ${scope.sql}`,
    scope.bindings,
  );
  const row = result.rows[0] as { devices: number; reachable: number };
  return { devices: row.devices, notified: driver === 'none' ? 0 : row.reachable, driver };
}
