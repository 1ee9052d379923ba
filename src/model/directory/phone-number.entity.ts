import { Check, Entity, Enum, Index, ManyToOne, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Account } from './account.entity.js';
import { AutoAttendant } from './auto-attendant.entity.js';
import { HuntGroup } from './hunt-group.entity.js';

export const NUMBER_STATUSES = ['unassigned', 'assigned'] as const;
export type NumberStatus = (typeof NUMBER_STATUSES)[number];
export const ACCOUNT_NUMBER_ROLES = ['primary', 'additional'] as const;
export type AccountNumberRole = (typeof ACCOUNT_NUMBER_ROLES)[number];

/**
 * A public number in the tenant's inventory. Assigned to at most one object; the database holds
 * the invariants (CHECKs below, one primary per account by partial unique index). Assignee FKs are
 * "no action": removing an account, hunt group or auto attendant must unassign its numbers first
 * (the services do), so a raw delete can never leave a number pointing nowhere or flagged wrong.
 */
@Entity({ tableName: 'phone_numbers' })
@Unique({ name: 'phone_numbers_tenant_e164_unique', properties: ['tenant', 'e164'] })
@Check({ name: 'phone_numbers_e164_format', expression: `e164 ~ '^\\+[1-9][0-9]{6,14}$'` })
@Check({
  name: 'phone_numbers_one_assignee',
  expression: 'num_nonnulls(account_id, hunt_group_id, auto_attendant_id) <= 1',
})
@Check({
  name: 'phone_numbers_status_matches_assignee',
  expression: `(status = 'assigned') = (num_nonnulls(account_id, hunt_group_id, auto_attendant_id) = 1)`,
})
@Check({ name: 'phone_numbers_role_iff_account', expression: '(account_id is null) = (account_role is null)' })
@Index({
  name: 'phone_numbers_one_primary_per_account',
  expression: `create unique index "phone_numbers_one_primary_per_account" on "phone_numbers" ("account_id") where account_role = 'primary'`,
})
@Index({ name: 'phone_numbers_tenant_status_index', properties: ['tenant', 'status'] })
@Index({
  name: 'phone_numbers_e164_trgm_index',
  expression: `create index "phone_numbers_e164_trgm_index" on "phone_numbers" using gin ("e164" gin_trgm_ops)`,
})
export class PhoneNumber extends TenantScopedEntity {
  @Property({ type: 'string', length: 16 })
  e164!: string;

  @Enum({ items: () => NUMBER_STATUSES, default: 'unassigned' })
  status: Opt<NumberStatus> = 'unassigned';

  @ManyToOne({
    entity: () => Account,
    nullable: true,
    deleteRule: 'no action',
    updateRule: 'cascade',
    index: 'phone_numbers_account_id_index',
  })
  account?: Account | null;

  @Enum({ items: () => ACCOUNT_NUMBER_ROLES, nullable: true })
  accountRole?: AccountNumberRole | null;

  @ManyToOne({
    entity: () => HuntGroup,
    nullable: true,
    deleteRule: 'no action',
    updateRule: 'cascade',
    index: 'phone_numbers_hunt_group_id_index',
  })
  huntGroup?: HuntGroup | null;

  @ManyToOne({
    entity: () => AutoAttendant,
    nullable: true,
    deleteRule: 'no action',
    updateRule: 'cascade',
    index: 'phone_numbers_auto_attendant_id_index',
  })
  autoAttendant?: AutoAttendant | null;
}
