import type { EntityManager } from '@mikro-orm/postgresql';
import { maskSecretSettings } from '../settings/settings.checks.js';
import type { DeviceOverrideValues } from '../settings/settings.schema.js';
import { DeviceLastSeen } from '../../model/directory/device-last-seen.entity.js';
import { DeviceLine } from '../../model/directory/device-line.entity.js';
import type { Device } from '../../model/directory/device.entity.js';
import type { DeviceViewType } from './devices.schemas.js';
import { readTogether } from '../../db/reads.js';

/**
 * Views of several devices with their lines and last fetch, in two queries. Built field by field
 * from the entity, never by serialising it, so the provisioning secret cannot slip in.
 * `revealSecrets` is false for viewers: secret overrides (adminPassword) are masked.
 */
export async function deviceViews(
  em: EntityManager,
  devices: Device[],
  revealSecrets: boolean,
): Promise<DeviceViewType[]> {
  if (devices.length === 0) return [];
  const [lines, lastSeen] = await readTogether(em, [
    () =>
      em.find(
        DeviceLine,
        { device: { $in: devices } },
        { populate: ['phonemapGroup'], orderBy: { index: 'asc' }, refresh: true },
      ),
    () => em.find(DeviceLastSeen, { device: { $in: devices } }),
  ]);
  const seen = new Map(lastSeen.map((row) => [row.device.id, row]));
  return devices.map((device) => {
    const overrides = device.overrides as DeviceOverrideValues;
    const last = seen.get(device.id);
    return {
      id: device.id,
      mac: device.mac,
      vendor: device.vendor,
      // The admin's declared model wins; otherwise what the phone's User-Agent said (fetch recorder).
      model: device.model ?? last?.model ?? null,
      firmware: last?.firmware ?? device.firmware ?? null,
      status: device.status,
      profileId: device.profile?.id ?? null,
      overrides: revealSecrets ? overrides : maskSecretSettings(overrides),
      lines: lines
        .filter((line) => line.device.id === device.id)
        .map((line) => ({
          index: line.index,
          accountId: line.account?.id ?? null,
          phonemapGroupId: line.phonemapGroup?.token ?? null,
          label: line.label ?? null,
        })),
      lastSeen: last
        ? {
            seenAt: last.seenAt.toISOString(),
            ip: last.ip,
            userAgent: last.userAgent ?? null,
            file: last.file ?? null,
            servedHash: last.servedHash ?? null,
            firmware: last.firmware ?? null,
            model: last.model ?? null,
          }
        : null,
      createdAt: device.createdAt.toISOString(),
      updatedAt: device.updatedAt.toISOString(),
    };
  });
}

export async function deviceView(em: EntityManager, device: Device, revealSecrets: boolean): Promise<DeviceViewType> {
  return (await deviceViews(em, [device], revealSecrets))[0]!;
}
