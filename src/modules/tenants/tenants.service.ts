import type { EntityManager } from '@mikro-orm/postgresql';
import { isSupportedCountry } from 'libphonenumber-js/max';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { BadRequestError, ConflictError, ForbiddenError } from '../../errors/errors.js';
import { parseCidr } from '../phone/cidr.js';
import { Account } from '../../model/directory/account.entity.js';
import type { Principal } from '../auth/principal.js';
import { forgetTokens } from '../auth/token-cache.js';
import { Device } from '../../model/directory/device.entity.js';
import { Group } from '../../model/directory/group.entity.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { createDefaultPhonebook } from '../../model/phonebooks/phonebook.entity.js';
import { Profile } from '../../model/directory/profile.entity.js';
import { referenceInTenant } from './tenant-lookup.js';
import { createDefaultProfile } from './tenant-readiness.js';
import { Tenant } from '../../model/directory/tenant.entity.js';
import type { CreateTenantInput, TenantImpactType, TenantViewType, UpdateTenantInput } from './tenants.schemas.js';
import { readTogether } from '../../db/reads.js';

function checkCountry(country: string | null | undefined): void {
  if (country && !isSupportedCountry(country)) {
    throw new BadRequestError('invalid_country', `${country} is not a country the number library knows`, {
      field: 'defaultCountry',
    });
  }
}

/**
 * Canonical CIDR strings (`10.0.0.0/8`, bare addresses as /32 or /128), in the order given,
 * duplicates dropped. An empty list is stored as null: both allow any source.
 */
function phoneAllowList(entries: string[] | null | undefined): string[] | null | undefined {
  if (entries === undefined || entries === null) return entries;
  const canonical: string[] = [];
  entries.forEach((entry, index) => {
    const cidr = parseCidr(entry);
    if (!cidr)
      throw new BadRequestError(
        'invalid_cidr',
        `"${entry.slice(0, 64)}" is not a network (CIDR such as 10.20.0.0/16) or an address`,
        { field: `phoneAllowCidrs/${index}` },
      );
    const text = `${cidr.address}/${cidr.prefix}`;
    if (!canonical.includes(text)) canonical.push(text);
  });
  return canonical.length > 0 ? canonical : null;
}

/** Views for a page of tenants, with their account counts in one query. */
export async function tenantViews(em: EntityManager, tenants: Tenant[]): Promise<TenantViewType[]> {
  if (tenants.length === 0) return [];
  const rows = await em.execute<{ id: string; n: string }[]>(
    'select tenant_id as id, count(*)::text as n from accounts where tenant_id in (?) group by 1',
    [tenants.map((tenant) => tenant.id)],
  );
  const counts = new Map(rows.map((row) => [row.id, Number(row.n)]));
  return tenants.map((tenant) => ({
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    maxAccounts: tenant.maxAccounts,
    accountCount: counts.get(tenant.id) ?? 0,
    defaultCountry: tenant.defaultCountry ?? null,
    defaultProfileId: tenant.defaultProfile?.id ?? null,
    phoneAllowCidrs: tenant.phoneAllowCidrs?.length ? tenant.phoneAllowCidrs : null,
    createdAt: tenant.createdAt.toISOString(),
    updatedAt: tenant.updatedAt.toISOString(),
  }));
}

export async function tenantView(em: EntityManager, tenant: Tenant): Promise<TenantViewType> {
  return (await tenantViews(em, [tenant]))[0]!;
}

export async function createTenant(em: EntityManager, input: CreateTenantInput): Promise<Tenant> {
  checkCountry(input.defaultCountry);
  const phoneAllowCidrs = phoneAllowList(input.phoneAllowCidrs) ?? null;
  if (await em.count(Tenant, { slug: input.slug }))
    throw new ConflictError('tenant_slug_taken', `a tenant with slug ${input.slug} already exists`);
  const tenant = em.create(Tenant, {
    slug: input.slug,
    name: input.name,
    maxAccounts: input.maxAccounts ?? 2000,
    defaultCountry: input.defaultCountry ?? null,
    phoneAllowCidrs,
  });
  createDefaultPhonebook(em, tenant);
  createDefaultProfile(em, tenant);
  await em.flush();
  return tenant;
}

export async function listTenants(
  em: EntityManager,
  query: { q?: string; limit: number; offset: number },
): Promise<PageResult<Tenant>> {
  const where = query.q
    ? { $or: [{ slug: { $ilike: containsPattern(query.q) } }, { name: { $ilike: containsPattern(query.q) } }] }
    : {};
  const [items, total] = await em.findAndCount(Tenant, where, {
    orderBy: { slug: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
  return { items, total, limit: query.limit, offset: query.offset };
}

export async function updateTenant(
  em: EntityManager,
  tenant: Tenant,
  patch: UpdateTenantInput,
  principal: Principal,
): Promise<Tenant> {
  if (patch.maxAccounts !== undefined && principal.role !== 'platform') {
    throw new ForbiddenError(
      'platform_only',
      'the account limit is a licence setting: only the platform token changes it',
    );
  }
  checkCountry(patch.defaultCountry);
  const phoneAllowCidrs = phoneAllowList(patch.phoneAllowCidrs);
  if (patch.name !== undefined) tenant.name = patch.name;
  if (patch.maxAccounts !== undefined) tenant.maxAccounts = patch.maxAccounts;
  if (patch.defaultCountry !== undefined) tenant.defaultCountry = patch.defaultCountry;
  if (phoneAllowCidrs !== undefined) tenant.phoneAllowCidrs = phoneAllowCidrs;
  if (patch.defaultProfileId !== undefined) {
    tenant.defaultProfile =
      patch.defaultProfileId === null
        ? null
        : await referenceInTenant(em, Profile, tenant, patch.defaultProfileId, 'profile');
  }
  await em.flush();
  return tenant;
}

export async function tenantImpact(em: EntityManager, tenant: Tenant): Promise<TenantImpactType> {
  const [groups, accounts, numbers, devices] = await readTogether(em, [
    () => em.count(Group, { tenant }),
    () => em.count(Account, { tenant }),
    () => em.count(PhoneNumber, { tenant }),
    () => em.count(Device, { tenant }),
  ]);
  return { groups, accounts, numbers, devices };
}

/** Deletes the tenant and, by foreign-key cascade, everything it owns. Not empty → needs confirm. */
export async function deleteTenant(em: EntityManager, tenant: Tenant, confirm: boolean): Promise<void> {
  const impact = await tenantImpact(em, tenant);
  const empty = Object.values(impact).every((count) => count === 0);
  if (!empty && !confirm) {
    throw new ConflictError(
      'confirmation_required',
      'the tenant is not empty: repeat with ?confirm=true to delete it and everything it owns',
      impact,
    );
  }
  em.remove(tenant);
  await em.flush();
  // Its tokens went with it (cascade): no cached one may outlive it here.
  forgetTokens({ tenantId: tenant.id });
}
