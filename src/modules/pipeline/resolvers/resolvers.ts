import type { Knex } from '@mikro-orm/postgresql';
import { FanoutRegistry } from '../fanout.registry.js';
import { collectKeys, type FanoutResult, type OutboxRow, type TargetSpec } from '../fanout.types.js';
import {
  devicesOfAccounts,
  devicesOfClassesOfService,
  devicesOfGroups,
  devicesOfPhonemapGroups,
  devicesOfProfiles,
  devicesOfTenants,
  directoryTargets,
  existingPhonebooks,
  phonebooksOfContacts,
  phonebookTargets,
  targetKeysOfTenants,
} from './affected.queries.js';

const tenantsOf = (rows: OutboxRow[]): string[] => [
  ...new Set(rows.map((row) => row.tenant_id).filter((id): id is string => Boolean(id))),
];
const bump = (...lists: TargetSpec[][]): FanoutResult => ({ bump: lists.flat(), remove: [] });
const deleted = (rows: OutboxRow[]) => rows.filter((row) => row.op === 'D');
const kept = (rows: OutboxRow[]) => rows.filter((row) => row.op !== 'D');

type Resolver = (trx: Knex.Transaction, rows: OutboxRow[]) => Promise<FanoutResult>;

/** The fan-out rules of architecture §3, one per captured table. */
const RESOLVERS: Record<string, Resolver> = {
  tenants: async (trx, rows) => {
    const removed = collectKeys(deleted(rows), 'id');
    const changed = collectKeys(kept(rows), 'id');
    return {
      bump: [...(await devicesOfTenants(trx, changed)), ...directoryTargets(changed)],
      remove: await targetKeysOfTenants(trx, removed),
    };
  },
  profiles: async (trx, rows) => bump(await devicesOfProfiles(trx, collectKeys(rows, 'id'), tenantsOf(rows))),
  classes_of_service: async (trx, rows) => bump(await devicesOfClassesOfService(trx, collectKeys(rows, 'id'))),
  groups: async (trx, rows) =>
    bump(await devicesOfGroups(trx, collectKeys(rows, 'id')), directoryTargets(tenantsOf(rows))),
  group_members: async (trx, rows) => bump(await devicesOfAccounts(trx, collectKeys(rows, 'account_id'))),
  group_shared_numbers: async (_trx, rows) => bump(directoryTargets(tenantsOf(rows))),
  accounts: async (trx, rows) =>
    bump(await devicesOfAccounts(trx, collectKeys(rows, 'id')), directoryTargets(tenantsOf(rows))),
  phone_numbers: async (trx, rows) =>
    bump(await devicesOfAccounts(trx, collectKeys(rows, 'account_id')), directoryTargets(tenantsOf(rows))),
  hunt_groups: async (_trx, rows) => bump(directoryTargets(tenantsOf(rows))),
  hunt_group_members: async (_trx, rows) => bump(directoryTargets(tenantsOf(rows))),
  auto_attendants: async (_trx, rows) => bump(directoryTargets(tenantsOf(rows))),
  auto_attendant_options: async (_trx, rows) => bump(directoryTargets(tenantsOf(rows))),
  phonemap_groups: async (trx, rows) => bump(await devicesOfPhonemapGroups(trx, collectKeys(rows, 'id'))),
  phonemap_members: async (trx, rows) =>
    bump(await devicesOfPhonemapGroups(trx, collectKeys(rows, 'phonemap_group_id'))),
  devices: async (trx, rows) => {
    const removedIds = collectKeys(deleted(rows), 'id');
    const live = await trx.raw(`select id, tenant_id from devices where id = any(?::uuid[])`, [
      collectKeys(kept(rows), 'id'),
    ]);
    return {
      bump: (live.rows as { id: string; tenant_id: string }[]).map((row) => ({
        targetKey: `device:${row.id}`,
        tenantId: row.tenant_id,
        kind: 'device' as const,
        refId: row.id,
        format: null,
      })),
      remove: removedIds.map((id) => `device:${id}`),
    };
  },
  device_lines: async (trx, rows) => {
    const deviceIds = collectKeys(rows, 'device_id');
    const live = await trx.raw(`select id, tenant_id from devices where id = any(?::uuid[])`, [deviceIds]);
    return bump(
      (live.rows as { id: string; tenant_id: string }[]).map((row) => ({
        targetKey: `device:${row.id}`,
        tenantId: row.tenant_id,
        kind: 'device' as const,
        refId: row.id,
        format: null,
      })),
    );
  },
  contacts: async (trx, rows) => bump(await phonebooksOfContacts(trx, collectKeys(rows, 'id'))),
  contact_numbers: async (trx, rows) => bump(await phonebooksOfContacts(trx, collectKeys(rows, 'contact_id'))),
  phonebooks: async (trx, rows) => {
    const removed = deleted(rows).flatMap((row) => phonebookTargets(row.tenant_id!, String(row.keys.id)));
    // A phonebook's name and visibility appear in device configs (remote phonebook URLs).
    const books = await existingPhonebooks(trx, collectKeys(kept(rows), 'id'));
    return {
      bump: [...books, ...(await devicesOfTenants(trx, tenantsOf(rows)))],
      remove: removed.map((spec) => spec.targetKey),
    };
  },
  phonebook_contacts: async (trx, rows) => bump(await existingPhonebooks(trx, collectKeys(rows, 'phonebook_id'))),
  phonebook_groups: async (trx, rows) => bump(await devicesOfTenants(trx, tenantsOf(rows))),
  // A grant decides whether a device file carries the key that opens the phone contacts app.
  contact_grants: async (trx, rows) =>
    bump(
      await devicesOfAccounts(trx, collectKeys(rows, 'account_id')),
      await devicesOfGroups(trx, collectKeys(rows, 'group_id')),
    ),
};

export function defaultFanoutRegistry(): FanoutRegistry {
  const registry = new FanoutRegistry();
  for (const [table, resolver] of Object.entries(RESOLVERS)) registry.register(table, resolver);
  return registry;
}

export const RESOLVED_TABLES = Object.keys(RESOLVERS);
