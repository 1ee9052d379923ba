import type { FastifyInstance } from 'fastify';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { apiTokensRoutes } from '../modules/auth/api-tokens.routes.js';
import { authPlugin } from '../modules/auth/auth.plugin.js';
import { tenantsRoutes } from '../modules/tenants/tenants.routes.js';
import { contactsRoutes } from '../modules/contacts/contacts.routes.js';
import { phonebooksRoutes } from '../modules/phonebooks/phonebooks.routes.js';
import type { Deps } from './deps.js';

/**
 * Mounts every feature's admin routes under /api/v1. Features register here, after the auth
 * plugin (bearer token → request.principal). Tenant resources live under /tenants/:tenant/… and
 * guard themselves with requireTenantRole (src/modules/auth/guards.ts).
 */
export function apiRoutes(deps: Deps) {
  return async function register(app: FastifyInstance): Promise<void> {
    await app.register(authPlugin(deps));
    await app.register(tenantsRoutes(deps));
    await app.register(apiTokensRoutes(deps));
    await app.register(auditRoutes(deps));
    await app.register(contactsRoutes(deps));
    await app.register(phonebooksRoutes(deps));
  };
}
