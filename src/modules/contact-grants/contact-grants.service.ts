import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../../model/directory/account.entity.js';
import { Group } from '../../model/directory/group.entity.js';
import { CONTACT_PERMISSIONS, type ContactPermissionName } from '../../model/contacts/contact-permission.entity.js';
import { canonicalPermissions } from '../contacts/contact-permissions.js';
import { sqlRows } from '../contacts/sql-rows.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { ContactGrant } from '../../model/contacts/contact-grant.entity.js';

/** Where one effective permission comes from: the user's own grant or a group's. */
export type GrantSource = { kind: 'user' } | { kind: 'group'; groupId: string; groupName: string };

export interface EffectivePermissions {
  permissions: ContactPermissionName[];
  /** For each held permission, every grant that gives it (the user's own first, then groups by name). */
  sources: Partial<Record<ContactPermissionName, GrantSource[]>>;
}

interface GrantRow {
  subject_id: string;
  subject_tenant_id: string;
  permissions: string[];
  account_id: string | null;
  group_id: string | null;
  group_name: string | null;
}

/** Runs one parameterised read: through an EntityManager (sqlRows) or a knex transaction. */
export type ReadRows = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export const readWithEm =
  (em: EntityManager): ReadRows =>
  (sql, params) =>
    sqlRows(em, sql, params);

// Grants that reach each account: its own, its home group's, its extra groups'. Disabled accounts hold nothing.
const GRANTS_SQL = `
  select a.id::text as subject_id, a.tenant_id::text as subject_tenant_id, g.permissions,
         g.account_id::text as account_id, g.group_id::text as group_id, gr.name as group_name
    from accounts a
    join contact_grants g on g.tenant_id = a.tenant_id
     and (g.account_id = a.id
          or g.group_id = a.home_group_id
          or g.group_id in (select gm.group_id from group_members gm where gm.account_id = a.id))
    left join groups gr on gr.id = g.group_id
   where a.id = any(?::uuid[]) and a.enabled
   order by a.id, g.account_id is null, gr.name, g.id`;

/**
 * The one rule every client reads (REST, console, phone app, device render), for many accounts in
 * one statement: the union of each user's own grant and the grants of each group the user belongs
 * to (home group and extra memberships), with the source of each permission. By account id;
 * an account of no grant (or disabled) maps to no permission.
 */
export async function effectivePermissionsOf(
  read: ReadRows,
  accountIds: readonly string[],
): Promise<Map<string, EffectivePermissions & { tenantId: string }>> {
  const result = new Map<string, EffectivePermissions & { tenantId: string }>();
  if (accountIds.length === 0) return result;
  const rows = await read<GrantRow>(GRANTS_SQL, [[...new Set(accountIds)]]);
  for (const row of rows) {
    let entry = result.get(row.subject_id);
    if (!entry) result.set(row.subject_id, (entry = { tenantId: row.subject_tenant_id, permissions: [], sources: {} }));
    const source: GrantSource = row.account_id
      ? { kind: 'user' }
      : { kind: 'group', groupId: row.group_id!, groupName: row.group_name ?? '' };
    for (const permission of canonicalPermissions(row.permissions)) (entry.sources[permission] ??= []).push(source);
  }
  for (const entry of result.values())
    entry.permissions = CONTACT_PERMISSIONS.filter((permission) => entry.sources[permission]);
  return result;
}

/** One user's effective permissions in the tenant (an account of another tenant holds nothing here). */
export async function effectiveContactPermissions(
  em: EntityManager,
  tenantId: string,
  accountId: string,
): Promise<EffectivePermissions> {
  const entry = (await effectivePermissionsOf(readWithEm(em), [accountId])).get(accountId);
  if (!entry || entry.tenantId !== tenantId) return { permissions: [], sources: {} };
  return { permissions: entry.permissions, sources: entry.sources };
}

export type GrantSubject = { kind: 'user'; id: string } | { kind: 'group'; id: string };

async function subjectFilter(em: EntityManager, tenant: Tenant, subject: GrantSubject) {
  if (subject.kind === 'user') return { account: await findInTenant(em, Account, tenant, subject.id, 'account') };
  return { group: await findInTenant(em, Group, tenant, subject.id, 'group') };
}

/** What was granted to the subject itself (not through groups). */
export async function grantOf(
  em: EntityManager,
  tenant: Tenant,
  subject: GrantSubject,
): Promise<ContactPermissionName[]> {
  const filter = await subjectFilter(em, tenant, subject);
  const row = await em.findOne(ContactGrant, { tenant, ...filter });
  return row ? canonicalPermissions(row.permissions) : [];
}

/**
 * Replaces the subject's grant; an empty list removes the row. Written through the ORM, so the
 * audit trail records who changed which grant, and capture re-renders the affected devices.
 */
export async function setGrant(
  em: EntityManager,
  tenant: Tenant,
  subject: GrantSubject,
  permissions: readonly string[],
): Promise<ContactPermissionName[]> {
  const filter = await subjectFilter(em, tenant, subject);
  const wanted = canonicalPermissions(permissions);
  const row = await em.findOne(ContactGrant, { tenant, ...filter });
  if (wanted.length === 0) {
    if (row) em.remove(row);
  } else if (row) {
    if (JSON.stringify(row.permissions) !== JSON.stringify(wanted)) row.permissions = wanted;
  } else {
    em.create(ContactGrant, { tenant, ...filter, permissions: wanted });
  }
  await em.flush();
  return wanted;
}
