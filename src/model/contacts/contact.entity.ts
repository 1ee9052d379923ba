import { Collection, Entity, Index, OneToMany, Property } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { ContactNumber } from './contact-number.entity.js';

/**
 * A company contact. Text lengths follow CONTACT_LIMITS (io/contact-draft.ts): Postgres varchar
 * counts characters (code points), as the validator does.
 *
 * `searchText` is derived (contact-search.ts): the folded names, company and numbers, searched
 * with ILIKE through a trigram index. `dedupeKey` is the hashed io-layer dedupeKey (folded name +
 * number set), so an import finds an existing duplicate with one indexed lookup per batch.
 */
@Entity({ tableName: 'contacts' })
@Index({ name: 'contacts_tenant_dedupe_key_index', properties: ['tenant', 'dedupeKey'] })
@Index({
  name: 'contacts_tenant_sort_index',
  expression: `create index "contacts_tenant_sort_index" on "contacts" ("tenant_id", coalesce(last_name, ''), coalesce(first_name, ''), "id")`,
})
@Index({
  name: 'contacts_search_text_trgm_index',
  expression: `create index "contacts_search_text_trgm_index" on "contacts" using gin ("search_text" gin_trgm_ops)`,
})
export class Contact extends TenantScopedEntity {
  @Property({ type: 'string', length: 100, nullable: true })
  firstName?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  lastName?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  company?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  title?: string | null;

  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  @Property({ type: 'text' })
  searchText!: string;

  @Property({ type: 'string', length: 32 })
  dedupeKey!: string;

  @OneToMany({ entity: () => ContactNumber, mappedBy: 'contact', orderBy: { position: 'asc' } })
  numbers = new Collection<ContactNumber>(this);
}
