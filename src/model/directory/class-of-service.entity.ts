import { Entity, Enum, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';

export const COS_LEVELS = ['internal', 'national', 'international'] as const;
export type CosLevel = (typeof COS_LEVELS)[number];

/** Dialling permission level, rendered into vendor dial-plan restrictions where supported. */
@Entity({ tableName: 'classes_of_service' })
@Unique({ name: 'classes_of_service_tenant_name_unique', properties: ['tenant', 'name'] })
export class ClassOfService extends TenantScopedEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({ items: () => COS_LEVELS })
  level!: CosLevel;

  @Property({ type: 'string', length: 1000, nullable: true })
  description?: string | null;

  /** Dialled-digit prefixes always blocked, whatever the level (e.g. premium-rate ranges). */
  @Property({ type: 'json', default: '[]' })
  blockedPrefixes: Opt<string[]> = [];

  /** Prefixes allowed even above the level (e.g. emergency or a partner's numbers). */
  @Property({ type: 'json', default: '[]' })
  allowedPrefixes: Opt<string[]> = [];
}
