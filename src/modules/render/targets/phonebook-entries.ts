import type { Knex } from '@mikro-orm/postgresql';
import type { PhonebookEntry, PhonebookNumberType } from '../phonebook/index.js';

export const ENTRY_BATCH_SIZE = 1000;

interface ContactRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  sort_last: string;
  sort_first: string;
}

/**
 * One phonebook's contacts in the renderers' order (last name, first name, id — empty names first,
 * the order of contacts_tenant_sort_index), with their numbers, read in keyset-paginated batches:
 * each query continues after the last row of the previous one, so memory holds one batch and no
 * transaction stays open while a 50,000-contact book is written.
 */
export async function* phonebookEntries(
  knex: Knex,
  tenantId: string,
  phonebookId: string,
  batchSize = ENTRY_BATCH_SIZE,
): AsyncGenerator<PhonebookEntry> {
  let after: [string, string, string] | null = null;
  for (;;) {
    const keyset = after ? `and (coalesce(c.last_name, ''), coalesce(c.first_name, ''), c.id) > (?, ?, ?::uuid)` : '';
    const contacts = (
      await knex.raw(
        `select c.id, c.first_name, c.last_name, c.company, c.title,
                coalesce(c.last_name, '') as sort_last, coalesce(c.first_name, '') as sort_first
           from contacts c
          where c.tenant_id = ?
            and exists (select 1 from phonebook_contacts pc where pc.contact_id = c.id and pc.phonebook_id = ?)
            ${keyset}
          order by coalesce(c.last_name, ''), coalesce(c.first_name, ''), c.id
          limit ?`,
        [tenantId, phonebookId, ...(after ?? []), batchSize],
      )
    ).rows as ContactRow[];
    if (contacts.length === 0) return;
    const numbers = (
      await knex.raw(
        `select contact_id, type, number from contact_numbers where contact_id = any(?::uuid[]) order by contact_id, position`,
        [contacts.map((contact) => contact.id)],
      )
    ).rows as { contact_id: string; type: PhonebookNumberType; number: string }[];
    const byContact = new Map<string, { type: PhonebookNumberType; number: string }[]>();
    for (const row of numbers) {
      const list = byContact.get(row.contact_id) ?? [];
      list.push({ type: row.type, number: row.number });
      byContact.set(row.contact_id, list);
    }
    for (const contact of contacts) {
      const entry: PhonebookEntry = { id: contact.id, numbers: byContact.get(contact.id) ?? [] };
      if (contact.first_name !== null) entry.firstName = contact.first_name;
      if (contact.last_name !== null) entry.lastName = contact.last_name;
      if (contact.company !== null) entry.company = contact.company;
      if (contact.title !== null) entry.title = contact.title;
      yield entry;
    }
    if (contacts.length < batchSize) return;
    const last = contacts[contacts.length - 1]!;
    after = [last.sort_last, last.sort_first, last.id];
  }
}
