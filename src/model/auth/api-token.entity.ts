import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Tenant } from '../directory/tenant.entity.js';

export const TOKEN_ROLES = ['platform', 'owner', 'admin', 'viewer'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];
/** The roles inside a tenant, lowest first (the platform role stands above all tenants). */
export const TENANT_ROLES = ['viewer', 'admin', 'owner'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** A bearer token. Only its SHA-256 is stored; the plaintext is shown once at creation. */
@Entity({ tableName: 'api_tokens' })
export class ApiToken {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Null for the platform role, which manages tenants. */
  @ManyToOne({ entity: () => Tenant, nullable: true, deleteRule: 'cascade' })
  @Index()
  tenant?: Tenant | null;

  @Enum({ items: () => TOKEN_ROLES })
  role!: TokenRole;

  @Property({ type: 'string', length: 100 })
  name!: string;

  /** Hidden: never serialised, and masked in the audit trail. */
  @Property({ type: 'string', length: 64, unique: true, hidden: true })
  tokenHash!: string;

  /** First characters of the token, to recognise it in listings. */
  @Property({ type: 'string', length: 12 })
  prefix!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  /** After this instant the token is refused (401 token_expired); null: it does not expire. */
  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;

  /** Last authenticated use, written with plain SQL at most once a minute per token (auth.plugin.ts). */
  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;
}
