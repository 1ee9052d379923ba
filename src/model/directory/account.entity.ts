import { Entity, Index, ManyToOne, Property, Unique, type Hidden, type Opt } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Group } from './group.entity.js';

/** A SIP account (user). Cannot exist outside its home group. */
@Entity({ tableName: 'accounts' })
@Unique({ name: 'accounts_tenant_extension_unique', properties: ['tenant', 'extension'] })
@Unique({ name: 'accounts_tenant_sip_username_unique', properties: ['tenant', 'sipUsername'] })
// The user search (listAccounts: ILIKE on each field) and the device search by user.
@Index({
  name: 'accounts_display_name_trgm_index',
  expression: `create index "accounts_display_name_trgm_index" on "accounts" using gin ("display_name" gin_trgm_ops)`,
})
@Index({
  name: 'accounts_extension_trgm_index',
  expression: `create index "accounts_extension_trgm_index" on "accounts" using gin ("extension" gin_trgm_ops)`,
})
@Index({
  name: 'accounts_sip_username_trgm_index',
  expression: `create index "accounts_sip_username_trgm_index" on "accounts" using gin ("sip_username" gin_trgm_ops)`,
})
@Index({
  name: 'accounts_email_trgm_index',
  expression: `create index "accounts_email_trgm_index" on "accounts" using gin ("email" gin_trgm_ops)`,
})
export class Account extends TenantScopedEntity {
  /** Deleting a group must delete its accounts through the service (cleanup first), so no cascade here. */
  @ManyToOne({
    entity: () => Group,
    deleteRule: 'no action',
    updateRule: 'cascade',
    index: 'accounts_home_group_id_index',
  })
  homeGroup!: Group;

  @Property({ type: 'string', length: 16 })
  extension!: string;

  @Property({ type: 'string', length: 64 })
  sipUsername!: string;

  /**
   * Stored as-is because phones need it in their configs. Hidden (never serialised) and lazy
   * (not loaded unless asked for with `populate: ['sipPassword']`), so a list cannot leak it.
   */
  @Property({ type: 'string', length: 128, hidden: true, lazy: true })
  sipPassword!: Hidden<string>;

  @Property({ type: 'string', length: 200 })
  displayName!: string;

  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  /** Presented caller ID (E.164); a setting of its own, not tied to the primary number. */
  @Property({ type: 'string', length: 40, nullable: true })
  callerId?: string | null;

  @Property({ type: 'boolean', default: true })
  enabled: Opt<boolean> = true;
}
