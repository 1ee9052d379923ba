import { Entity, ManyToOne, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Contact } from '../contacts/contact.entity.js';
import { Phonebook } from './phonebook.entity.js';

/** A contact listed in a phonebook. Deleting either side removes the membership. */
@Entity({ tableName: 'phonebook_contacts' })
@Unique({ name: 'phonebook_contacts_phonebook_contact_unique', properties: ['phonebook', 'contact'] })
export class PhonebookContact extends TenantScopedEntity {
  @ManyToOne({ entity: () => Phonebook, deleteRule: 'cascade', updateRule: 'cascade' })
  phonebook!: Phonebook;

  @ManyToOne({
    entity: () => Contact,
    deleteRule: 'cascade',
    updateRule: 'cascade',
    index: 'phonebook_contacts_contact_id_index',
  })
  contact!: Contact;
}
