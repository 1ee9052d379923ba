import type { EntityManager } from '@mikro-orm/postgresql';
import type { Deps } from '../../deps/deps.js';
import { BadRequestError, NotFoundError } from '../../errors/errors.js';
import { validateBody } from '../console/form-validation.js';
import { IdempotencyStore } from '../notify/resync/idempotency.js';
import { devicesScopeSql } from '../notify/resync/resync-scope.js';
import { requestResync, resyncReach } from '../notify/resync/resync.service.js';
import { Profile } from '../../model/directory/profile.entity.js';
import { referenceInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { DeviceLine } from '../../model/directory/device-line.entity.js';
import { Device } from '../../model/directory/device.entity.js';
import { UpdateDeviceBody, type UpdateDeviceInput } from './devices.schemas.js';
import { deleteDevice, updateDevice } from './devices.service.js';

export const BULK_ACTIONS = ['resync', 'disable', 'delete', 'move'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Most phones one bulk action takes (four list pages' worth of ticks and more). */
export const BULK_MAX = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ticked devices, all of this tenant: a malformed or foreign id is "not found", as in a URL. */
export async function selectedDevices(em: EntityManager, tenant: Tenant, ids: string[]): Promise<Device[]> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (unique.length > BULK_MAX)
    throw new BadRequestError('too_many_selected', `select at most ${BULK_MAX} phones at once`);
  if (unique.some((id) => !UUID.test(id))) throw new NotFoundError('device');
  if (unique.length === 0) return [];
  const devices = await em.find(Device, { tenant, id: { $in: unique } }, { orderBy: { mac: 'asc' } });
  if (devices.length !== unique.length) throw new NotFoundError('device');
  return devices;
}

/** The REST PATCH body a bulk edit applies to each device, checked by the REST schema. */
function patchFor(action: 'disable' | 'move', profileId: string | undefined): UpdateDeviceInput {
  const patch: Record<string, unknown> =
    action === 'disable' ? { status: 'disabled' } : { profileId: profileId ? profileId : null };
  const errors = validateBody(UpdateDeviceBody, patch);
  if (Object.keys(errors).length > 0)
    throw new BadRequestError('invalid_input', `profile ${Object.values(errors)[0]}`, { field: 'profileId' });
  return patch as UpdateDeviceInput;
}

export interface BulkImpact {
  title: string;
  question: string;
  lines: string[];
  warning?: string;
}

const phones = (n: number) => `${n} phone${n === 1 ? '' : 's'}`;
export const NO_NOTIFIER =
  'No notifier is configured for this tenant: no SIP NOTIFY is sent, the phones pick the change up on their next scheduled fetch.';

/** What OK would do, counted now: the confirmation says how many phones it reaches. */
export async function bulkImpact(
  em: EntityManager,
  tenant: Tenant,
  action: BulkAction,
  devices: Device[],
  profileId: string | undefined,
): Promise<BulkImpact> {
  const n = devices.length;
  if (n === 0) return { title: 'No phone selected', question: 'Tick the phones first; OK changes nothing.', lines: [] };
  const ids = devices.map((device) => device.id);
  switch (action) {
    case 'resync': {
      const reach = await resyncReach(em.getKnex(), tenant.id, devicesScopeSql(tenant.id, ids));
      return {
        title: `Resync ${phones(n)}?`,
        question: `This re-renders ${phones(n)} and tells them to fetch their files.`,
        lines: [
          `${phones(reach.notified)} get a SIP NOTIFY now`,
          `${phones(n - reach.notified)} fetch on their own schedule (never fetched, disabled or no notifier)`,
        ],
        warning: reach.driver === 'none' ? NO_NOTIFIER : undefined,
      };
    }
    case 'disable':
      patchFor('disable', undefined);
      return {
        title: `Disable ${phones(n)}?`,
        question: `${phones(n)} stop getting their configuration until enabled again.`,
        lines: [`${phones(n)} disabled`],
      };
    case 'delete': {
      const lines = await em.count(DeviceLine, { device: { $in: ids } });
      return {
        title: `Delete ${phones(n)}?`,
        question: `This deletes ${phones(n)} with their lines.`,
        lines: [`${phones(n)} deleted`, `${lines} line(s) removed`],
        warning: 'A deleted phone cannot fetch its configuration any more.',
      };
    }
    case 'move': {
      patchFor('move', profileId);
      const profile = profileId ? await referenceInTenant(em, Profile, tenant, profileId, 'profile') : null;
      const name = profile ? `profile ${profile.name}` : 'no profile of their own (group or tenant profile)';
      return {
        title: `Move ${phones(n)} to ${profile ? profile.name : 'no profile'}?`,
        question: `${phones(n)} get ${name}.`,
        lines: [`${phones(n)} re-rendered with the new profile`],
      };
    }
  }
}

/** Does it with the REST services, all or nothing; answers the result line. */
export async function runBulk(
  deps: Pick<Deps, 'queues' | 'redis' | 'config'>,
  em: EntityManager,
  tenant: Tenant,
  action: BulkAction,
  devices: Device[],
  profileId: string | undefined,
): Promise<string> {
  const n = devices.length;
  if (n === 0) return 'No phone was selected: nothing changed.';
  const ids = devices.map((device) => device.id);
  switch (action) {
    case 'resync': {
      const reach = await resyncReach(em.getKnex(), tenant.id, devicesScopeSql(tenant.id, ids));
      const idempotency = new IdempotencyStore(deps.redis, deps.config.queuePrefix);
      for (const id of ids)
        await requestResync(
          { queues: deps.queues, idempotency },
          { tenantId: tenant.id, scope: 'device', refId: id, reboot: false },
          undefined,
        );
      return `Changes Saved — resync started for ${phones(n)}; ${phones(reach.notified)} notified.`;
    }
    case 'disable': {
      const patch = patchFor('disable', undefined);
      await em.transactional(async (tx) => {
        for (const id of ids) await updateDevice(tx, tenant, id, patch);
      });
      return `Changes Saved — ${phones(n)} disabled.`;
    }
    case 'delete':
      await em.transactional(async (tx) => {
        for (const id of ids) await deleteDevice(tx, tenant, id);
      });
      return `${phones(n)} deleted.`;
    case 'move': {
      const patch = patchFor('move', profileId);
      await em.transactional(async (tx) => {
        for (const id of ids) await updateDevice(tx, tenant, id, patch);
      });
      return `Changes Saved — ${phones(n)} moved.`;
    }
  }
}
