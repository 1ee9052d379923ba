import { TENANT_ROLES, type TenantRole, type TokenRole } from '../../model/auth/api-token.entity.js';

/** The authenticated caller of an admin request. */
export interface Principal {
  tokenId: string;
  tokenName: string;
  role: TokenRole;
  /** Null only for the platform role. */
  tenantId: string | null;
}

/** Whether `role` may do what needs `min` inside a tenant. The platform role acts as owner everywhere. */
export function roleAtLeast(role: TokenRole, min: TenantRole): boolean {
  if (role === 'platform') return true;
  return TENANT_ROLES.indexOf(role) >= TENANT_ROLES.indexOf(min);
}
