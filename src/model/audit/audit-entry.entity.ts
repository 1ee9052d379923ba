import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';

export const AUDIT_ACTIONS = ['create', 'update', 'delete'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A masked snapshot of an entity's columns (secrets replaced, relations as ids). */
export type AuditSnapshot = Record<string, unknown>;

/**
 * One change: who, what, when, before/after. `tenantId` is a plain column, not a foreign key,
 * so the trail outlives a deleted tenant (and the tenant's own deletion is recorded).
 */
@Entity({ tableName: 'audit_entries' })
@Index({ name: 'audit_entries_tenant_created_index', properties: ['tenantId', 'createdAt'] })
@Index({ name: 'audit_entries_tenant_entity_index', properties: ['tenantId', 'entityType', 'entityId'] })
export class AuditEntry {
  @PrimaryKey({ type: 'uuid' })
  id: Opt<string> = randomUUID();

  @Property({ type: 'uuid', nullable: true })
  tenantId?: string | null;

  /** Entity class name, e.g. "Account", "PhoneNumber". */
  @Property({ type: 'string', length: 64 })
  entityType!: string;

  @Property({ type: 'string', length: 64 })
  entityId!: string;

  @Enum({ items: () => AUDIT_ACTIONS })
  action!: AuditAction;

  /** Null for changes made by the system itself (migrations, seeds, workers). */
  @Property({ type: 'uuid', nullable: true })
  actorTokenId?: string | null;

  /** The token's name, or `console:<email>` for a console user (emails run to 254 characters). */
  @Property({ type: 'string', length: 300 })
  actorName!: string;

  /** platform | owner | admin | viewer | system */
  @Property({ type: 'string', length: 16 })
  actorRole!: string;

  @Property({ type: 'json', nullable: true })
  before?: AuditSnapshot | null;

  @Property({ type: 'json', nullable: true })
  after?: AuditSnapshot | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Opt<Date> = new Date();
}
