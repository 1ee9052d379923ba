import type { TenantRole } from '../auth/principal.js';

export const CONTACT_PERMISSIONS = ['view', 'add', 'edit', 'delete', 'import', 'export'] as const;
export type ContactPermissionName = (typeof CONTACT_PERMISSIONS)[number];

/** Configurable roles. The owner always holds every permission: it is the role that sets them. */
export const CONFIGURABLE_ROLES = ['viewer', 'admin'] as const satisfies readonly TenantRole[];
export type ConfigurableRole = (typeof CONFIGURABLE_ROLES)[number];

export const DEFAULT_CONTACT_PERMISSIONS: Record<TenantRole, readonly ContactPermissionName[]> = {
  viewer: ['view'],
  admin: CONTACT_PERMISSIONS,
  owner: CONTACT_PERMISSIONS,
};

/** A permission list in canonical order without repeats, so stored and returned values compare equal. */
export function canonicalPermissions(permissions: readonly string[]): ContactPermissionName[] {
  return CONTACT_PERMISSIONS.filter((permission) => permissions.includes(permission));
}
