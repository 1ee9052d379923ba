import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { TenantScopedEntity } from '../base.entity.js';
import { TENANT_ROLES, type TenantRole } from '../auth/api-token.entity.js';

export const CONTACT_PERMISSIONS = ['view', 'add', 'edit', 'delete', 'import', 'export'] as const;
export type ContactPermissionName = (typeof CONTACT_PERMISSIONS)[number];

/**
 * The contact permissions one role has in one tenant. A role without a row has the defaults
 * (contact-permissions.ts), so tenants that never configure anything need no rows.
 */
@Entity({ tableName: 'contact_permissions' })
@Unique({ name: 'contact_permissions_tenant_role_unique', properties: ['tenant', 'role'] })
export class ContactPermission extends TenantScopedEntity {
  @Enum({ items: () => TENANT_ROLES })
  role!: TenantRole;

  @Property({ type: 'json' })
  permissions!: ContactPermissionName[];
}
