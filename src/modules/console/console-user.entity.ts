import { randomUUID } from 'node:crypto';
import { Check, Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { TOKEN_ROLES, type TokenRole } from '../../model/auth/api-token.entity.js';
import { Tenant } from '../../model/directory/tenant.entity.js';

/**
 * A person who signs in to the web console. Roles are the API token roles, so the same guards
 * decide what a console user may do: `platform` (no tenant) is a platform operator.
 */
@Entity({ tableName: 'console_users' })
@Check({ name: 'console_users_email_lower', expression: `email = lower(email)` })
@Check({ name: 'console_users_tenant_role', expression: `(role = 'platform') = (tenant_id is null)` })
export class ConsoleUser {
  [OptionalProps]?: 'id' | 'createdAt' | 'updatedAt' | 'lastSignInAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => Tenant, nullable: true, deleteRule: 'cascade' })
  @Index()
  tenant?: Tenant | null;

  @Enum({ items: () => TOKEN_ROLES })
  role!: TokenRole;

  /** Stored lower-cased; a unique index on it makes the address unique whatever the case. */
  @Property({ type: 'string', length: 254, unique: true })
  email!: string;

  /** argon2id PHC string; empty for an invited user who has not set one yet. Hidden: never serialised, masked in the audit trail. */
  @Property({ type: 'string', length: 200, hidden: true })
  passwordHash!: string;

  @Property({ type: 'datetime', nullable: true })
  lastSignInAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
