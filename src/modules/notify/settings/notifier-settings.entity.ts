import { Entity, Enum, OneToOne, Property, type Hidden, type Opt } from '@mikro-orm/core';
import type { Tenant } from '../../../model/directory/tenant.entity.js';

export const NOTIFIER_DRIVERS = ['sip', 'asterisk-ami', 'freeswitch', 'none'] as const;
export type NotifierDriverName = (typeof NOTIFIER_DRIVERS)[number];

/** Non-secret options of the chosen driver, as the API accepted them (notifier-settings.schemas.ts). */
export type NotifierOptions = Record<string, string | number>;

/**
 * How a tenant pushes resyncs. The driver's credential (AMI secret, ESL password) sits in its own
 * hidden, lazy column, so it is loaded only by the worker that connects with it, never by a view,
 * and the audit trail records it as "[masked]".
 */
@Entity({ tableName: 'tenant_notifier_settings' })
export class TenantNotifierSettings {
  @OneToOne({ entity: 'Tenant', primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  tenant!: Tenant;

  @Enum({ items: () => NOTIFIER_DRIVERS, default: 'none' })
  driver: Opt<NotifierDriverName> = 'none';

  @Property({ type: 'json', default: '{}' })
  options: Opt<NotifierOptions> = {};

  @Property({ type: 'string', length: 500, nullable: true, hidden: true, lazy: true })
  secret?: Hidden<string> | null;

  /** NOTIFYs per second for this tenant; null: the platform default (PROVD_NOTIFY_RATE_PER_SECOND). */
  @Property({ type: 'integer', nullable: true })
  ratePerSecond?: number | null;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
