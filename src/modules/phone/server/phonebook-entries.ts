import type { PhonebookEntry, PhonebookNumber } from '../../render/phonebook/index.js';
import type { Sql } from './sql.js';

/**
 * Entries of a phonebook render target for server-side search, in the renderers' order
 * (last name, first name, id). `phonebook` targets read the phonebook's contacts; `directory`
 * targets read the tenant's internal directory (accounts, hunt groups, group shared numbers).
 */

export interface SearchSource {
  title: string;
  entries: PhonebookEntry[];
}

interface ContactRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  numbers: PhonebookNumber[] | null;
}

const CONTACTS_SQL = `
  select c.id::text as id, c.first_name, c.last_name, c.company, c.title,
         (select json_agg(json_build_object('type', n.type, 'number', n.number) order by n.position)
            from contact_numbers n where n.contact_id = c.id) as numbers
    from phonebook_contacts pc
    join contacts c on c.id = pc.contact_id
   where pc.phonebook_id = ?
   order by coalesce(c.last_name, ''), coalesce(c.first_name, ''), c.id`;

interface DirectoryRow {
  id: string;
  name: string;
  extension: string | null;
  number: string | null;
  group_name: string | null;
}

const DIRECTORY_SQL = `
  select * from (
    select a.id::text as id, a.display_name as name, a.extension, pn.e164 as number, g.name as group_name
      from accounts a
      join groups g on g.id = a.home_group_id
      left join phone_numbers pn on pn.account_id = a.id and pn.account_role = 'primary'
     where a.tenant_id = ? and a.enabled
    union all
    select h.id::text, h.name, h.extension, (select min(n.e164) from phone_numbers n where n.hunt_group_id = h.id), null
      from hunt_groups h where h.tenant_id = ?
    union all
    select s.id::text, g.name, null, n.e164, g.name
      from group_shared_numbers s
      join groups g on g.id = s.group_id
      join phone_numbers n on n.id = s.number_id
     where s.tenant_id = ?
  ) d order by d.name, d.id`;

export async function loadSearchSource(sql: Sql, target: { kind: string; refId: string; tenantId: string }): Promise<SearchSource | undefined> {
  if (target.kind === 'phonebook') {
    const [book] = await sql<{ name: string }>(`select name from phonebooks where id = ?`, [target.refId]);
    if (!book) return undefined;
    const rows = await sql<ContactRow>(CONTACTS_SQL, [target.refId]);
    return {
      title: book.name,
      entries: rows.map((row) => ({
        id: row.id,
        firstName: row.first_name ?? undefined,
        lastName: row.last_name ?? undefined,
        company: row.company ?? undefined,
        title: row.title ?? undefined,
        numbers: row.numbers ?? [],
      })),
    };
  }
  if (target.kind === 'directory') {
    const rows = await sql<DirectoryRow>(DIRECTORY_SQL, [target.refId, target.refId, target.refId]);
    return {
      title: 'Internal directory',
      entries: rows.map((row) => {
        const numbers: PhonebookNumber[] = [];
        if (row.extension) numbers.push({ type: 'extension', number: row.extension });
        if (row.number) numbers.push({ type: 'work', number: row.number });
        return { id: row.id, lastName: row.name, numbers, group: row.group_name ?? undefined };
      }),
    };
  }
  return undefined;
}
