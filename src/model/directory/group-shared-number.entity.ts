import { Entity, ManyToOne, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { PhoneNumber } from './phone-number.entity.js';
import { Group } from './group.entity.js';

/** A number shared with a group (shown in its directory); independent of the number's assignment. */
@Entity({ tableName: 'group_shared_numbers' })
@Unique({ name: 'group_shared_numbers_group_number_unique', properties: ['group', 'number'] })
export class GroupSharedNumber extends TenantScopedEntity {
  @ManyToOne({ entity: () => Group, deleteRule: 'cascade', updateRule: 'cascade' })
  group!: Group;

  @ManyToOne({
    entity: () => PhoneNumber,
    deleteRule: 'cascade',
    updateRule: 'cascade',
    index: 'group_shared_numbers_number_id_index',
  })
  number!: PhoneNumber;
}
