import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { NotFoundError } from '../../errors/errors.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import { REPORTED_SYNC_STATES } from '../notify/sync/device-sync.entity.js';
import { syncRowsSql, type SyncRow } from '../notify/sync/sync-state.sql.js';
import { Profile } from '../../model/directory/profile.entity.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { BULK_ACTIONS, bulkImpact, runBulk, selectedDevices, type BulkAction } from './device-bulk.js';
import { listDevices } from './device-list.js';
import { deviceViews } from './device.view.js';
import { DEVICE_VENDORS } from '../../model/directory/device.entity.js';
import { DeviceListQuery, LAST_SEEN_FILTERS, type DeviceListQueryType } from './devices.schemas.js';

const PAGE_SIZE = 25;
/** Devices counted past the page's offset: beyond it the pager says "more than" (a full count of 100,000 cost ~10 ms a page). */
const COUNT_AHEAD = 10_000;
/** List filters as the REST list query names them (same schema, same service). */
const FILTERS = ['q', 'vendor', 'model', 'firmware', 'syncState', 'lastSeen'] as const;

export const devicesHref = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/devices`;

/** Repeated form or query values (checkboxes) as a list of strings. */
export function manyValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((one): one is string => typeof one === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** /console/t/:tenant/devices — the device list with search, filters, paging and bulk actions; the device page. */
export function devicesConsole(deps: Deps) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/devices';

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const raw = request.query as Record<string, unknown>;
      const page = Math.max(1, Math.min(100000, Number.parseInt(String(raw.page ?? '1'), 10) || 1));
      const filters: Record<string, string> = {};
      for (const name of FILTERS) {
        const value = formText(raw, name);
        if (value !== undefined) filters[name] = value.slice(0, 100);
      }
      // The REST query schema decides what a valid filter is; an invalid one is named and dropped. It is
      // given a copy: validation fills in the schema's defaults (limit, offset), which are no filter of the
      // person's and would show "Clear filters" on the bare list and ride along in every pager link.
      const errors = validateBody(DeviceListQuery, { ...filters });
      for (const name of Object.keys(errors)) delete filters[name];
      const query = { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } as DeviceListQueryType;
      const knex = em().getKnex();
      // Two rounds of independent queries in parallel: the page with the filter lists, then what the page's rows need.
      const [list, models, profiles] = await Promise.all([
        listDevices(em(), tenant, query, { countCap: query.offset + COUNT_AHEAD }),
        knex
          .raw(MODELS_SQL, [tenant.id, tenant.id, tenant.id, tenant.id])
          .then((result) => (result.rows as { m: string }[]).map((row) => row.m)),
        em().find(Profile, { tenant }, { orderBy: { name: 'asc' }, fields: ['id', 'name'], limit: 500 }),
      ]);
      const ids = list.items.map((device) => device.id);
      const [views, syncRows, users] = await Promise.all([
        deviceViews(em(), list.items, false),
        ids.length
          ? knex.raw(syncRowsSql('d.id = any(?::uuid[])'), [ids]).then((result) => result.rows as SyncRow[])
          : [],
        ids.length ? lineUsers(em(), ids) : new Map<string, string[]>(),
      ]);
      const state = new Map(syncRows.map((row) => [row.device_id, row.state]));
      const canWrite = roleAtLeast(request.principal!.role, 'admin');
      return reply.status(Object.keys(errors).length ? 400 : 200).view('devices/views/list', {
        ...pageContext(request, reply, { tenant, active: 'devices', title: 'Devices' }),
        devices: views.map((view) => ({
          id: view.id,
          mac: view.mac,
          vendor: view.vendor,
          model: view.model ?? '',
          firmware: view.firmware ?? '',
          status: view.status,
          labels: view.lines
            .map((line) => line.label)
            .filter(Boolean)
            .join(', '),
          users: (users.get(view.id) ?? []).join(', '),
          syncState: state.get(view.id) ?? 'never-seen',
          lastSeen: view.lastSeen?.seenAt ?? null,
        })),
        total: list.total,
        more: list.more,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        filters,
        errors,
        canWrite,
        vendors: DEVICE_VENDORS,
        models,
        syncStates: REPORTED_SYNC_STATES,
        lastSeenFilters: LAST_SEEN_FILTERS,
        profiles: profiles.map((profile) => ({ id: profile.id, name: profile.name })),
      });
    });

    // Bulk actions: GET asks (how many phones it reaches), POST does it. Viewers get 403 on both.
    app.get(`${base}/bulk`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const input = bulkInput(request.query);
      const listHref = devicesHref(tenant);
      const devices = await selectedDevices(em(), tenant, input.ids);
      const impact = await bulkImpact(em(), tenant, input.action, devices, input.profileId);
      return renderConfirm(request, reply, {
        tenant,
        active: 'devices',
        title: impact.title,
        question: impact.question,
        impact: impact.lines,
        warning: impact.warning,
        action: `${listHref}/bulk`,
        cancelHref: listHref,
        okLabel: 'OK',
        hidden: {
          action: input.action,
          ids: devices.map((device) => device.id),
          ...(input.profileId !== undefined ? { profileId: input.profileId } : {}),
        },
      });
    });

    app.post(`${base}/bulk`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const input = bulkInput(request.body);
      const devices = await selectedDevices(em(), tenant, input.ids);
      const text = await runBulk(deps, em(), tenant, input.action, devices, input.profileId);
      setFlash(request, { kind: input.action === 'delete' ? 'warning' : 'saved', text });
      return reply.redirect(devicesHref(tenant), 303);
    });
  };
}

function bulkInput(source: unknown): { action: BulkAction; ids: string[]; profileId?: string } {
  const values = (source ?? {}) as Record<string, unknown>;
  // htmx sends the clicked button's value beside the one in its hx-get URL: both name the same action.
  const actions = [...new Set(manyValues(values.action))];
  const action = actions.length === 1 ? actions[0] : undefined;
  if (typeof action !== 'string' || !(BULK_ACTIONS as readonly string[]).includes(action))
    throw new NotFoundError('action');
  const profileId = typeof values.profileId === 'string' ? values.profileId : undefined;
  return { action: action as BulkAction, ids: manyValues(values.ids), profileId };
}

/**
 * The model filter's values: the distinct declared and reported models, each list walked through
 * its (tenant, model) index one value at a time (a loose index scan), so the cost follows the
 * number of models, not of devices (a plain DISTINCT sorted all 100,000 rows: ~45 ms a page).
 */
const MODELS_SQL = `with recursive
  dm as (select min(model) as m from devices where tenant_id = ?
         union all select (select min(model) from devices where tenant_id = ? and model > dm.m) from dm where dm.m is not null),
  sm as (select min(model) as m from device_last_seen where tenant_id = ?
         union all select (select min(model) from device_last_seen where tenant_id = ? and model > sm.m) from sm where sm.m is not null)
select m from (select m from dm union select m from sm) x where m is not null order by m limit 200`;

/** The users the page's devices provision (a line's account, or a PhoneMap group's active member), in one query. */
async function lineUsers(em: EntityManager, deviceIds: string[]): Promise<Map<string, string[]>> {
  const result = await em.getKnex().raw(
    `select dl.device_id, a.display_name, a.extension from device_lines dl
       left join phonemap_members pm on pm.phonemap_group_id = dl.phonemap_group_id and pm.active
       join accounts a on a.id = coalesce(dl.account_id, pm.account_id)
      where dl.device_id = any(?::uuid[]) order by dl.line_index`,
    [deviceIds],
  );
  const users = new Map<string, string[]>();
  for (const row of result.rows as { device_id: string; display_name: string; extension: string }[]) {
    users.set(row.device_id, [...(users.get(row.device_id) ?? []), `${row.display_name} (${row.extension})`]);
  }
  return users;
}
