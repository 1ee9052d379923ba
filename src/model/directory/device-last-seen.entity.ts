import { Entity, Index, ManyToOne, OneToOne, Property } from '@mikro-orm/core';
import type { Tenant } from './tenant.entity.js';
import { Device } from './device.entity.js';

/**
 * What the phone server saw on a device's latest fetch, one row per device, upserted on the hot
 * path. Kept apart from `devices` so these writes are not configuration changes (change capture
 * does not watch this table) and never lock the row an admin is editing.
 */
@Entity({ tableName: 'device_last_seen' })
@Index({ name: 'device_last_seen_tenant_model_index', properties: ['tenant', 'model'] })
@Index({
  name: 'device_last_seen_model_trgm_index',
  expression: `create index "device_last_seen_model_trgm_index" on "device_last_seen" using gin (lower(model) gin_trgm_ops)`,
})
export class DeviceLastSeen {
  @OneToOne({ entity: () => Device, primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  device!: Device;

  @ManyToOne({ entity: 'Tenant', deleteRule: 'cascade', updateRule: 'cascade' })
  tenant!: Tenant;

  @Property({ type: 'datetime' })
  seenAt!: Date;

  @Property({ type: 'string', length: 45 })
  ip!: string;

  @Property({ type: 'string', length: 300, nullable: true })
  userAgent?: string | null;

  /** File name requested, e.g. "0015651234ab.cfg". */
  @Property({ type: 'string', length: 200, nullable: true })
  file?: string | null;

  /** Hash of the bytes served (sync state: compare with the rendered hash). */
  @Property({ type: 'string', length: 64, nullable: true })
  servedHash?: string | null;

  /** Firmware the phone reported in its User-Agent (kept here, not on `devices`, so a fetch is no configuration change). */
  @Property({ type: 'string', length: 100, nullable: true })
  firmware?: string | null;

  /** Model the phone reported in its User-Agent. */
  @Property({ type: 'string', length: 64, nullable: true })
  model?: string | null;
}
