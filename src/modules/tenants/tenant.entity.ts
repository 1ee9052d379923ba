import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'tenants' })
export class Tenant {
  [OptionalProps]?: 'id' | 'maxAccounts' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  slug!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Licence limit: how many SIP accounts the tenant may hold. */
  @Property({ type: 'integer', default: 2000 })
  maxAccounts: number = 2000;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
