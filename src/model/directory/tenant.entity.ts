import { randomBytes, randomUUID } from 'node:crypto';
import { ArrayType, Check, Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { Profile } from './profile.entity.js';

@Entity({ tableName: 'tenants' })
@Check({ name: 'tenants_default_country_format', expression: `default_country ~ '^[A-Z]{2}$'` })
export class Tenant {
  [OptionalProps]?: 'id' | 'maxAccounts' | 'directoryToken' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  slug!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Licence limit: how many SIP accounts the tenant may hold. */
  @Property({ type: 'integer', default: 2000 })
  maxAccounts: number = 2000;

  /** ISO 3166 alpha-2 country used to parse numbers written without a country code. */
  @Property({ type: 'string', length: 2, nullable: true })
  defaultCountry?: string | null;

  /** Profile a new group gets when none is given. Referenced by name: Profile extends the tenant-scoped base. */
  @ManyToOne({ entity: 'Profile', nullable: true, deleteRule: 'no action', updateRule: 'cascade' })
  defaultProfile?: Profile | null;

  /**
   * Opaque name of the tenant's internal directory in phone URLs (`pb/<token>/…`), random like a
   * phonebook token. The column default covers rows inserted by plain SQL (docs/rendering.md);
   * it is written the way Postgres prints it back, so schema diffs see no change.
   */
  @Property({
    type: 'string',
    length: 64,
    unique: 'tenants_directory_token_unique',
    defaultRaw: `replace(((gen_random_uuid())::text || (gen_random_uuid())::text), '-'::text, ''::text)`,
  })
  directoryToken: string = randomBytes(24).toString('base64url');

  /**
   * Networks phones of this tenant may fetch their device files from (CIDR strings); null or
   * empty allows any source. Read by the phone server, which refuses other sources like an
   * unknown device.
   */
  @Property({ type: ArrayType, nullable: true })
  phoneAllowCidrs?: string[] | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
