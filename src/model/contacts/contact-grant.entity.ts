import { Check, Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Account } from '../directory/account.entity.js';
import { Group } from '../directory/group.entity.js';
import type { ContactPermissionName } from './contact-permission.entity.js';

/**
 * Contact permissions an owner granted to one user (an account holder) or to one group (every
 * account whose home group it is or that is an extra member). A user's effective permissions are
 * the union of their own grant and their groups' grants (contact-grants.service.ts); no grant
 * means no permission, so a user sees no contacts until an owner says so.
 */
@Entity({ tableName: 'contact_grants' })
@Unique({ name: 'contact_grants_account_unique', properties: ['account'] })
@Unique({ name: 'contact_grants_group_unique', properties: ['group'] })
@Check({ name: 'contact_grants_one_subject', expression: 'num_nonnulls(account_id, group_id) = 1' })
export class ContactGrant extends TenantScopedEntity {
  @ManyToOne({ entity: () => Account, nullable: true, deleteRule: 'cascade', updateRule: 'cascade' })
  account?: Account | null;

  @ManyToOne({ entity: () => Group, nullable: true, deleteRule: 'cascade', updateRule: 'cascade' })
  group?: Group | null;

  @Property({ type: 'json' })
  permissions!: ContactPermissionName[];
}
