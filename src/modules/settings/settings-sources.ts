import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClassOfService } from '../../model/directory/class-of-service.entity.js';
import { DeviceLine } from '../../model/directory/device-line.entity.js';
import type { Device } from '../../model/directory/device.entity.js';
import type { Group } from '../../model/directory/group.entity.js';
import { PhoneMapMember } from '../../model/directory/phonemap-member.entity.js';
import { Profile } from '../../model/directory/profile.entity.js';
import { Tenant } from '../../model/directory/tenant.entity.js';
import type { ClassOfServiceSource, DeviceSettingsSources, ProfileSource } from './effective-settings.js';
import type { DeviceOverrideValues, ProfileSettingsValues, RawKeysValues } from './settings.schema.js';

function profileSource(profile: Profile | null | undefined): ProfileSource | null {
  if (!profile) return null;
  return {
    id: profile.id,
    settings: profile.settings as ProfileSettingsValues,
    rawKeys: profile.rawKeys as RawKeysValues,
  };
}

function cosSource(cos: ClassOfService | null | undefined): ClassOfServiceSource | null {
  if (!cos) return null;
  return {
    id: cos.id,
    name: cos.name,
    level: cos.level,
    blockedPrefixes: [...cos.blockedPrefixes],
    allowedPrefixes: [...cos.allowedPrefixes],
  };
}

async function loadProfile(em: EntityManager, profile: Profile | null | undefined): Promise<ProfileSource | null> {
  if (!profile) return null;
  return profileSource(await em.findOne(Profile, { id: profile.id }, { refresh: true }));
}

async function groupSource(em: EntityManager, group: Group | null): Promise<DeviceSettingsSources['group']> {
  if (!group) return null;
  await em.populate(group, ['profile', 'classOfService'], { refresh: true });
  return { id: group.id, profile: profileSource(group.profile), classOfService: cosSource(group.classOfService) };
}

/**
 * Reads what the inheritance function needs for one device, from the database as it is now.
 * The "group" is the home group of the account on the device's first bound line (lowest index);
 * a line bound to a PhoneMap group counts through its active member's account.
 */
export async function loadDeviceSettingsSources(
  em: EntityManager,
  device: Device,
  platform: DeviceOverrideValues,
): Promise<DeviceSettingsSources> {
  const tenant = await em.findOneOrFail(
    Tenant,
    { id: device.tenant.id },
    { populate: ['defaultProfile'], refresh: true },
  );
  const firstBound = await em.findOne(
    DeviceLine,
    { device, $or: [{ account: { $ne: null } }, { phonemapGroup: { $ne: null } }] },
    { orderBy: { index: 'asc' }, populate: ['account.homeGroup', 'phonemapGroup.classOfService'], refresh: true },
  );
  let group: Group | null = firstBound?.account?.homeGroup ?? null;
  let phonemapGroup: DeviceSettingsSources['phonemapGroup'] = null;
  if (firstBound?.phonemapGroup) {
    const pm = firstBound.phonemapGroup;
    phonemapGroup = { id: pm.id, classOfService: cosSource(pm.classOfService)! };
    const active = await em.findOne(
      PhoneMapMember,
      { phonemapGroup: pm, active: true },
      { populate: ['account.homeGroup'], refresh: true },
    );
    group = active?.account.homeGroup ?? null;
  }
  return {
    platform,
    tenant: { id: tenant.id, defaultProfile: profileSource(tenant.defaultProfile) },
    device: {
      id: device.id,
      vendor: device.vendor,
      model: device.model ?? null,
      profile: await loadProfile(em, device.profile),
      overrides: device.overrides as DeviceOverrideValues,
    },
    group: await groupSource(em, group),
    phonemapGroup,
  };
}
