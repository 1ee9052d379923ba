import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { ClassOfService } from './class-of-service.entity.js';
import { Profile } from './profile.entity.js';

/** Container of SIP accounts: every account has exactly one home group. */
@Entity({ tableName: 'groups' })
@Unique({ name: 'groups_tenant_name_unique', properties: ['tenant', 'name'] })
export class Group extends TenantScopedEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Set from the tenant default at creation; null when the tenant had none. */
  @ManyToOne({ entity: () => Profile, nullable: true, deleteRule: 'no action', updateRule: 'cascade' })
  profile?: Profile | null;

  /** A class of service in use cannot be deleted (no action → 409). */
  @ManyToOne({ entity: () => ClassOfService, nullable: true, deleteRule: 'no action', updateRule: 'cascade' })
  classOfService?: ClassOfService | null;

  @Property({ type: 'string', length: 200, nullable: true })
  street?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  city?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  state?: string | null;

  @Property({ type: 'string', length: 20, nullable: true })
  zip?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  country?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  adminSurname?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  adminName?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  adminRole?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  adminPhone?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  adminMobile?: string | null;

  @Property({ type: 'string', length: 40, nullable: true })
  adminFax?: string | null;

  @Property({ type: 'string', length: 254, nullable: true })
  adminItEmail?: string | null;
}
