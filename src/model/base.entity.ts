import { randomUUID } from 'node:crypto';
import { ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { Tenant } from './directory/tenant.entity.js';

/**
 * uuid id and timestamps shared by every directory row. Every watched table has `id` (and, below,
 * `tenant_id`), so one generic change-capture trigger can record (table, id, tenant) for any of them.
 */
export abstract class BaseEntity {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}

/**
 * A row owned by one tenant. Deleting the tenant deletes the row; every query of the admin API
 * filters on `tenant` (isolation). The entity is referenced by name, not import, because Tenant
 * itself points at Profile, which extends this class (an import would be circular at load time).
 */
export abstract class TenantScopedEntity extends BaseEntity {
  @ManyToOne({ entity: 'Tenant', deleteRule: 'cascade', updateRule: 'cascade' })
  tenant!: Tenant;
}
