import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../../../config/config.js';
import { isResyncVendor, resolveResyncEvent } from '../resync-events.js';
import type { NotifyOutcome, ResyncEvent } from '../notifier.js';
import { loadStoredNotifierSettings, ratePerSecondOf } from '../settings/notifier-driver-config.js';
import { deviceSyncRow } from '../sync/sync-state.sql.js';
import { isCurrentRound, recordOutcome } from './device-sync.writes.js';
import type { NotifierPool } from './notifier-pool.js';
import { enqueueNotifies, nextAttemptDelayMs, type NotifyPayload, type NotifyScheduler } from './notify-enqueue.js';
import { notifyResult, type NotifyMetrics } from './notify.metrics.js';
import { loadNotifyDevice, notifyTargetFor, type NotifyDevice } from './notify-target.js';

export interface NotifyHandlerDeps {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  pool: NotifierPool;
  scheduler: NotifyScheduler;
  metrics: NotifyMetrics;
}

export interface NotifyJobResult {
  status: 'gone' | 'superseded' | 'in-sync' | 'stale' | 'skipped' | 'notified' | 'retrying';
  reason?: string;
  nextDelayMs?: number;
}

/**
 * One step of a device's notify round. Attempt 1 sends (a hash-changed one only if the phone has
 * not fetched the new files already); attempt n > 1 first looks whether the phone caught up since,
 * and otherwise sends again, until notifyMaxAttempts sends, after which the device is stale.
 * Outcomes are returned, not thrown, so BullMQ retries only real failures (database, Redis).
 */
export async function notifyDevice(deps: NotifyHandlerDeps, payload: NotifyPayload): Promise<NotifyJobResult> {
  const knex = deps.orm.em.getKnex();
  const { attempt } = payload;
  const device = await loadNotifyDevice(knex, payload.deviceId);
  if (!device) return { status: 'gone' };
  if (attempt > 1 && !(await isCurrentRound(knex, device.id, attempt))) return { status: 'superseded' };

  const sync = await deviceSyncRow(knex, device.id);
  if (sync?.state === 'in-sync' && (attempt > 1 || payload.reason === 'hash-changed')) {
    await recordOutcome(knex, device, { state: 'in-sync' });
    return { status: 'in-sync' };
  }
  const max = deps.config.notifyMaxAttempts;
  if (attempt > max) {
    const staleReason = `not in sync after ${max} notif${max === 1 ? 'y' : 'ies'} (last: ${device.lastOutcome ?? 'none'})`;
    await recordOutcome(knex, device, { state: 'stale', staleReason });
    deps.logger.info({ deviceId: device.id, reason: staleReason }, 'device stale');
    return { status: 'stale', reason: staleReason };
  }
  if (device.status === 'disabled' || !isResyncVendor(device.vendor))
    return skip(deps, device, 'none', 'device disabled');

  const settings = await loadStoredNotifierSettings(knex, device.tenantId);
  const driver = settings?.driver ?? 'none';
  if (!settings || driver === 'none') return skip(deps, device, driver, 'notifier disabled');

  const { target, overrides } = await notifyTargetFor(deps.orm, deps.config, device, settings);
  // A reboot is only ever what an admin asked for; a retry after a delivered notify never reboots.
  const reboot = payload.reason === 'admin' && payload.reboot === true;
  let event: ResyncEvent;
  try {
    event = resolveResyncEvent(device.vendor, { reboot, overrides });
  } catch {
    return finish(deps, device, payload, driver, {
      ok: false,
      reason: 'invalid resync event override in the profile',
      retryable: false,
    });
  }
  const outcome = await deps.pool.get(device.tenantId, settings).notify(target, event);
  return finish(deps, device, payload, driver, outcome, ratePerSecondOf(settings, deps.config));
}

async function skip(
  deps: NotifyHandlerDeps,
  device: NotifyDevice,
  driver: string,
  reason: string,
): Promise<NotifyJobResult> {
  deps.metrics.outcomes.inc({ driver, result: 'skipped' });
  await recordOutcome(deps.orm.em.getKnex(), device, { state: 'pending', outcome: reason });
  return { status: 'skipped', reason };
}

async function finish(
  deps: NotifyHandlerDeps,
  device: NotifyDevice,
  payload: NotifyPayload,
  driver: string,
  outcome: NotifyOutcome,
  ratePerSecond = deps.config.notifyRatePerSecond,
): Promise<NotifyJobResult> {
  const knex = deps.orm.em.getKnex();
  const { attempt } = payload;
  const result = notifyResult(outcome);
  deps.metrics.outcomes.inc({ driver, result });
  deps.logger.info({ deviceId: device.id, driver, attempt, result, reason: outcome.reason }, 'notify sent');

  const retry = outcome.ok || (outcome.retryable && attempt < deps.config.notifyMaxAttempts);
  if (!retry) {
    const staleReason = outcome.retryable ? `${outcome.reason} (after ${attempt} attempts)` : outcome.reason;
    await recordOutcome(knex, device, { state: 'stale', attempt, outcome: outcome.reason, staleReason });
    return { status: 'stale', reason: staleReason };
  }
  await recordOutcome(knex, device, { state: outcome.ok ? 'notified' : 'pending', attempt, outcome: outcome.reason });
  const nextDelay = nextAttemptDelayMs(outcome.ok ? 'delivered' : 'failed', attempt, deps.config);
  const now = Date.now();
  const next: NotifyPayload = { deviceId: device.id, reason: payload.reason, attempt: attempt + 1 };
  if (payload.reboot === true && !outcome.ok) next.reboot = true;
  const [delay] = await enqueueNotifies(deps.scheduler, device.tenantId, ratePerSecond, [next], {
    nowMs: now,
    notBeforeMs: now + nextDelay,
  });
  return { status: outcome.ok ? 'notified' : 'retrying', reason: outcome.reason, nextDelayMs: delay };
}
