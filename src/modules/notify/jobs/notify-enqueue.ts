import type { JobsOptions } from 'bullmq';
import type { JobPayload } from '../../../queues/catalogue.js';
import type { Queues } from '../../../queues/queues.js';
import type { NotifyRateLimiter } from './rate-limiter.js';

export type NotifyPayload = JobPayload<'notify', 'notify.device'>;

export interface NotifyScheduler {
  queues: Queues;
  limiter: NotifyRateLimiter;
}

/**
 * BullMQ's own retries are for a worker that crashed or lost its database; a phone that does not
 * answer is a returned outcome, re-asked by a new job (attempt + 1) the handler schedules itself.
 */
export const NOTIFY_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { count: 10000, age: 24 * 3600 },
  removeOnFail: { count: 10000, age: 7 * 24 * 3600 },
};

/**
 * Adds notify jobs for one tenant, each delayed to the place the tenant's rate limiter gave it.
 * A burst of hash changes to one device collapses into the first queued notify (its job still
 * makes the phone fetch the latest bytes); admin requests and retries are never collapsed.
 * Returns the delays, in payload order.
 */
export async function enqueueNotifies(
  scheduler: NotifyScheduler,
  tenantId: string,
  ratePerSecond: number,
  payloads: NotifyPayload[],
  timing: { nowMs?: number; notBeforeMs?: number } = {},
): Promise<number[]> {
  if (payloads.length === 0) return [];
  const nowMs = timing.nowMs ?? Date.now();
  const delays = await scheduler.limiter.reserve(tenantId, payloads.length, ratePerSecond, { ...timing, nowMs });
  await scheduler.queues.get('notify').addBulk(
    payloads.map((data, index) => ({
      name: 'notify.device',
      data,
      opts: {
        ...NOTIFY_JOB_OPTIONS,
        // BullMQ runs a delayed job at timestamp + delay: anchoring the timestamp to the limiter's
        // "now" keeps the time it reserved exact, however long adding a batch takes.
        timestamp: nowMs,
        delay: delays[index]!,
        ...(data.reason === 'hash-changed' && data.attempt === 1
          ? { deduplication: { id: `hash-${data.deviceId}` } }
          : {}),
      },
    })),
  );
  return delays;
}

/** Delay before attempt `attempt + 1`: the sync window after a delivered notify, the retry backoff after a failed one; both double per attempt. */
export function nextAttemptDelayMs(
  after: 'delivered' | 'failed',
  attempt: number,
  config: { notifySyncTimeoutMs: number; notifyRetryBackoffMs: number },
): number {
  const base = after === 'delivered' ? config.notifySyncTimeoutMs : config.notifyRetryBackoffMs;
  return Math.min(base * 2 ** Math.max(0, attempt - 1), 24 * 3600 * 1000);
}
