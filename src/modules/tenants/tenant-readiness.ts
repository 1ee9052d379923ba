import type { EntityManager } from '@mikro-orm/postgresql';
import { Profile } from '../../model/directory/profile.entity.js';
import { REQUIRED_SETTING_KEYS } from '../settings/settings.schema.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import type { TenantReadinessViewType } from './tenants.schemas.js';

export const DEFAULT_PROFILE_NAME = 'Default';

/**
 * A new tenant's default profile, empty: the tenant has a default from the start (groups without
 * a profile use it) and readiness names what it still lacks, instead of devices failing to render
 * with no hint on the tenant.
 */
export function createDefaultProfile(em: EntityManager, tenant: Tenant): Profile {
  const profile = em.create(Profile, { tenant, name: DEFAULT_PROFILE_NAME, settings: {} });
  tenant.defaultProfile = profile;
  return profile;
}

/** What the tenant's default profile lacks of the settings no device renders without. */
export async function tenantReadiness(em: EntityManager, tenant: Tenant): Promise<TenantReadinessViewType> {
  const profileId = tenant.defaultProfile?.id ?? null;
  const profile = profileId ? await em.findOne(Profile, { id: profileId, tenant }) : null;
  if (!profile) return { ready: false, defaultProfileId: null, missing: ['defaultProfile'] };
  const settings = (profile.settings ?? {}) as Record<string, unknown>;
  const missing = REQUIRED_SETTING_KEYS.filter(
    (key) => settings[key] === undefined || settings[key] === null || settings[key] === '',
  );
  return { ready: missing.length === 0, defaultProfileId: profile.id, missing };
}
