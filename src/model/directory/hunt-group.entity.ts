import { Entity, Property, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';

/** Minimal call-routing object: rings its ordered member accounts. */
@Entity({ tableName: 'hunt_groups' })
@Unique({ name: 'hunt_groups_tenant_name_unique', properties: ['tenant', 'name'] })
@Unique({ name: 'hunt_groups_tenant_extension_unique', properties: ['tenant', 'extension'] })
export class HuntGroup extends TenantScopedEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 16, nullable: true })
  extension?: string | null;
}
