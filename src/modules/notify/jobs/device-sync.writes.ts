import type { Knex } from '@mikro-orm/postgresql';

/**
 * The notify worker's writes to device_sync, one statement each. Text columns are cut to their
 * width here: reasons come from phones and PBXs.
 */
const cut = (text: string) => text.slice(0, 300);

/**
 * Whether attempt `attempt` (> 1) still belongs to the device's current round: its predecessor
 * recorded attempt - 1 sends. A newer change or resync resets the count to 0, so the leftover
 * jobs of an older round find a different count and stop.
 */
export async function isCurrentRound(knex: Knex, deviceId: string, attempt: number): Promise<boolean> {
  const result = await knex.raw(`select 1 from device_sync where device_id = ? and attempts = ?`, [
    deviceId,
    attempt - 1,
  ]);
  return result.rows.length > 0;
}

/** Starts a new round for these devices: pending, no attempts yet, no stale reason. */
export async function startRound(knex: Knex, tenantId: string, deviceIds: string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await knex.raw(
    `insert into device_sync (device_id, tenant_id, state, attempts, stale_reason, updated_at)
     select id, ?, 'pending', 0, null, now() from unnest(?::uuid[]) as id
     on conflict (device_id) do update set state = 'pending', attempts = 0, stale_reason = null, updated_at = now()`,
    [tenantId, deviceIds],
  );
}

/** Records what a notify attempt (or the check after it) found; creates the row if a producer did not. */
export async function recordOutcome(
  knex: Knex,
  device: { id: string; tenantId: string },
  change: {
    state: 'notified' | 'pending' | 'stale' | 'in-sync';
    attempt?: number;
    outcome?: string;
    staleReason?: string;
  },
): Promise<void> {
  const outcome = change.outcome === undefined ? null : cut(change.outcome);
  const staleReason = change.staleReason === undefined ? null : cut(change.staleReason);
  await knex.raw(
    `insert into device_sync as s (device_id, tenant_id, state, attempts, last_outcome, stale_reason, notified_at, updated_at)
     values (?, ?, ?, coalesce(?::int, 0), ?, ?, case when ? = 'notified' then now() end, now())
     on conflict (device_id) do update
       set state = excluded.state, attempts = coalesce(?::int, s.attempts), last_outcome = coalesce(excluded.last_outcome, s.last_outcome),
           stale_reason = excluded.stale_reason, notified_at = coalesce(excluded.notified_at, s.notified_at), updated_at = now()`,
    [
      device.id,
      device.tenantId,
      change.state,
      change.attempt ?? null,
      outcome,
      staleReason,
      change.state,
      change.attempt ?? null,
    ],
  );
}
