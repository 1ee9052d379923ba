import type { Knex } from '@mikro-orm/postgresql';
import { type NormalisedContact } from './io/contact-draft.js';
import type { NumberType } from '../../model/contacts/contact-number.entity.js';

export const EXPORT_BATCH_SIZE = 1000;

interface Row {
  id: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  sort_last: string;
  sort_first: string;
}

/**
 * The tenant's contacts (or one phonebook's) in the stable order (last name, first name, id),
 * read in keyset-paginated batches: each query continues after the last row of the previous
 * one, so memory stays at one batch and the export never holds a long transaction open.
 */
export async function* contactsForExport(
  knex: Knex,
  tenantId: string,
  phonebookId: string | null,
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<NormalisedContact> {
  let after: [string, string, string] | null = null;
  for (;;) {
    const where = ['c.tenant_id = ?'];
    const params: unknown[] = [tenantId];
    if (phonebookId) {
      where.push('exists (select 1 from phonebook_contacts pc where pc.contact_id = c.id and pc.phonebook_id = ?)');
      params.push(phonebookId);
    }
    if (after) {
      where.push(`(coalesce(c.last_name, ''), coalesce(c.first_name, ''), c.id) > (?, ?, ?::uuid)`);
      params.push(...after);
    }
    const contacts = (
      await knex.raw(
        `select c.id, c.first_name, c.last_name, c.company, c.title, c.email,
              coalesce(c.last_name, '') as sort_last, coalesce(c.first_name, '') as sort_first
         from contacts c where ${where.join(' and ')}
        order by coalesce(c.last_name, ''), coalesce(c.first_name, ''), c.id limit ?`,
        [...params, batchSize],
      )
    ).rows as Row[];
    if (contacts.length === 0) return;
    const numbers = (
      await knex.raw(
        `select contact_id, type, number from contact_numbers where contact_id = any(?::uuid[]) order by contact_id, position`,
        [contacts.map((c) => c.id)],
      )
    ).rows as { contact_id: string; type: NumberType; number: string }[];
    const byContact = new Map<string, { type: NumberType; number: string }[]>();
    for (const n of numbers) {
      const list = byContact.get(n.contact_id) ?? [];
      list.push({ type: n.type, number: n.number });
      byContact.set(n.contact_id, list);
    }
    for (const c of contacts) {
      yield {
        firstName: c.first_name,
        lastName: c.last_name,
        company: c.company,
        title: c.title,
        email: c.email,
        numbers: byContact.get(c.id) ?? [],
      };
    }
    const last = contacts[contacts.length - 1]!;
    after = [last.sort_last, last.sort_first, last.id];
    if (contacts.length < batchSize) return;
  }
}
