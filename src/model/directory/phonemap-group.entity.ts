import { Check, Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { ClassOfService } from './class-of-service.entity.js';

export const PHONEMAP_TOKEN_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

/** One destination mapped to whichever member is active; device lines can bind to it instead of an account. */
@Entity({ tableName: 'phonemap_groups' })
@Unique({ name: 'phonemap_groups_tenant_token_unique', properties: ['tenant', 'token'] })
@Check({ name: 'phonemap_groups_token_format', expression: `token ~ '${PHONEMAP_TOKEN_PATTERN}'` })
export class PhoneMapGroup extends TenantScopedEntity {
  /** User-chosen id, the group's name in URLs. Not a secret. */
  @Property({ type: 'string', length: 64 })
  token!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne({
    entity: () => ClassOfService,
    deleteRule: 'no action',
    updateRule: 'cascade',
    index: 'phonemap_groups_class_of_service_id_index',
  })
  classOfService!: ClassOfService;
}
