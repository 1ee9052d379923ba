import { Entity, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';

/**
 * A number deleted from the tenant's inventory. Re-adding it needs an explicit override, so a
 * released number is not handed to someone else by accident while callers still dial it.
 */
@Entity({ tableName: 'quarantined_numbers' })
@Unique({ name: 'quarantined_numbers_tenant_e164_unique', properties: ['tenant', 'e164'] })
export class QuarantinedNumber extends TenantScopedEntity {
  @Property({ type: 'string', length: 16 })
  e164!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  deletedAt: Opt<Date> = new Date();
}
