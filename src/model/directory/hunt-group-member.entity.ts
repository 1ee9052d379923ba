import { Check, Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Account } from './account.entity.js';
import { HuntGroup } from './hunt-group.entity.js';

/** One account in a hunt group's ring order. A removed account leaves every hunt group (cascade). */
@Entity({ tableName: 'hunt_group_members' })
@Unique({ name: 'hunt_group_members_hunt_group_account_unique', properties: ['huntGroup', 'account'] })
@Check({ name: 'hunt_group_members_position_positive', expression: 'position >= 1' })
export class HuntGroupMember extends TenantScopedEntity {
  @ManyToOne({ entity: () => HuntGroup, deleteRule: 'cascade', updateRule: 'cascade' })
  huntGroup!: HuntGroup;

  @ManyToOne({
    entity: () => Account,
    deleteRule: 'cascade',
    updateRule: 'cascade',
    index: 'hunt_group_members_account_id_index',
  })
  account!: Account;

  /** 1-based ring order. */
  @Property({ type: 'integer' })
  position!: number;
}
