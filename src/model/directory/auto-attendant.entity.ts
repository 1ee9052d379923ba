import { Entity, Property, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';

/** Minimal call-routing object: a menu whose digits lead to accounts, hunt groups or external numbers. */
@Entity({ tableName: 'auto_attendants' })
@Unique({ name: 'auto_attendants_tenant_name_unique', properties: ['tenant', 'name'] })
@Unique({ name: 'auto_attendants_tenant_extension_unique', properties: ['tenant', 'extension'] })
export class AutoAttendant extends TenantScopedEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 16, nullable: true })
  extension?: string | null;
}
