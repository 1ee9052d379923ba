import type { Knex } from '@mikro-orm/postgresql';

/**
 * Sync state is computed on read, not kept up to date on every phone fetch: the phone server's
 * hot path then writes only its own fetch record (device_fetches), and the comparison below is an
 * index probe per (device, file). A device is
 *
 *   render-failed  the last render of its target failed and none succeeded since (the phone is
 *               served its previous files, or 404 when there never were any);
 *   in-sync     its render target is current and every artifact of it has been fetched with the
 *               current sha256 (device_fetches: device_id, serve_path, sha256);
 *   notified / stale   as the notify worker last recorded (device_sync), otherwise;
 *   never-seen  nothing was ever fetched and the device was never seen;
 *   pending     anything else (a change it has not fetched yet, notified or not), and always
 *               while a captured change of its tenant waits for the relay (below).
 *
 * A committed change reaches the target's desired_gen only when the relay has resolved its
 * fan-out, which lags the API by up to the relay's poll (longer while Redis refuses jobs). The
 * change_outbox row the capture trigger writes in the same transaction as the change is the
 * watermark in between: while a row of the device's tenant is in the outbox, the device may be
 * affected and its desired_gen may not have moved yet, so it is pending from the moment the change
 * committed. The relay deletes the rows in the transaction that bumps desired_gen, so there is no
 * gap between the two checks. The outbox is insert-only (no per-tenant row every writer would
 * lock) and the relay keeps it near empty, so the probe is one index lookup on
 * change_outbox(tenant_id). It is per tenant, not per device: for the relay's lag an unaffected
 * device of the tenant reads pending too, which errs on the safe side. Rows of tables that only
 * feed phonebooks (PHONEBOOK_ONLY_TABLES) do not count; a tenant's own row carries its id in keys.
 * A device that never fetched nor was seen cannot be in sync, so the wait leaves its state alone
 * (never-seen, or as notified).
 *
 * Only the device's own profile files count; phonebooks are shared, fetched on the phone's own
 * schedule and carry no per-device hash. device_fetches (phone server) keeps the latest fetch per
 * (device_id, serve_path) under its primary key, so each probe below is one index lookup.
 */

export interface SyncRow {
  device_id: string;
  tenant_id: string;
  mac: string;
  vendor: string;
  desired_gen: string | null;
  rendered_gen: string | null;
  rendered_hash: string | null;
  last_fetched_hash: string | null;
  /** Timestamps arrive as text or Date depending on the connection's type parsers. */
  last_fetched_at: Date | string | null;
  notified_at: Date | string | null;
  attempts: number;
  last_outcome: string | null;
  stale_reason: string | null;
  /** The tenant's notifier driver ('none' when unset: the device is never told to fetch). */
  notifier: string;
  render_error_code: string | null;
  render_error: string | null;
  render_error_at: Date | string | null;
  render_error_gen: string | null;
  state: 'never-seen' | 'pending' | 'notified' | 'in-sync' | 'stale' | 'render-failed';
}

/** Captured tables whose changes reach only phonebook files (fan-out: a contact's phonebooks), never a device's own files. */
export const PHONEBOOK_ONLY_TABLES = ['contacts', 'contact_numbers', 'phonebook_contacts'] as const;

const CHANGE_WAITING_FOR_RELAY = `(exists (select 1 from change_outbox o where o.tenant_id = d.tenant_id
                    and o.table_name not in (${PHONEBOOK_ONLY_TABLES.map((table) => `'${table}'`).join(', ')}))
            or exists (select 1 from change_outbox o where o.tenant_id is null and o.table_name = 'tenants'
                    and o.keys ->> 'id' = d.tenant_id::text))`;

/** One row per device matching `where` (aliases: d devices, s device_sync), with its derived state. */
export function syncRowsSql(where: string): string {
  return `
select d.id as device_id, d.tenant_id, d.mac, d.vendor,
       t.desired_gen::text as desired_gen, t.rendered_gen::text as rendered_gen, t.rendered_hash,
       coalesce(lf.sha256, ls.served_hash) as last_fetched_hash, coalesce(lf.fetched_at, ls.seen_at) as last_fetched_at,
       s.notified_at, coalesce(s.attempts, 0) as attempts, s.last_outcome, s.stale_reason,
       coalesce(ns.driver::text, 'none') as notifier,
       t.last_error_code as render_error_code, t.last_error as render_error, t.last_error_at as render_error_at,
       t.last_error_gen::text as render_error_gen,
       case
         when t.last_error_code is not null then 'render-failed'
         when ${CHANGE_WAITING_FOR_RELAY} and (ls.device_id is not null or lf.fetched_at is not null) then 'pending'
         when t.rendered_gen >= t.desired_gen
              and exists (select 1 from artifacts a where a.target_id = t.id)
              and not exists (select 1 from artifacts a where a.target_id = t.id and not exists (
                    select 1 from device_fetches f where f.device_id = d.id and f.serve_path = a.serve_path and f.sha256 = a.sha256))
           then 'in-sync'
         when s.state in ('notified', 'stale') then s.state
         when ls.device_id is null and lf.fetched_at is null then 'never-seen'
         else 'pending'
       end as state
  from devices d
  left join render_targets t on t.target_key = 'device:' || d.id::text
  left join device_last_seen ls on ls.device_id = d.id
  left join device_sync s on s.device_id = d.id
  left join tenant_notifier_settings ns on ns.tenant_id = d.tenant_id
  left join lateral (select f.sha256, f.fetched_at from device_fetches f where f.device_id = d.id order by f.fetched_at desc limit 1) lf on true
 where ${where}`;
}

export async function deviceSyncRow(knex: Knex, deviceId: string): Promise<SyncRow | undefined> {
  const result = await knex.raw(syncRowsSql('d.id = ?'), [deviceId]);
  return result.rows[0] as SyncRow | undefined;
}
