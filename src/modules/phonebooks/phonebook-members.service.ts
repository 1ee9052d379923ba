import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadRequestError, NotFoundError } from '../../errors/errors.js';
import { Contact } from '../../model/contacts/contact.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { PhonebookContact } from '../../model/phonebooks/phonebook-contact.entity.js';
import { Phonebook } from '../../model/phonebooks/phonebook.entity.js';

async function contactCount(em: EntityManager, phonebook: Phonebook): Promise<number> {
  return em.count(PhonebookContact, { phonebook });
}

/**
 * Adds contacts of the tenant to a phonebook; all or nothing when an id is unknown here. The
 * phonebook row is locked (FOR UPDATE) for the transaction, so two concurrent additions of the
 * same contact run one after the other: the second sees the first's row and changes nothing
 * (was: a duplicate-key 409 for an idempotent request).
 */
export async function addMembers(
  em: EntityManager,
  tenant: Tenant,
  phonebookId: string,
  contactIds: string[],
): Promise<{ changed: number; contactCount: number }> {
  return em.transactional(async (tx) => {
    const phonebook = await tx.findOne(
      Phonebook,
      { id: phonebookId, tenant },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!phonebook) throw new NotFoundError('phonebook');
    const contacts = await tx.find(Contact, { tenant, id: { $in: contactIds } }, { fields: ['id'] });
    const missing = contactIds.filter((id) => !contacts.some((c) => c.id === id));
    if (missing.length)
      throw new BadRequestError('unknown_reference', `contact ${missing[0]} does not exist in this tenant`, {
        field: 'contactIds',
        ids: missing,
      });
    const existing = await tx.find(PhonebookContact, { phonebook, contact: { $in: contactIds } });
    const present = new Set(existing.map((m) => m.contact.id));
    const added = contacts.filter((c) => !present.has(c.id));
    for (const contact of added)
      tx.create(PhonebookContact, { tenant, phonebook, contact: tx.getReference(Contact, contact.id) });
    await tx.flush();
    return { changed: added.length, contactCount: await contactCount(tx, phonebook) };
  });
}

/** Removes memberships; ids that are not members (or not contacts here) change nothing. */
export async function removeMembers(
  em: EntityManager,
  tenant: Tenant,
  phonebookId: string,
  contactIds: string[],
): Promise<{ changed: number; contactCount: number }> {
  const phonebook = await findInTenant(em, Phonebook, tenant, phonebookId, 'phonebook');
  const existing = await em.find(PhonebookContact, { tenant, phonebook, contact: { $in: contactIds } });
  for (const membership of existing) em.remove(membership);
  await em.flush();
  return { changed: existing.length, contactCount: await contactCount(em, phonebook) };
}

export async function removeMember(
  em: EntityManager,
  tenant: Tenant,
  phonebookId: string,
  contactId: string,
): Promise<void> {
  const result = await removeMembers(em, tenant, phonebookId, [contactId]);
  if (result.changed === 0) throw new NotFoundError('phonebook membership');
}
