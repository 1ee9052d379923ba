import type { FastifyRequest } from 'fastify';
import { RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ForbiddenError } from '../../errors/errors.js';
import { principalOf, requireTenantRole, tenantOf } from '../auth/guards.js';
import type { TokenRole } from '../../model/auth/api-token.entity.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { CONFIGURABLE_ROLES, DEFAULT_CONTACT_PERMISSIONS, canonicalPermissions } from './contact-permissions.js';
import type { ContactPermissionsInput, ContactPermissionsViewType } from './contacts.schemas.js';
import {
  CONTACT_PERMISSIONS,
  ContactPermission,
  type ContactPermissionName,
} from '../../model/contacts/contact-permission.entity.js';

/** What `role` may do with the tenant's contacts. Platform and owner tokens may do everything. */
export async function permissionsOf(
  em: EntityManager,
  tenant: Tenant,
  role: TokenRole,
): Promise<readonly ContactPermissionName[]> {
  if (role === 'platform' || role === 'owner') return CONTACT_PERMISSIONS;
  const row = await em.findOne(ContactPermission, { tenant, role });
  return row ? canonicalPermissions(row.permissions) : DEFAULT_CONTACT_PERMISSIONS[role];
}

/**
 * preHandlers for contact and phonebook routes: the tenant guard (foreign tenant → 404), then the
 * role's contact permission (missing → 403 permission_denied).
 */
export function requireContactPermission(permission: ContactPermissionName) {
  return [
    requireTenantRole('viewer'),
    async function contactPermissionGuard(request: FastifyRequest): Promise<void> {
      const em = RequestContext.getEntityManager() as EntityManager | undefined;
      if (!em) throw new Error('no request context');
      const granted = await permissionsOf(em, tenantOf(request), principalOf(request).role);
      if (!granted.includes(permission)) {
        throw new ForbiddenError(
          'permission_denied',
          `this token's role lacks the contacts "${permission}" permission`,
          { permission },
        );
      }
    },
  ];
}

export async function contactPermissionsView(em: EntityManager, tenant: Tenant): Promise<ContactPermissionsViewType> {
  return {
    owner: [...CONTACT_PERMISSIONS],
    admin: [...(await permissionsOf(em, tenant, 'admin'))],
    viewer: [...(await permissionsOf(em, tenant, 'viewer'))],
  };
}

/** Replaces the configurable roles' permissions (one row per role, upserted). */
export async function setContactPermissions(
  em: EntityManager,
  tenant: Tenant,
  input: ContactPermissionsInput,
): Promise<ContactPermissionsViewType> {
  const existing = await em.find(ContactPermission, { tenant });
  for (const role of CONFIGURABLE_ROLES) {
    const permissions = canonicalPermissions(input[role]);
    const row = existing.find((candidate) => candidate.role === role);
    if (row) row.permissions = permissions;
    else em.create(ContactPermission, { tenant, role, permissions });
  }
  await em.flush();
  return contactPermissionsView(em, tenant);
}
