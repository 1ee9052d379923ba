import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../../../config/config.js';
import { ratePerSecondOf } from '../settings/notifier-driver-config.js';
import { enqueueNotifies, type NotifyScheduler } from './notify-enqueue.js';

/**
 * Whether a notify could reach the device at all. A phone that never fetched anything has no
 * address to send to and nothing to re-fetch (it is not provisioned yet), unless an admin gave it a
 * `sipContact`. Skipping those keeps a first render of 100,000 new devices from queueing 100,000
 * pointless notifies ahead of real ones. Aliases: d devices, ls device_last_seen.
 */
export const REACHABLE_SQL = `(d.status <> 'disabled' and (ls.device_id is not null or d.overrides ->> 'sipContact' is not null))`;

export interface HashHookDeps {
  knex: Knex;
  config: Pick<Config, 'notifyRatePerSecond'>;
  logger: Logger;
  scheduler: NotifyScheduler;
}

/**
 * The render worker's onDeviceHashChanged: the device's files changed, so a new notify round
 * starts (pending) and, when the tenant pushes and the phone is reachable, a notify is queued at
 * the tenant's pace. A device never seen gets no device_sync row (its state reads never-seen). Renders with unchanged bytes never call this, so they notify nothing.
 * Failures are logged, not thrown: the render itself succeeded and must not be re-run for this,
 * and the phone still picks the change up on its own periodic resync.
 */
export function onDeviceHashChanged(deps: HashHookDeps) {
  const batch = onDevicesHashChanged(deps);
  return (target: { refId: string; tenantId: string }): Promise<void> => batch([target]);
}

/**
 * The same for a render batch: one statement for every changed device, one enqueue per tenant
 * (a per-device round trip cost the database more than rendering the device did).
 */
export function onDevicesHashChanged(deps: HashHookDeps) {
  return async (targets: readonly { refId: string; tenantId: string }[]): Promise<void> => {
    if (targets.length === 0) return;
    const tenantOf = new Map(targets.map((target) => [target.refId, target.tenantId]));
    const deviceIds = [...tenantOf.keys()];
    try {
      // One round trip: read reachability and the tenant's driver, and start a new round (pending,
      // no attempts) for a device that can be notified or already has a round to reset. Rows are
      // written in id order, so two concurrent batches cannot deadlock on device_sync.
      const result = await deps.knex.raw(
        `with info as (
           select d.id, d.tenant_id, ${REACHABLE_SQL} as reachable, s.driver, s.rate_per_second
             from devices d
             left join device_last_seen ls on ls.device_id = d.id
             left join tenant_notifier_settings s on s.tenant_id = d.tenant_id
            where d.id = any(?::uuid[])),
         round as (
           insert into device_sync (device_id, tenant_id, state, attempts, stale_reason, updated_at)
           select id, tenant_id, 'pending', 0, null, now() from info
            where reachable or exists (select 1 from device_sync where device_id = info.id)
            order by id
           on conflict (device_id) do update set state = 'pending', attempts = 0, stale_reason = null, updated_at = now())
         select id, reachable, driver, rate_per_second from info order by id`,
        [deviceIds],
      );
      const byTenant = new Map<string, { rate: number; deviceIds: string[] }>();
      for (const row of result.rows as {
        id: string;
        reachable: boolean;
        driver: string | null;
        rate_per_second: number | null;
      }[]) {
        if (!row.reachable || !row.driver || row.driver === 'none') continue;
        const tenantId = tenantOf.get(row.id)!;
        const entry = byTenant.get(tenantId) ?? {
          rate: ratePerSecondOf({ ratePerSecond: row.rate_per_second }, deps.config),
          deviceIds: [],
        };
        entry.deviceIds.push(row.id);
        byTenant.set(tenantId, entry);
      }
      for (const [tenantId, { rate, deviceIds: ids }] of byTenant) {
        await enqueueNotifies(
          deps.scheduler,
          tenantId,
          rate,
          ids.map((deviceId) => ({ deviceId, reason: 'hash-changed' as const, attempt: 1 })),
        );
      }
    } catch (error) {
      const devices = deviceIds.length === 1 ? { deviceId: deviceIds[0] } : { deviceIds: deviceIds.length };
      deps.logger.warn({ ...devices, err: { message: (error as Error).message } }, 'could not queue the resync notify');
    }
  };
}
