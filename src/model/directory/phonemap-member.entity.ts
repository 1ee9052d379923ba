import { Entity, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Account } from './account.entity.js';
import { PhoneMapGroup } from './phonemap-group.entity.js';

/**
 * A candidate destination of a PhoneMap group. Exactly one member of a non-empty group is active:
 * "at most one" by the partial unique index below, "at least one" by the deferred constraint
 * trigger `phonemap_members_one_active` (migration Migration…_directory), checked at commit so a
 * switch can deactivate one member and activate another inside one transaction.
 */
@Entity({ tableName: 'phonemap_members' })
@Unique({ name: 'phonemap_members_group_account_unique', properties: ['phonemapGroup', 'account'] })
@Index({
  name: 'phonemap_members_one_active_per_group',
  expression: `create unique index "phonemap_members_one_active_per_group" on "phonemap_members" ("phonemap_group_id") where active`,
})
export class PhoneMapMember extends TenantScopedEntity {
  @ManyToOne({ entity: () => PhoneMapGroup, deleteRule: 'cascade', updateRule: 'cascade' })
  phonemapGroup!: PhoneMapGroup;

  @ManyToOne({
    entity: () => Account,
    deleteRule: 'cascade',
    updateRule: 'cascade',
    index: 'phonemap_members_account_id_index',
  })
  account!: Account;

  @Property({ type: 'boolean', default: false })
  active: Opt<boolean> = false;
}
