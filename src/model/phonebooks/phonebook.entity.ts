import { randomBytes } from 'node:crypto';
import { Entity, Enum, Index, Property, Unique, type EntityManager, type Opt } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';

export const PHONEBOOK_VISIBILITIES = ['all', 'groups'] as const;
export type PhonebookVisibility = (typeof PHONEBOOK_VISIBILITIES)[number];

/** 192 random bits, URL-safe: the phonebook's name in phone URLs (`pb/<token>/…`), never guessable. */
export function newPhonebookToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A named list of contacts, seen by every device of the tenant (`all`) or by devices of the
 * chosen groups (PhonebookGroup). At most one phonebook per tenant is the default ("All Company
 * Contacts"), which every new contact joins: a partial unique index holds that.
 */
@Entity({ tableName: 'phonebooks' })
@Unique({ name: 'phonebooks_tenant_name_unique', properties: ['tenant', 'name'] })
@Index({
  name: 'phonebooks_one_default_per_tenant',
  expression: `create unique index "phonebooks_one_default_per_tenant" on "phonebooks" ("tenant_id") where is_default`,
})
export class Phonebook extends TenantScopedEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'boolean', default: false })
  isDefault: Opt<boolean> = false;

  @Enum({ items: () => PHONEBOOK_VISIBILITIES, default: 'all' })
  visibility: Opt<PhonebookVisibility> = 'all';

  @Property({ type: 'string', length: 64, unique: 'phonebooks_token_unique' })
  token: Opt<string> = newPhonebookToken();
}

export const DEFAULT_PHONEBOOK_NAME = 'All Company Contacts';

/**
 * Every tenant starts with its default phonebook, so contacts created before anyone sets one up
 * still land in a book phones receive (the caller flushes, in the tenant's own transaction).
 */
export function createDefaultPhonebook(em: EntityManager, tenant: Phonebook['tenant']): Phonebook {
  return em.create(Phonebook, { tenant, name: DEFAULT_PHONEBOOK_NAME, isDefault: true });
}
