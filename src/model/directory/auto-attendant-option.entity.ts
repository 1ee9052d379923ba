import { Check, Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Account } from './account.entity.js';
import { HuntGroup } from './hunt-group.entity.js';
import { AutoAttendant } from './auto-attendant.entity.js';

/** Digit → exactly one destination. An option whose account or hunt group is removed goes with it (cascade). */
@Entity({ tableName: 'auto_attendant_options' })
@Unique({ name: 'auto_attendant_options_attendant_digit_unique', properties: ['autoAttendant', 'digit'] })
@Check({ name: 'auto_attendant_options_digit_format', expression: `digit ~ '^[0-9*#]$'` })
@Check({
  name: 'auto_attendant_options_one_target',
  expression: 'num_nonnulls(target_account_id, target_hunt_group_id, external_number) = 1',
})
export class AutoAttendantOption extends TenantScopedEntity {
  @ManyToOne({ entity: () => AutoAttendant, deleteRule: 'cascade', updateRule: 'cascade' })
  autoAttendant!: AutoAttendant;

  @Property({ type: 'string', length: 1 })
  digit!: string;

  @ManyToOne({
    entity: () => Account,
    nullable: true,
    deleteRule: 'cascade',
    updateRule: 'cascade',
    index: 'auto_attendant_options_target_account_id_index',
  })
  targetAccount?: Account | null;

  @ManyToOne({
    entity: () => HuntGroup,
    nullable: true,
    deleteRule: 'cascade',
    updateRule: 'cascade',
    index: 'auto_attendant_options_target_hunt_group_id_index',
  })
  targetHuntGroup?: HuntGroup | null;

  /** E.164 of a destination outside the tenant. */
  @Property({ type: 'string', length: 16, nullable: true })
  externalNumber?: string | null;
}
