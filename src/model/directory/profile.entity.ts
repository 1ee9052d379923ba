import { Entity, Property, Unique, type Opt } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';

/**
 * Vendor-neutral settings (time zone, NTP, language, SIP server, admin password, …) keyed by name;
 * `firmware` is a map model → image URL. The API validates the shape (settings.schema.ts).
 */
export type ProfileSettings = Record<string, string | number | boolean | null | Record<string, unknown>>;
/** Per-vendor raw configuration keys, passed through to the vendor's file: { yealink: { "key": "value" } }. */
export type ProfileRawKeys = Record<string, Record<string, string>>;

/** A named provisioning settings set; layered between tenant and group in settings inheritance. */
@Entity({ tableName: 'profiles' })
@Unique({ name: 'profiles_tenant_name_unique', properties: ['tenant', 'name'] })
export class Profile extends TenantScopedEntity {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 1000, nullable: true })
  description?: string | null;

  @Property({ type: 'json', default: '{}' })
  settings: Opt<ProfileSettings> = {};

  @Property({ type: 'json', default: '{}' })
  rawKeys: Opt<ProfileRawKeys> = {};
}
