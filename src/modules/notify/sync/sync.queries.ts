import type { Knex } from '@mikro-orm/postgresql';
import { REPORTED_SYNC_STATES, type ReportedSyncState } from './device-sync.entity.js';
import { notifierOf } from '../resync/resync.service.js';
import { syncRowsSql, type SyncRow } from './sync-state.sql.js';
import type { DeviceSyncViewType, SyncSummaryViewType } from './sync.schemas.js';

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function deviceSyncView(row: SyncRow): DeviceSyncViewType {
  return {
    deviceId: row.device_id,
    mac: row.mac,
    vendor: row.vendor,
    state: row.state,
    desiredGen: row.desired_gen,
    renderedGen: row.rendered_gen,
    renderedHash: row.rendered_hash,
    lastFetchedHash: row.last_fetched_hash,
    lastFetchedAt: iso(row.last_fetched_at),
    notifiedAt: iso(row.notified_at),
    attempts: Number(row.attempts),
    lastOutcome: row.last_outcome,
    staleReason: row.stale_reason,
    notifier: row.notifier,
    renderError: row.render_error_code
      ? {
          code: row.render_error_code,
          message: row.render_error ?? '',
          at: iso(row.render_error_at)!,
          generation: row.render_error_gen ?? '',
        }
      : null,
  };
}

export async function listDeviceSync(
  knex: Knex,
  tenantId: string,
  query: { state?: ReportedSyncState; mac?: string; limit: number; offset: number },
): Promise<{ items: DeviceSyncViewType[]; total: number; limit: number; offset: number }> {
  // Part of the MAC, separators dropped; only hex digits remain (the schema allows nothing else), so LIKE needs no escaping.
  const macPart = query.mac ? query.mac.replace(/[:.\- ]/g, '').toLowerCase() || null : null;
  const filter = `(?::text is null or x.state = ?::text) and (?::text is null or x.mac like '%' || ?::text || '%')`;
  const filterParams = [query.state ?? null, query.state ?? null, macPart, macPart];
  const rows = await knex.raw(
    `select x.*, count(*) over () as total from (${syncRowsSql('d.tenant_id = ?')}) x
      where ${filter} order by x.mac limit ? offset ?`,
    [tenantId, ...filterParams, query.limit, query.offset],
  );
  const items = rows.rows as (SyncRow & { total: string })[];
  let total = items[0] ? Number(items[0].total) : 0;
  if (!items[0] && query.offset > 0) {
    const counted = await knex.raw(
      `select count(*)::int as n from (${syncRowsSql('d.tenant_id = ?')}) x where ${filter}`,
      [tenantId, ...filterParams],
    );
    total = (counted.rows[0] as { n: number }).n;
  }
  return { items: items.map(deviceSyncView), total, limit: query.limit, offset: query.offset };
}

export async function syncSummary(knex: Knex, tenantId: string): Promise<SyncSummaryViewType> {
  const rows = await knex.raw(
    `select x.state, count(*)::int as n from (${syncRowsSql('d.tenant_id = ?')}) x group by x.state`,
    [tenantId],
  );
  const { notifier } = await notifierOf(knex, tenantId);
  const counts = Object.fromEntries(REPORTED_SYNC_STATES.map((state) => [state, 0])) as Record<
    ReportedSyncState,
    number
  >;
  for (const row of rows.rows as { state: ReportedSyncState; n: number }[]) counts[row.state] = row.n;
  return {
    inSync: counts['in-sync'],
    pending: counts.pending,
    notified: counts.notified,
    stale: counts.stale,
    neverSeen: counts['never-seen'],
    renderFailed: counts['render-failed'],
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
    notifier,
  };
}
