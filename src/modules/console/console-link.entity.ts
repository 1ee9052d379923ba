import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Tenant } from '../../model/directory/tenant.entity.js';
import { ConsoleUser } from './console-user.entity.js';

export const CONSOLE_LINK_KINDS = ['invite', 'reset'] as const;
export type ConsoleLinkKind = (typeof CONSOLE_LINK_KINDS)[number];

/**
 * A one-time link an owner hands to a person (there is no mail server): an invitation to set a
 * first password, or a password reset. Only the token's SHA-256 is stored; the link is valid once
 * (usedAt) and until expiresAt. The tenant is kept so the audit trail files it under the tenant.
 */
@Entity({ tableName: 'console_links' })
export class ConsoleLink {
  [OptionalProps]?: 'id' | 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne({ entity: () => ConsoleUser, deleteRule: 'cascade' })
  @Index()
  user!: ConsoleUser;

  @ManyToOne({ entity: () => Tenant, deleteRule: 'cascade' })
  @Index()
  tenant!: Tenant;

  @Enum({ items: () => CONSOLE_LINK_KINDS })
  kind!: ConsoleLinkKind;

  /** SHA-256 (hex) of the token. Hidden: never serialised, masked in the audit trail. */
  @Property({ type: 'string', length: 64, unique: true, hidden: true })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
