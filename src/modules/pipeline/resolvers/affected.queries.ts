import type { Knex } from '@mikro-orm/postgresql';
import { PHONEBOOK_FORMATS } from '../../render/phonebook/index.js';
import { deviceTarget, directoryTarget, phonebookTarget, type TargetSpec } from '../fanout.types.js';

/**
 * The SQL that maps changed rows to affected render targets. Where an exact answer would need a
 * deep join these over-approximate: an extra render yields identical bytes and so changes nothing
 * downstream, while a missed one would leave a phone stale.
 */
type Row = { id: string; tenant_id: string };

async function select(trx: Knex.Transaction, sql: string, ids: string[], times = 1): Promise<Row[]> {
  if (ids.length === 0) return [];
  const result = await trx.raw(
    sql,
    Array.from({ length: times }, () => ids),
  );
  return result.rows as Row[];
}

const devices = (list: Row[]): TargetSpec[] => list.map((row) => deviceTarget(row.tenant_id, row.id));

/** Devices with a line bound to the account, directly or as the active member of a PhoneMap group. */
export async function devicesOfAccounts(trx: Knex.Transaction, accountIds: string[]): Promise<TargetSpec[]> {
  return devices(
    await select(
      trx,
      `select distinct d.id, d.tenant_id from devices d join device_lines l on l.device_id = d.id
        where l.account_id = any(?::uuid[])
           or l.phonemap_group_id in (select phonemap_group_id from phonemap_members where active and account_id = any(?::uuid[]))`,
      accountIds,
      2,
    ),
  );
}

export async function devicesOfPhonemapGroups(
  trx: Knex.Transaction,
  phonemapGroupIds: string[],
): Promise<TargetSpec[]> {
  return devices(
    await select(
      trx,
      `select distinct d.id, d.tenant_id from devices d join device_lines l on l.device_id = d.id where l.phonemap_group_id = any(?::uuid[])`,
      phonemapGroupIds,
    ),
  );
}

/** Devices of the groups' home accounts and extra members. */
export async function devicesOfGroups(trx: Knex.Transaction, groupIds: string[]): Promise<TargetSpec[]> {
  if (groupIds.length === 0) return [];
  const accounts = await select(
    trx,
    `select id, tenant_id from accounts where home_group_id = any(?::uuid[])
     union select account_id, tenant_id from group_members where group_id = any(?::uuid[])`,
    groupIds,
    2,
  );
  return devicesOfAccounts(
    trx,
    accounts.map((row) => row.id),
  );
}

export async function devicesOfClassesOfService(trx: Knex.Transaction, cosIds: string[]): Promise<TargetSpec[]> {
  if (cosIds.length === 0) return [];
  const groups = await select(
    trx,
    `select id, tenant_id from groups where class_of_service_id = any(?::uuid[])`,
    cosIds,
  );
  const phonemaps = await select(
    trx,
    `select id, tenant_id from phonemap_groups where class_of_service_id = any(?::uuid[])`,
    cosIds,
  );
  return [
    ...(await devicesOfGroups(
      trx,
      groups.map((row) => row.id),
    )),
    ...(await devicesOfPhonemapGroups(
      trx,
      phonemaps.map((row) => row.id),
    )),
  ];
}

export async function devicesOfTenants(trx: Knex.Transaction, tenantIds: string[]): Promise<TargetSpec[]> {
  return devices(await select(trx, `select id, tenant_id from devices where tenant_id = any(?::uuid[])`, tenantIds));
}

/** A profile can reach a device directly, through a group or as the tenant default: every device of its tenant. */
export async function devicesOfProfiles(
  trx: Knex.Transaction,
  profileIds: string[],
  tenantIds: string[],
): Promise<TargetSpec[]> {
  const owners = await select(trx, `select id, tenant_id from profiles where id = any(?::uuid[])`, profileIds);
  return devicesOfTenants(trx, [...new Set([...tenantIds, ...owners.map((row) => row.tenant_id)])]);
}

export function phonebookTargets(tenantId: string, phonebookId: string): TargetSpec[] {
  return PHONEBOOK_FORMATS.map((format) => phonebookTarget(tenantId, phonebookId, format));
}

export function directoryTargets(tenantIds: string[]): TargetSpec[] {
  return [...new Set(tenantIds)].flatMap((tenantId) =>
    PHONEBOOK_FORMATS.map((format) => directoryTarget(tenantId, format)),
  );
}

export async function phonebooksOfContacts(trx: Knex.Transaction, contactIds: string[]): Promise<TargetSpec[]> {
  const books = await select(
    trx,
    `select distinct phonebook_id as id, tenant_id from phonebook_contacts where contact_id = any(?::uuid[])`,
    contactIds,
  );
  return books.flatMap((row) => phonebookTargets(row.tenant_id, row.id));
}

export async function existingPhonebooks(trx: Knex.Transaction, phonebookIds: string[]): Promise<TargetSpec[]> {
  const books = await select(trx, `select id, tenant_id from phonebooks where id = any(?::uuid[])`, phonebookIds);
  return books.flatMap((row) => phonebookTargets(row.tenant_id, row.id));
}

export async function targetKeysOfTenants(trx: Knex.Transaction, tenantIds: string[]): Promise<string[]> {
  if (tenantIds.length === 0) return [];
  const result = await trx.raw(`select target_key from render_targets where tenant_id = any(?::uuid[])`, [tenantIds]);
  return (result.rows as { target_key: string }[]).map((row) => row.target_key);
}
