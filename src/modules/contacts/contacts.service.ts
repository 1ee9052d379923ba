import type { EntityManager } from '@mikro-orm/postgresql';
import type { PageResult } from '../../http/api-schemas.js';
import { containsPattern } from '../../db/like.js';
import { BadRequestError, NotFoundError } from '../../errors/errors.js';
import { Phonebook } from '../../model/phonebooks/phonebook.entity.js';
import { PhonebookContact } from '../../model/phonebooks/phonebook-contact.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { ContactNumber } from '../../model/contacts/contact-number.entity.js';
import { searchTerms, searchTextFor, storedDedupeKey } from './contact-search.js';
import { loadContactViews } from './contact.view.js';
import { Contact } from '../../model/contacts/contact.entity.js';
import type {
  ContactListQueryType,
  ContactViewType,
  CreateContactInput,
  UpdateContactInput,
} from './contacts.schemas.js';
import { validateDraft, type ContactDraft, type NormalisedContact } from './io/contact-draft.js';
import { sqlRows } from './sql-rows.js';
import { readTogether } from '../../db/reads.js';

/** Validates like an import row does; a rejected body lists every field error. */
function validated(draft: ContactDraft, tenant: Tenant): NormalisedContact {
  const result = validateDraft(draft, { defaultCountry: tenant.defaultCountry ?? undefined });
  if (!result.ok)
    throw new BadRequestError('invalid_contact', result.errors.map((e) => e.message).join('; '), {
      errors: result.errors,
    });
  return result.contact;
}

function draftOf(input: Omit<CreateContactInput, 'phonebookIds'>): ContactDraft {
  return {
    firstName: input.firstName ?? undefined,
    lastName: input.lastName ?? undefined,
    company: input.company ?? undefined,
    title: input.title ?? undefined,
    email: input.email ?? undefined,
    numbers: input.numbers,
  };
}

function applyValue(contact: Contact, value: NormalisedContact): void {
  contact.firstName = value.firstName;
  contact.lastName = value.lastName;
  contact.company = value.company;
  contact.title = value.title;
  contact.email = value.email;
  contact.searchText = searchTextFor(value);
  contact.dedupeKey = storedDedupeKey(value);
}

function addNumbers(em: EntityManager, contact: Contact, value: NormalisedContact): void {
  value.numbers.forEach((n, position) =>
    em.create(ContactNumber, { tenant: contact.tenant, contact, type: n.type, number: n.number, position }),
  );
}

async function phonebooksById(em: EntityManager, tenant: Tenant, ids: string[]): Promise<Phonebook[]> {
  if (ids.length === 0) return [];
  const found = await em.find(Phonebook, { tenant, id: { $in: ids } });
  const missing = ids.filter((id) => !found.some((pb) => pb.id === id));
  if (missing.length > 0) {
    throw new BadRequestError('unknown_reference', `phonebook ${missing[0]} does not exist in this tenant`, {
      field: 'phonebookIds',
      ids: missing,
    });
  }
  return found;
}

/** A new contact joins the requested phonebooks and the tenant's default phonebook, in one transaction. */
export async function createContact(
  em: EntityManager,
  tenant: Tenant,
  input: CreateContactInput,
): Promise<ContactViewType> {
  const value = validated(draftOf(input), tenant);
  const chosen = await phonebooksById(em, tenant, input.phonebookIds ?? []);
  const fallback = await em.findOne(Phonebook, { tenant, isDefault: true });
  const phonebooks = new Map([...chosen, ...(fallback ? [fallback] : [])].map((pb) => [pb.id, pb]));
  const contact = em.create(Contact, { tenant, searchText: '', dedupeKey: '' });
  applyValue(contact, value);
  addNumbers(em, contact, value);
  for (const phonebook of phonebooks.values()) em.create(PhonebookContact, { tenant, phonebook, contact });
  await em.flush();
  return (await loadContactViews(em, tenant.id, [contact.id]))[0]!;
}

export async function getContact(em: EntityManager, tenant: Tenant, id: string): Promise<ContactViewType> {
  const [view] = await loadContactViews(em, tenant.id, [id]);
  if (!view) throw new NotFoundError('contact');
  return view;
}

/** Fields absent from the body keep their value; `numbers`, when given, replaces every number. */
export async function updateContact(
  em: EntityManager,
  tenant: Tenant,
  id: string,
  patch: UpdateContactInput,
): Promise<ContactViewType> {
  const contact = await findInTenant(em, Contact, tenant, id, 'contact');
  await em.populate(contact, ['numbers']);
  const current = contact.numbers.getItems().map((n) => ({ type: n.type, number: n.number }));
  const pick = (field: keyof Omit<UpdateContactInput, 'numbers'>) =>
    patch[field] !== undefined ? patch[field] : (contact[field] ?? null);
  const value = validated(
    draftOf({
      firstName: pick('firstName'),
      lastName: pick('lastName'),
      company: pick('company'),
      title: pick('title'),
      email: pick('email'),
      numbers: patch.numbers ?? current,
    }),
    tenant,
  );
  applyValue(contact, value);
  if (JSON.stringify(value.numbers) !== JSON.stringify(current)) {
    for (const n of contact.numbers.getItems()) em.remove(n);
    addNumbers(em, contact, value);
  }
  await em.flush();
  return getContact(em, tenant, id);
}

export async function deleteContact(em: EntityManager, tenant: Tenant, id: string): Promise<void> {
  const contact = await findInTenant(em, Contact, tenant, id, 'contact');
  em.remove(contact);
  await em.flush();
}

/** Deletes the tenant's contacts among `ids` in one transaction; the rest are reported, untouched. */
export async function bulkDeleteContacts(
  em: EntityManager,
  tenant: Tenant,
  ids: string[],
): Promise<{ deleted: number; notFound: string[] }> {
  const found = await em.find(Contact, { tenant, id: { $in: ids } });
  for (const contact of found) em.remove(contact);
  await em.flush();
  const deleted = new Set(found.map((c) => c.id));
  return { deleted: found.length, notFound: ids.filter((id) => !deleted.has(id)) };
}

/** Search and page in the stable order (last name, first name, id). */
export async function listContacts(
  em: EntityManager,
  tenant: Tenant,
  query: ContactListQueryType,
): Promise<PageResult<ContactViewType>> {
  const where = ['c.tenant_id = ?'];
  const params: unknown[] = [tenant.id];
  for (const alternatives of searchTerms(query.q ?? '', tenant.defaultCountry)) {
    where.push(`(${alternatives.map(() => 'c.search_text like ?').join(' or ')})`);
    params.push(...alternatives.map(containsPattern));
  }
  if (query.phonebook) {
    await findInTenant(em, Phonebook, tenant, query.phonebook, 'phonebook');
    where.push('exists (select 1 from phonebook_contacts pc where pc.contact_id = c.id and pc.phonebook_id = ?)');
    params.push(query.phonebook);
  }
  const filter = where.join(' and ');
  const [rows, counted] = await readTogether(em, [
    () =>
      sqlRows<{ id: string }>(
        em,
        `select c.id from contacts c where ${filter} order by coalesce(c.last_name, ''), coalesce(c.first_name, ''), c.id limit ? offset ?`,
        [...params, query.limit, query.offset],
      ),
    () => sqlRows<{ n: string }>(em, `select count(*)::text as n from contacts c where ${filter}`, params),
  ]);
  const items = await loadContactViews(
    em,
    tenant.id,
    rows.map((row) => row.id),
  );
  return { items, total: Number(counted[0]?.n ?? 0), limit: query.limit, offset: query.offset };
}
