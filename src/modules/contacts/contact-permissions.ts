import type { TenantRole } from '../../model/auth/api-token.entity.js';
import { CONTACT_PERMISSIONS, type ContactPermissionName } from '../../model/contacts/contact-permission.entity.js';

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
