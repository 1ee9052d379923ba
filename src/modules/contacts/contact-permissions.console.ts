import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { validateBody } from '../console/form-validation.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { contactPermissionsView, setContactPermissions } from './contact-permissions.service.js';
import { CONFIGURABLE_ROLES } from './contact-permissions.js';
import { ContactPermissionsBody, type ContactPermissionsInput } from './contacts.schemas.js';
import { CONTACT_PERMISSIONS } from '../../model/contacts/contact-permission.entity.js';

/**
 * /console/t/:tenant/contacts/permissions — the owner sets what admins and viewers may do with
 * contacts: the REST permissions routes' guard (owner), schema and service.
 */
export function contactPermissionsConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const path = '/t/:tenant/contacts/permissions';

    async function page(request: FastifyRequest, reply: FastifyReply, tenant: Tenant, error?: string) {
      return reply.view('contacts/views/permissions', {
        ...pageContext(request, reply, { tenant, active: 'contacts', title: 'Contact permissions' }),
        granted: await contactPermissionsView(em(), tenant),
        roles: ['owner', ...CONFIGURABLE_ROLES],
        permissions: CONTACT_PERMISSIONS,
        error: error ?? null,
      });
    }

    app.get(path, { preHandler: requireTenantRole('owner') }, async (request, reply) =>
      page(request, reply, tenantOf(request)),
    );

    app.post(path, { preHandler: requireTenantRole('owner') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const listOf = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
      const body = Object.fromEntries(
        CONFIGURABLE_ROLES.map((role) => [role, [...new Set(listOf(form[role]))]]),
      ) as ContactPermissionsInput;
      const errors = validateBody(ContactPermissionsBody, body);
      if (Object.keys(errors).length > 0) return page(request, reply.status(400), tenant, Object.values(errors)[0]);
      await setContactPermissions(em(), tenant, body);
      setFlash(request, { kind: 'saved', text: 'Changes Saved' });
      return reply.redirect(`/console/t/${encodeURIComponent(tenant.slug)}/contacts/permissions`, 303);
    });
  };
}
