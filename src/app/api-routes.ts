import type { FastifyInstance } from 'fastify';
import { accountsRoutes } from '../modules/accounts/accounts.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { apiTokensRoutes } from '../modules/auth/api-tokens.routes.js';
import { authPlugin } from '../modules/auth/auth.plugin.js';
import { contactsRoutes } from '../modules/contacts/contacts.routes.js';
import { contactGrantsRoutes } from '../modules/contact-grants/contact-grants.routes.js';
import { phonebooksRoutes } from '../modules/phonebooks/phonebooks.routes.js';
import { autoAttendantsRoutes } from '../modules/auto-attendants/auto-attendants.routes.js';
import { groupMembersRoutes } from '../modules/groups/group-members.routes.js';
import { groupsRoutes } from '../modules/groups/groups.routes.js';
import { huntGroupsRoutes } from '../modules/hunt-groups/hunt-groups.routes.js';
import { numbersRoutes } from '../modules/numbers/numbers.routes.js';
import { tenantsRoutes } from '../modules/tenants/tenants.routes.js';
import { classesOfServiceRoutes } from '../modules/classes-of-service/classes-of-service.routes.js';
import { deviceImportRoutes } from '../modules/devices/import/device-import.routes.js';
import { devicesRoutes } from '../modules/devices/devices.routes.js';
import { deviceFilesRoutes } from '../modules/render/files/device-files.routes.js';
import { phonemapGroupsRoutes } from '../modules/phonemap-groups/phonemap-groups.routes.js';
import { profilesRoutes } from '../modules/profiles/profiles.routes.js';
import { notifyRoutes } from '../modules/notify/notify.routes.js';
import { contactsIoRoutes } from '../modules/contacts/contacts-io.routes.js';
import { documentOperation } from '../http/operation-docs.js';
import type { Deps } from './deps.js';

/**
 * Mounts every feature's admin routes under /api/v1. Features register here, after the auth
 * plugin (bearer token → request.principal). Tenant resources live under /tenants/:tenant/… and
 * guard themselves with requireTenantRole (src/modules/auth/guards.ts).
 */
export function apiRoutes(deps: Deps) {
  return async function register(app: FastifyInstance): Promise<void> {
    // fastify parses text/plain by default; a JSON route sent text would then fail validation
    // with 400. Without the parser it is 415 unsupported_media_type, like any other wrong type.
    // Routes that take other bodies (CSV, vCard) add their own parsers in their scopes.
    app.removeContentTypeParser('text/plain');
    // Every operation at /docs gets a summary and a description (derived where a route has none).
    app.addHook('onRoute', documentOperation);
    await app.register(authPlugin(deps));
    await app.register(tenantsRoutes(deps));
    await app.register(apiTokensRoutes(deps));
    await app.register(auditRoutes(deps));
    await app.register(contactsRoutes(deps));
    await app.register(contactGrantsRoutes(deps));
    await app.register(phonebooksRoutes(deps));
    await app.register(groupsRoutes(deps));
    await app.register(groupMembersRoutes(deps));
    await app.register(accountsRoutes(deps));
    await app.register(numbersRoutes(deps));
    await app.register(huntGroupsRoutes(deps));
    await app.register(autoAttendantsRoutes(deps));
    await app.register(classesOfServiceRoutes(deps));
    await app.register(phonemapGroupsRoutes(deps));
    await app.register(profilesRoutes(deps));
    await app.register(devicesRoutes(deps));
    await app.register(deviceImportRoutes(deps));
    await app.register(deviceFilesRoutes(deps));
    await app.register(contactsIoRoutes(deps));
    await app.register(notifyRoutes(deps));
  };
}
