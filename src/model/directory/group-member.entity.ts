import { Entity, ManyToOne, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Account } from './account.entity.js';
import { Group } from './group.entity.js';

/** Extra membership: an account whose home is another group also belongs here. */
@Entity({ tableName: 'group_members' })
@Unique({ name: 'group_members_group_account_unique', properties: ['group', 'account'] })
export class GroupMember extends TenantScopedEntity {
  @ManyToOne({ entity: () => Group, deleteRule: 'cascade', updateRule: 'cascade' })
  group!: Group;

  @ManyToOne({
    entity: () => Account,
    deleteRule: 'cascade',
    updateRule: 'cascade',
    index: 'group_members_account_id_index',
  })
  account!: Account;
}
