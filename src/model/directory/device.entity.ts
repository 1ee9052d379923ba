import { Check, Entity, Enum, Index, ManyToOne, Property, type Hidden, type Opt } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { Profile } from './profile.entity.js';
import { VENDOR_FAMILIES, type VendorFamily } from './vendor-family.js';

/** Vendor family ids, as in the file-naming contract between renderer and phone server. */
export const DEVICE_VENDORS = VENDOR_FAMILIES;
export type DeviceVendor = VendorFamily;
export const DEVICE_STATUSES = ['pending', 'active', 'disabled'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** Per-device setting overrides: the last layer of settings inheritance. */
export type DeviceOverrides = Record<string, string | number | boolean | null>;

/**
 * A desk phone. The MAC is unique across the platform (a phone can only fetch from one tenant).
 * What the phone server learns on each fetch lives in DeviceLastSeen, so hot-path writes neither
 * contend with admin edits nor look like a configuration change to change capture.
 */
@Entity({ tableName: 'devices' })
@Check({ name: 'devices_mac_canonical', expression: `mac ~ '^[0-9a-f]{12}$'` })
// Serving processes reconcile their credential caches by `updated_at > last check`.
@Index({ name: 'devices_updated_at_index', properties: ['updatedAt'] })
// The console list: the tenant's devices in MAC order (page and count), the model filter's values, the search.
@Index({ name: 'devices_tenant_mac_index', properties: ['tenant', 'mac'] })
@Index({ name: 'devices_tenant_model_index', properties: ['tenant', 'model'] })
@Index({
  name: 'devices_mac_trgm_index',
  expression: `create index "devices_mac_trgm_index" on "devices" using gin ("mac" gin_trgm_ops)`,
})
@Index({
  name: 'devices_model_trgm_index',
  expression: `create index "devices_model_trgm_index" on "devices" using gin (lower(coalesce(model, '')) gin_trgm_ops)`,
})
export class Device extends TenantScopedEntity {
  @Property({ type: 'string', length: 12, unique: 'devices_mac_unique' })
  mac!: string;

  @Enum({ items: () => DEVICE_VENDORS })
  vendor!: DeviceVendor;

  @Property({ type: 'string', length: 64, nullable: true })
  model?: string | null;

  /** As reported by the phone (User-Agent), not chosen by an admin. */
  @Property({ type: 'string', length: 100, nullable: true })
  firmware?: string | null;

  @Enum({ items: () => DEVICE_STATUSES, default: 'active' })
  status: Opt<DeviceStatus> = 'active';

  /** Overrides the group/tenant profile for this device only. */
  @ManyToOne({
    entity: () => Profile,
    nullable: true,
    deleteRule: 'no action',
    updateRule: 'cascade',
    index: 'devices_profile_id_index',
  })
  profile?: Profile | null;

  @Property({ type: 'json', default: '{}' })
  overrides: Opt<DeviceOverrides> = {};

  /** Per-device secret for HTTP digest/basic on config fetches. Hidden and lazy like the SIP password. */
  @Property({ type: 'string', length: 128, hidden: true, lazy: true })
  provisioningSecret!: Hidden<string>;
}
