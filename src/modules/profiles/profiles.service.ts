import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { ConflictError } from '../../errors/errors.js';
import { maskJson } from '../audit/audit.mask.js';
import { Device } from '../../model/directory/device.entity.js';
import { Group } from '../../model/directory/group.entity.js';
import { checkSettings, maskSecretSettings } from '../settings/settings.checks.js';
import type { ProfileSettingsValues, RawKeysValues } from '../settings/settings.schema.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { Profile } from '../../model/directory/profile.entity.js';
import type {
  CreateProfileInput,
  ProfileListQueryType,
  ProfileViewType,
  UpdateProfileInput,
} from './profiles.schemas.js';

/** The stored JSON, typed as the schema that validated it on the way in. */
export function profileSettings(profile: Profile): ProfileSettingsValues {
  return profile.settings as ProfileSettingsValues;
}
export function profileRawKeys(profile: Profile): RawKeysValues {
  return profile.rawKeys as RawKeysValues;
}

/** `revealSecrets` is false for viewers: secret settings and password-like raw keys are masked. */
export function profileView(profile: Profile, tenant: Tenant, revealSecrets: boolean): ProfileViewType {
  const settings = profileSettings(profile);
  const rawKeys = profileRawKeys(profile);
  return {
    id: profile.id,
    name: profile.name,
    description: profile.description ?? null,
    settings: revealSecrets ? settings : maskSecretSettings(settings),
    rawKeys: revealSecrets ? rawKeys : (maskJson(rawKeys) as RawKeysValues),
    isDefault: tenant.defaultProfile?.id === profile.id,
    createdAt: profile.createdAt.toISOString(),
    updatedAt: profile.updatedAt.toISOString(),
  };
}

async function assertNameFree(em: EntityManager, tenant: Tenant, name: string, selfId?: string): Promise<void> {
  const holder = await em.findOne(Profile, { tenant, name }, { fields: ['id'] });
  if (holder && holder.id !== selfId)
    throw new ConflictError('name_taken', `a profile named ${name} already exists`, { field: 'name', id: holder.id });
}

export async function createProfile(em: EntityManager, tenant: Tenant, input: CreateProfileInput): Promise<Profile> {
  const settings = checkSettings(input.settings ?? {}, 'settings');
  await assertNameFree(em, tenant, input.name);
  const profile = em.create(Profile, {
    tenant,
    name: input.name,
    description: input.description ?? null,
    settings,
    rawKeys: input.rawKeys ?? {},
  });
  await em.flush();
  return profile;
}

export async function listProfiles(
  em: EntityManager,
  tenant: Tenant,
  query: ProfileListQueryType,
): Promise<PageResult<Profile>> {
  const where = query.q ? { tenant, name: { $ilike: containsPattern(query.q) } } : { tenant };
  const [items, total] = await em.findAndCount(Profile, where, {
    orderBy: { name: 'asc', id: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}

export async function updateProfile(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  patch: UpdateProfileInput,
): Promise<Profile> {
  const profile = await findInTenant(em, Profile, tenant, id, 'profile');
  const settings = patch.settings === undefined ? undefined : checkSettings(patch.settings, 'settings');
  if (patch.name !== undefined && patch.name !== profile.name) await assertNameFree(em, tenant, patch.name, profile.id);
  if (patch.name !== undefined) profile.name = patch.name;
  if (patch.description !== undefined) profile.description = patch.description;
  if (settings !== undefined) profile.settings = settings;
  if (patch.rawKeys !== undefined) profile.rawKeys = patch.rawKeys;
  await em.flush();
  return profile;
}

/** The tenant default lives on the tenant (tenants.default_profile_id); this sets or clears it. */
export async function setDefaultProfile(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  isDefault: boolean,
): Promise<Profile> {
  const profile = await findInTenant(em, Profile, tenant, id, 'profile');
  if (isDefault) tenant.defaultProfile = profile;
  else if (tenant.defaultProfile?.id === profile.id) tenant.defaultProfile = null;
  await em.flush();
  return profile;
}

/** What still uses a profile; it can only be deleted when nothing does. */
export async function profileReferences(em: EntityManager, tenant: Tenant, profile: Profile) {
  const [groups, devices] = await Promise.all([
    em.find(Group, { tenant, profile }, { fields: ['id'], orderBy: { id: 'asc' }, limit: 200 }),
    em.find(Device, { tenant, profile }, { fields: ['id'], orderBy: { id: 'asc' }, limit: 200 }),
  ]);
  return {
    tenantDefault: tenant.defaultProfile?.id === profile.id,
    groups: groups.map((group) => group.id),
    devices: devices.map((device) => device.id),
  };
}

/** The refusal of a delete while in use (REST 409 and the console's pop-up say the same). */
export const PROFILE_IN_USE = 'the profile is still used (tenant default, groups or devices): change those first';

/**
 * What uses a profile, by name, for the delete confirmation: the tenant default, the groups and the
 * devices (first 200 each, with the totals). The delete refuses while any is left.
 */
export async function profileImpact(em: EntityManager, tenant: Tenant, profile: Profile) {
  const [groups, groupCount] = await em.findAndCount(
    Group,
    { tenant, profile },
    { fields: ['id', 'name'], orderBy: { name: 'asc', id: 'asc' }, limit: 200 },
  );
  const [devices, deviceCount] = await em.findAndCount(
    Device,
    { tenant, profile },
    { fields: ['id', 'mac', 'model'], orderBy: { mac: 'asc' }, limit: 200 },
  );
  return {
    tenantDefault: tenant.defaultProfile?.id === profile.id,
    groups: groups.map((group) => ({ id: group.id, name: group.name })),
    groupCount,
    devices: devices.map((device) => ({ id: device.id, mac: device.mac, model: device.model ?? null })),
    deviceCount,
  };
}

export async function deleteProfile(em: EntityManager, tenant: Tenant, id: string): Promise<void> {
  const profile = await findInTenant(em, Profile, tenant, id, 'profile');
  const references = await profileReferences(em, tenant, profile);
  if (references.tenantDefault || references.groups.length || references.devices.length) {
    throw new ConflictError('profile_in_use', PROFILE_IN_USE, references);
  }
  em.remove(profile);
  await em.flush();
}
