import type { Knex } from '@mikro-orm/postgresql';
import { type NormalisedContact } from '../io/contact-draft.js';
import { searchTextFor } from '../contact-search.js';
import type { ExistingContact } from './import-plan.js';
import type { NumberType } from '../../../model/contacts/contact-number.entity.js';

/**
 * Set-based writes of one import batch: each statement takes the whole batch as one JSON
 * parameter (jsonb_to_recordset), so a 500-row batch is a handful of statements and never hits
 * the bind-parameter limit. Change capture sees these rows like any other write.
 */
type Db = Knex | Knex.Transaction;

interface ContactRow {
  id: string;
  dedupe_key: string;
  first_name: string | null;
  last_name: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
}

/** Existing contacts with any of the keys; with several per key the oldest wins, so merges are deterministic. */
export async function findByKeys(db: Db, tenantId: string, keys: string[]): Promise<Map<string, ExistingContact>> {
  const found = new Map<string, ExistingContact>();
  if (keys.length === 0) return found;
  const contacts = (
    await db.raw(
      `select distinct on (dedupe_key) id, dedupe_key, first_name, last_name, company, title, email
       from contacts where tenant_id = ? and dedupe_key = any(?::text[]) order by dedupe_key, created_at, id`,
      [tenantId, keys],
    )
  ).rows as ContactRow[];
  if (contacts.length === 0) return found;
  const numbers = (
    await db.raw(
      `select contact_id, type, number from contact_numbers where contact_id = any(?::uuid[]) order by contact_id, position`,
      [contacts.map((c) => c.id)],
    )
  ).rows as { contact_id: string; type: NumberType; number: string }[];
  for (const row of contacts) {
    const contact: NormalisedContact = {
      firstName: row.first_name,
      lastName: row.last_name,
      company: row.company,
      title: row.title,
      email: row.email,
      numbers: numbers.filter((n) => n.contact_id === row.id).map(({ type, number }) => ({ type, number })),
    };
    found.set(row.dedupe_key, { id: row.id, contact });
  }
  return found;
}

function contactRecord(id: string, key: string, contact: NormalisedContact) {
  return {
    id,
    dedupe_key: key,
    first_name: contact.firstName,
    last_name: contact.lastName,
    company: contact.company,
    title: contact.title,
    email: contact.email,
    search_text: searchTextFor(contact),
  };
}

const CONTACT_COLUMNS =
  'id uuid, dedupe_key text, first_name text, last_name text, company text, title text, email text, search_text text';

export async function insertContacts(
  db: Db,
  tenantId: string,
  rows: { id: string; key: string; contact: NormalisedContact }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.raw(
    `insert into contacts (id, tenant_id, dedupe_key, first_name, last_name, company, title, email, search_text)
     select t.id, ?::uuid, t.dedupe_key, t.first_name, t.last_name, t.company, t.title, t.email, t.search_text
       from jsonb_to_recordset(?::jsonb) as t(${CONTACT_COLUMNS})`,
    [tenantId, JSON.stringify(rows.map((r) => contactRecord(r.id, r.key, r.contact)))],
  );
  await insertNumbers(db, tenantId, rows);
}

/** Rewrites merged contacts: fields, search text and the whole number list. The duplicate key does not change. */
export async function updateContacts(
  db: Db,
  tenantId: string,
  rows: { id: string; contact: NormalisedContact }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.raw(
    `update contacts c
        set first_name = t.first_name, last_name = t.last_name, company = t.company, title = t.title, email = t.email,
            search_text = t.search_text, updated_at = now()
       from jsonb_to_recordset(?::jsonb) as t(${CONTACT_COLUMNS})
      where c.id = t.id and c.tenant_id = ?`,
    [JSON.stringify(rows.map((r) => contactRecord(r.id, '', r.contact))), tenantId],
  );
  await db.raw(`delete from contact_numbers where tenant_id = ? and contact_id = any(?::uuid[])`, [
    tenantId,
    rows.map((r) => r.id),
  ]);
  await insertNumbers(db, tenantId, rows);
}

async function insertNumbers(
  db: Db,
  tenantId: string,
  rows: { id: string; contact: NormalisedContact }[],
): Promise<void> {
  const numbers = rows.flatMap((r) =>
    r.contact.numbers.map((n, position) => ({ contact_id: r.id, type: n.type, number: n.number, position })),
  );
  if (numbers.length === 0) return;
  await db.raw(
    `insert into contact_numbers (id, tenant_id, contact_id, type, number, position)
     select gen_random_uuid(), ?::uuid, t.contact_id, t.type, t.number, t.position
       from jsonb_to_recordset(?::jsonb) as t(contact_id uuid, type text, number text, position int)`,
    [tenantId, JSON.stringify(numbers)],
  );
}

export async function addToPhonebooks(
  db: Db,
  tenantId: string,
  phonebookIds: string[],
  contactIds: string[],
): Promise<void> {
  if (phonebookIds.length === 0 || contactIds.length === 0) return;
  await db.raw(
    `insert into phonebook_contacts (id, tenant_id, phonebook_id, contact_id)
     select gen_random_uuid(), ?::uuid, p.id, c.id from unnest(?::uuid[]) as p(id) cross join unnest(?::uuid[]) as c(id)
     on conflict (phonebook_id, contact_id) do nothing`,
    [tenantId, phonebookIds, contactIds],
  );
}

/** The phonebooks every imported contact joins: the chosen one and the tenant's default. */
export async function importPhonebooks(db: Db, tenantId: string, chosen: string | null): Promise<string[]> {
  const rows = (
    await db.raw(`select id from phonebooks where tenant_id = ? and (is_default or id = ?::uuid)`, [tenantId, chosen])
  ).rows as { id: string }[];
  return rows.map((r) => r.id).sort();
}
