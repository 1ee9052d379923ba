import { Entity, Enum, Index, ManyToOne, OneToOne, Property, type Opt } from '@mikro-orm/core';
import { Device } from '../../../model/directory/device.entity.js';
import type { Tenant } from '../../../model/directory/tenant.entity.js';

export const SYNC_STATES = ['never-seen', 'pending', 'notified', 'in-sync', 'stale'] as const;
export type SyncState = (typeof SYNC_STATES)[number];
/**
 * What the API reports: the stored states plus `render-failed`, derived on read from the render
 * target (its last render failed and no render succeeded since). Never stored in device_sync.
 */
export const REPORTED_SYNC_STATES = [...SYNC_STATES, 'render-failed'] as const;
export type ReportedSyncState = (typeof REPORTED_SYNC_STATES)[number];

/**
 * The push-resync lifecycle of one device, written by the notify worker with plain SQL (never
 * through the unit of work, so it is neither audited nor captured). 'in-sync' and 'never-seen'
 * as the API reports them are derived on read from what the device fetched (sync-state.sql.ts);
 * this row remembers what only the worker knows: that it notified, how often, and why it gave up.
 */
@Entity({ tableName: 'device_sync' })
@Index({ name: 'device_sync_tenant_state_index', properties: ['tenant', 'state'] })
export class DeviceSync {
  @OneToOne({ entity: () => Device, primary: true, deleteRule: 'cascade', updateRule: 'cascade' })
  device!: Device;

  @ManyToOne({ entity: 'Tenant', deleteRule: 'cascade', updateRule: 'cascade', index: false })
  tenant!: Tenant;

  @Enum({ items: () => SYNC_STATES, default: 'pending' })
  state: Opt<SyncState> = 'pending';

  @Property({ type: 'datetime', nullable: true })
  notifiedAt?: Date | null;

  /** Notify attempts in the current round (reset by every new change or admin resync). */
  @Property({ type: 'integer', default: 0 })
  attempts: Opt<number> = 0;

  @Property({ type: 'string', length: 300, nullable: true })
  lastOutcome?: string | null;

  @Property({ type: 'string', length: 300, nullable: true })
  staleReason?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Opt<Date> = new Date();
}
