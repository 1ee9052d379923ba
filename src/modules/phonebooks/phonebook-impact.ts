import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '../contacts/sql-rows.js';
import { syncRowsSql } from '../notify/sync/sync-state.sql.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import type { Phonebook } from '../../model/phonebooks/phonebook.entity.js';

/**
 * The devices that see each phonebook (`seen.phonebook_id`, `seen.device_id`): visibility `all`,
 * or a line of the device bound to an account of one of the book's groups (home group or extra
 * member; for a PhoneMap line, its active members). The same rule as phonebooksSeenBy, asked
 * from the book's side.
 */
const SEEN_SQL = `
  select p.id as phonebook_id, d.id as device_id
    from phonebooks p join devices d on d.tenant_id = p.tenant_id
   where p.tenant_id = ? and p.id = any(?::uuid[])
     and (p.visibility = 'all' or exists (
           select 1 from device_lines l
             join accounts a on a.id = l.account_id
                or a.id in (select m.account_id from phonemap_members m where m.active and m.phonemap_group_id = l.phonemap_group_id)
            where l.device_id = d.id
              and (a.home_group_id in (select pg.group_id from phonebook_groups pg where pg.phonebook_id = p.id)
                   or exists (select 1 from group_members gm join phonebook_groups pg on pg.group_id = gm.group_id
                               where gm.account_id = a.id and pg.phonebook_id = p.id))))`;

export interface PhonebookPhones {
  /** Devices that see the book: their device file lists it. */
  phones: number;
  /** Of those, devices whose current files (which carry the book's URL) they have fetched. */
  inSync: number;
}

/** Per phonebook, the phones that see it and how many of them are in sync (one query for a page of books). */
export async function phonebookPhones(
  em: EntityManager,
  tenant: Tenant,
  phonebookIds: string[],
): Promise<Map<string, PhonebookPhones>> {
  const result = new Map<string, PhonebookPhones>(phonebookIds.map((id) => [id, { phones: 0, inSync: 0 }]));
  if (phonebookIds.length === 0) return result;
  const rows = await sqlRows<{ phonebook_id: string; phones: number; in_sync: number }>(
    em,
    `select seen.phonebook_id, count(*)::int as phones, count(*) filter (where x.state = 'in-sync')::int as in_sync
       from (${SEEN_SQL}) seen join (${syncRowsSql('d.tenant_id = ?')}) x on x.device_id = seen.device_id
      group by seen.phonebook_id`,
    [tenant.id, phonebookIds, tenant.id],
  );
  for (const row of rows) result.set(row.phonebook_id, { phones: Number(row.phones), inSync: Number(row.in_sync) });
  return result;
}

export interface PhonebookImpact {
  /** Member contacts that stay in another phonebook. */
  contactsStaying: number;
  /** Member contacts for which this is the only phonebook (they stay in Company Contacts). */
  contactsLosingOnlyBook: number;
  /** Names of the groups that see the book; null when every device of the tenant sees it. */
  groups: string[] | null;
  /** Devices whose device file lists the book, so it changes when the book goes. */
  phones: number;
}

/** What deleting a phonebook changes: its members' other books, the groups and the phones that see it. */
export async function phonebookImpact(
  em: EntityManager,
  tenant: Tenant,
  phonebook: Phonebook,
): Promise<PhonebookImpact> {
  const [members] = await sqlRows<{ staying: number; only: number }>(
    em,
    `select count(*) filter (where other.n > 0)::int as staying, count(*) filter (where other.n = 0)::int as only
       from phonebook_contacts pc
       cross join lateral (select count(*) as n from phonebook_contacts o where o.contact_id = pc.contact_id and o.phonebook_id <> pc.phonebook_id) other
      where pc.phonebook_id = ? and pc.tenant_id = ?`,
    [phonebook.id, tenant.id],
  );
  const groups = await sqlRows<{ name: string }>(
    em,
    `select g.name from phonebook_groups pg join groups g on g.id = pg.group_id where pg.phonebook_id = ? order by g.name`,
    [phonebook.id],
  );
  const phones = (await phonebookPhones(em, tenant, [phonebook.id])).get(phonebook.id)!.phones;
  return {
    contactsStaying: Number(members?.staying ?? 0),
    contactsLosingOnlyBook: Number(members?.only ?? 0),
    groups: phonebook.visibility === 'all' ? null : groups.map((g) => g.name),
    phones,
  };
}
