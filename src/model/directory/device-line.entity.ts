import { Check, Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Account } from './account.entity.js';
import { PhoneMapGroup } from './phonemap-group.entity.js';
import { Device } from './device.entity.js';

/**
 * Line key N of a device: bound to an account, to a PhoneMap group (provisioned with its active
 * member) or to nothing. Removing the account or PhoneMap group unbinds the line (set null).
 */
@Entity({ tableName: 'device_lines' })
@Unique({ name: 'device_lines_device_index_unique', properties: ['device', 'index'] })
@Check({ name: 'device_lines_index_positive', expression: 'line_index >= 1' })
@Check({ name: 'device_lines_one_binding', expression: 'num_nonnulls(account_id, phonemap_group_id) <= 1' })
@Index({
  name: 'device_lines_label_trgm_index',
  expression: `create index "device_lines_label_trgm_index" on "device_lines" using gin (lower(coalesce(label, '')) gin_trgm_ops)`,
})
export class DeviceLine extends TenantScopedEntity {
  @ManyToOne({ entity: () => Device, deleteRule: 'cascade', updateRule: 'cascade' })
  device!: Device;

  /** 1-based line key number. Column named line_index: INDEX is an SQL keyword. */
  @Property({ type: 'integer', fieldName: 'line_index' })
  index!: number;

  @ManyToOne({
    entity: () => Account,
    nullable: true,
    deleteRule: 'set null',
    updateRule: 'cascade',
    index: 'device_lines_account_id_index',
  })
  account?: Account | null;

  @ManyToOne({
    entity: () => PhoneMapGroup,
    nullable: true,
    deleteRule: 'set null',
    updateRule: 'cascade',
    index: 'device_lines_phonemap_group_id_index',
  })
  phonemapGroup?: PhoneMapGroup | null;

  @Property({ type: 'string', length: 64, nullable: true })
  label?: string | null;
}
