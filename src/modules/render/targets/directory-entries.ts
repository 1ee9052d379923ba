import type { Knex } from '@mikro-orm/postgresql';
import type { PhonebookEntry, PhonebookNumber } from '../phonebook/index.js';
import { ENTRY_BATCH_SIZE } from './phonebook-entries.js';

interface DirectoryRow {
  kind: 'account' | 'hunt_group' | 'shared_number';
  id: string;
  name: string;
  extension: string | null;
  number: string | null;
  group_name: string | null;
}

/*
 * The internal directory: enabled accounts (display name, extension, primary number; folder = home
 * group), hunt groups (name, extension, lowest number) and numbers shared with groups (the group's
 * name and the number). Same columns as the live directory API (phonebooks/internal-directory.ts).
 */
const DIRECTORY_SQL = `
  select 'account' as kind, a.id, a.display_name as name, a.extension, pn.e164 as number, g.name as group_name
    from accounts a
    join groups g on g.id = a.home_group_id
    left join phone_numbers pn on pn.account_id = a.id and pn.account_role = 'primary'
   where a.tenant_id = ? and a.enabled
  union all
  select 'hunt_group', h.id, h.name, h.extension, (select min(n.e164) from phone_numbers n where n.hunt_group_id = h.id), null
    from hunt_groups h
   where h.tenant_id = ?
  union all
  select 'shared_number', s.id, g.name, null, n.e164, g.name
    from group_shared_numbers s
    join groups g on g.id = s.group_id
    join phone_numbers n on n.id = s.number_id
   where s.tenant_id = ?`;

function entryOf(row: DirectoryRow): PhonebookEntry {
  const numbers: PhonebookNumber[] = [];
  if (row.extension) numbers.push({ type: 'extension', number: row.extension });
  if (row.number) numbers.push({ type: 'work', number: row.number });
  // The whole name goes into lastName: the directory has display names, not split names, and the
  // renderers' order (lastName, firstName, id) is then the order by name.
  const entry: PhonebookEntry = { id: row.id, lastName: row.name, numbers };
  if (row.group_name) entry.group = row.group_name;
  return entry;
}

/** The tenant's internal directory in the renderers' order (name, id), keyset-paginated like phonebookEntries. */
export async function* directoryEntries(
  knex: Knex,
  tenantId: string,
  batchSize = ENTRY_BATCH_SIZE,
): AsyncGenerator<PhonebookEntry> {
  let after: [string, string] | null = null;
  for (;;) {
    const keyset = after ? 'where (d.name, d.id) > (?, ?::uuid)' : '';
    const rows = (
      await knex.raw(`select * from (${DIRECTORY_SQL}) d ${keyset} order by d.name, d.id limit ?`, [
        tenantId,
        tenantId,
        tenantId,
        ...(after ?? []),
        batchSize,
      ])
    ).rows as DirectoryRow[];
    for (const row of rows) yield entryOf(row);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1]!;
    after = [last.name, last.id];
  }
}
