import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContactViewType } from './contacts.schemas.js';
import { sqlRows } from './sql-rows.js';
import { readTogether } from '../../db/reads.js';
import type { NumberType } from '../../model/contacts/contact-number.entity.js';

interface ContactRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * Views of the given contacts of one tenant, in the order of `ids` (ids of other tenants or
 * deleted contacts are left out). Three queries whatever the page size.
 */
export async function loadContactViews(em: EntityManager, tenantId: string, ids: string[]): Promise<ContactViewType[]> {
  if (ids.length === 0) return [];
  const [contacts, numbers, memberships] = await readTogether(em, [
    () =>
      sqlRows<ContactRow>(
        em,
        `select id, first_name, last_name, company, title, email, created_at, updated_at from contacts where tenant_id = ? and id = any(?::uuid[])`,
        [tenantId, ids],
      ),
    () =>
      sqlRows<{ contact_id: string; type: NumberType; number: string }>(
        em,
        `select contact_id, type, number from contact_numbers where tenant_id = ? and contact_id = any(?::uuid[]) order by contact_id, position`,
        [tenantId, ids],
      ),
    () =>
      sqlRows<{ contact_id: string; phonebook_id: string }>(
        em,
        `select contact_id, phonebook_id from phonebook_contacts where tenant_id = ? and contact_id = any(?::uuid[]) order by contact_id, phonebook_id`,
        [tenantId, ids],
      ),
  ]);
  const numbersOf = groupBy(numbers, (row) => row.contact_id);
  const phonebooksOf = groupBy(memberships, (row) => row.contact_id);
  const byId = new Map(contacts.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        id: row.id,
        firstName: row.first_name,
        lastName: row.last_name,
        company: row.company,
        title: row.title,
        email: row.email,
        numbers: (numbersOf.get(id) ?? []).map(({ type, number }) => ({ type, number })),
        phonebookIds: (phonebooksOf.get(id) ?? []).map((m) => m.phonebook_id),
        createdAt: new Date(row.created_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
      },
    ];
  });
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
