import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import type { Contact } from './contact.entity.js';

export const NUMBER_TYPES = ['work', 'mobile', 'home', 'fax', 'other'] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

/**
 * One typed number of a contact: E.164 for public numbers, digits for internal extensions.
 * `position` keeps the validated order (grouped by type), so reads return what was written.
 */
@Entity({ tableName: 'contact_numbers' })
@Index({ name: 'contact_numbers_contact_position_index', properties: ['contact', 'position'] })
export class ContactNumber extends TenantScopedEntity {
  @ManyToOne({ entity: 'Contact', deleteRule: 'cascade', updateRule: 'cascade' })
  contact!: Contact;

  @Enum({ items: () => NUMBER_TYPES })
  type!: NumberType;

  @Property({ type: 'string', length: 32 })
  number!: string;

  @Property({ type: 'integer' })
  position!: number;
}
