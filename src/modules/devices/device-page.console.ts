import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { publicPhoneUrl } from '../../config/config.js';
import type { Deps } from '../../deps/deps.js';
import { AppError, BadRequestError, NotFoundError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText } from '../console/form-validation.js';
import { uuidParam } from '../console/params.js';
import { IdempotencyStore } from '../notify/resync/idempotency.js';
import { findVisibleJob, jobView, requestResync } from '../notify/resync/resync.service.js';
import { deviceSyncRow } from '../notify/sync/sync-state.sql.js';
import { deviceSyncView } from '../notify/sync/sync.queries.js';
import { PhoneMapGroup } from '../../model/directory/phonemap-group.entity.js';
import { listDeviceFiles, readDeviceFile } from '../render/files/device-files.service.js';
import { effectiveSettings } from '../settings/effective-settings.js';
import { platformDefaults } from '../settings/platform-defaults.js';
import { revealsSecrets } from '../settings/secret-visibility.js';
import { maskEffectiveSettings } from '../settings/settings.checks.js';
import { loadDeviceSettingsSources } from '../settings/settings-sources.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { deviceViews } from './device.view.js';
import { Device } from '../../model/directory/device.entity.js';
import { devicesHref } from './devices.console.js';
import type { LineInputType } from './devices.schemas.js';
import { replaceDeviceLines } from './devices.service.js';

/** Line rows the form shows: the device's lines and one empty row to add the next. */
interface LineRow {
  index: number;
  kind: 'account' | 'phonemap' | 'none';
  target: string;
  label: string;
  boundTo: string;
}

/**
 * /console/t/:tenant/devices/:id — one phone: its lines and what each is bound to (editable by
 * admins), the effective settings with the layer that set each value, the rendered files (admins:
 * they carry credentials, as in the REST files route), the last fetch, rendered vs fetched
 * version, the last NOTIFY and its answer, and Resync with its job's progress polled in place.
 */
export function devicePageConsole(deps: Deps) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/devices/:id';
    const deviceOf = (request: FastifyRequest) =>
      findInTenant(em(), Device, tenantOf(request), uuidParam(request, 'id', 'device'), 'device');

    async function page(
      request: FastifyRequest,
      reply: FastifyReply,
      device: Device,
      form?: { rows: LineRow[]; errors: Record<string, string> },
    ) {
      const tenant = tenantOf(request);
      const canWrite = roleAtLeast(request.principal!.role, 'admin');
      const [view] = await deviceViews(em(), [device], false);
      const sources = await loadDeviceSettingsSources(em(), device, platformDefaults(publicPhoneUrl(deps.config)));
      const effective = effectiveSettings(sources);
      const shown = revealsSecrets(request) ? effective : maskEffectiveSettings(effective);
      const sync = await deviceSyncRow(em().getKnex(), device.id);
      const files = canWrite ? await listDeviceFiles(em(), tenant, device.id, publicPhoneUrl(deps.config)) : null;
      const rows = form?.rows ?? (await lineRows(em(), tenant, view!.lines));
      return reply.status(form ? 400 : 200).view('devices/views/device', {
        ...pageContext(request, reply, { tenant, active: 'devices', title: `Device ${device.mac}` }),
        device: view,
        canWrite,
        rows,
        errors: form?.errors ?? {},
        settings: Object.entries(shown.settings).map(([key, entry]) => ({
          key,
          value: displayValue(entry.value),
          source: entry.source,
        })),
        profile: shown.profile,
        sync: sync ? deviceSyncView(sync) : null,
        files,
      });
    }

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      page(request, reply, await deviceOf(request)),
    );

    // Lines: kind (account by extension, PhoneMap group by id, or unbound) and label per row; the REST lines service.
    app.post(`${base}/lines`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const device = await deviceOf(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const rows = postedRows(body);
      const errors: Record<string, string> = {};
      const lines: LineInputType[] = [];
      for (const row of rows) {
        if (row.kind === 'none' && !row.label) continue;
        const line: LineInputType = { index: row.index, label: row.label || null };
        if (row.kind === 'account') {
          const account = row.target
            ? await em().findOne(Account, { tenant, extension: row.target }, { fields: ['id'] })
            : null;
          if (!account)
            errors[`line-${row.index}`] = row.target
              ? `no user has extension ${row.target}`
              : 'enter the extension of the user this line is for';
          else line.accountId = account.id;
        } else if (row.kind === 'phonemap') {
          if (!row.target) errors[`line-${row.index}`] = 'enter the PhoneMap group id';
          else line.phonemapGroupId = row.target;
        }
        lines.push(line);
      }
      if (Object.keys(errors).length === 0) {
        try {
          await replaceDeviceLines(em(), tenant, device.id, lines);
          setFlash(request, { kind: 'saved', text: 'Changes Saved' });
          return reply.redirect(`${devicesHref(tenant)}/${device.id}`, 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
          errors.lines = error.message;
        }
      }
      em().clear();
      return page(request, reply, await deviceOf(request), { rows, errors });
    });

    app.get(`${base}/files/:name`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const device = await deviceOf(request);
      const file = await readDeviceFile(em(), tenant, device.id, (request.params as { name: string }).name);
      return reply.header('cache-control', 'no-store').view('devices/views/device-file', {
        ...pageContext(request, reply, { tenant, active: 'devices', title: file.name }),
        device: { id: device.id, mac: device.mac },
        file: {
          name: file.name,
          contentType: file.contentType,
          generation: file.generation,
          text: file.body.toString('utf8'),
        },
      });
    });

    // Resync: the REST resync job; the page then polls the job's fragment until it is finished.
    app.post(`${base}/resync`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const device = await deviceOf(request);
      const reboot = formText(request.body as Record<string, unknown>, 'reboot') === 'true';
      const idempotency = new IdempotencyStore(deps.redis, deps.config.queuePrefix);
      const { jobId } = await requestResync(
        { queues: deps.queues, idempotency },
        { tenantId: tenant.id, scope: 'device', refId: device.id, reboot },
        undefined,
      );
      const next = `${devicesHref(tenant)}/${device.id}/resync/${encodeURIComponent(jobId)}`;
      if (request.headers['hx-request'] === 'true') return progress(request, reply, device, jobId);
      return reply.redirect(next, 303);
    });

    app.get(`${base}/resync/:job`, { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const device = await deviceOf(request);
      const jobId = (request.params as { job: string }).job;
      if (request.headers['hx-request'] === 'true') return progress(request, reply, device, jobId);
      return reply.redirect(`${devicesHref(tenantOf(request))}/${device.id}`, 303);
    });

    async function progress(request: FastifyRequest, reply: FastifyReply, device: Device, jobId: string) {
      const job = /^resync-[0-9a-f-]{36}$/.test(jobId)
        ? await findVisibleJob(deps.queues, request.principal!, jobId)
        : undefined;
      if (!job || (job.data as { refId?: string }).refId !== device.id) throw new NotFoundError('job');
      const view = await jobView(job);
      const finished = view.state === 'completed' || view.state === 'failed';
      const result = (view.result ?? {}) as { notifies?: number; driver?: string };
      return reply.view('devices/views/resync-progress', {
        href: `${devicesHref(tenantOf(request))}/${device.id}/resync/${encodeURIComponent(jobId)}`,
        state: view.state,
        finished,
        failedReason: view.failedReason,
        notifies: result.notifies ?? 0,
        driver: result.driver ?? null,
      });
    }
  };
}

function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The form's rows from the stored lines: the bound account's extension or the PhoneMap group id, plus one empty row. */
async function lineRows(
  em: EntityManager,
  tenant: Tenant,
  lines: { index: number; accountId: string | null; phonemapGroupId: string | null; label: string | null }[],
): Promise<LineRow[]> {
  const accountIds = lines.map((line) => line.accountId).filter((id): id is string => id !== null);
  const accounts = accountIds.length
    ? await em.find(Account, { tenant, id: { $in: accountIds } }, { fields: ['id', 'extension', 'displayName'] })
    : [];
  const tokens = lines.map((line) => line.phonemapGroupId).filter((token): token is string => token !== null);
  const groups = tokens.length
    ? await em.find(PhoneMapGroup, { tenant, token: { $in: tokens } }, { fields: ['id', 'token', 'name'] })
    : [];
  const accountById = new Map(accounts.map((account) => [account.id, account]));
  const groupByToken = new Map(groups.map((group) => [group.token, group]));
  const rows: LineRow[] = lines.map((line) => {
    const account = line.accountId ? accountById.get(line.accountId) : undefined;
    const group = line.phonemapGroupId ? groupByToken.get(line.phonemapGroupId) : undefined;
    if (account)
      return {
        index: line.index,
        kind: 'account',
        target: account.extension,
        label: line.label ?? '',
        boundTo: `${account.displayName} (${account.extension})`,
      };
    if (group)
      return {
        index: line.index,
        kind: 'phonemap',
        target: group.token,
        label: line.label ?? '',
        boundTo: `PhoneMap group ${group.name}`,
      };
    return { index: line.index, kind: 'none', target: '', label: line.label ?? '', boundTo: 'Unbound' };
  });
  const next = Math.max(0, ...lines.map((line) => line.index)) + 1;
  if (next <= 64) rows.push({ index: next, kind: 'none', target: '', label: '', boundTo: 'New line' });
  return rows;
}

/** Rows as posted: index-<n>, kind-<n>, target-<n>, label-<n> for each row the form showed. */
function postedRows(body: Record<string, unknown>): LineRow[] {
  const rows: LineRow[] = [];
  for (const key of Object.keys(body)) {
    const match = /^index-(\d{1,2})$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    if (index < 1 || index > 64 || String(body[key]) !== match[1])
      throw new BadRequestError('line_invalid', 'line numbers are 1 to 64');
    const kindValue = formText(body, `kind-${index}`) ?? 'none';
    const kind = kindValue === 'account' || kindValue === 'phonemap' ? kindValue : 'none';
    rows.push({
      index,
      kind,
      target: (formText(body, `target-${index}`) ?? '').trim().slice(0, 64),
      label: (formText(body, `label-${index}`) ?? '').trim().slice(0, 64),
      boundTo: '',
    });
  }
  return rows.sort((a, b) => a.index - b.index);
}
