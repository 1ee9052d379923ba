import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/errors.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { validateBody } from '../console/form-validation.js';
import { uuidParam } from '../console/params.js';
import { revealsSecrets } from '../settings/secret-visibility.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { profileBodyFromForm, profileFieldOf, profileForm, SCALAR_FIELDS, VENDORS } from './profile-form.js';
import { Profile } from '../../model/directory/profile.entity.js';
import { CreateProfileBody, type ProfileViewType } from './profiles.schemas.js';
import {
  createProfile,
  deleteProfile,
  listProfiles,
  PROFILE_IN_USE,
  profileImpact,
  profileView,
  updateProfile,
} from './profiles.service.js';

const PAGE_SIZE = 25;

/** /console/t/:tenant/profiles — provisioning Profiles: list, new/edit of the settings the REST schema allows, delete. */
export function profilesConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/profiles';
    const listHref = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/profiles`;
    const load = (request: FastifyRequest) =>
      findInTenant(em(), Profile, tenantOf(request), uuidParam(request, 'id', 'profile'), 'profile');
    // Viewers see secrets masked, as on the REST API.
    const viewOf = (request: FastifyRequest, profile: Profile) =>
      profileView(profile, tenantOf(request), revealsSecrets(request));

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listProfiles(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return reply.view('profiles/views/list', {
        ...pageContext(request, reply, { tenant, active: 'profiles', title: 'Profiles' }),
        base: listHref(tenant),
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
        items: list.items.map((profile) => {
          const view = viewOf(request, profile);
          const set =
            Object.keys(view.settings).length +
            Object.values(view.rawKeys).reduce((n, keys) => n + Object.keys(keys ?? {}).length, 0);
          return {
            id: view.id,
            name: view.name,
            description: view.description ?? '',
            isDefault: view.isDefault,
            sipServer: String(view.settings.sipServer ?? ''),
            set,
          };
        }),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
      });
    });

    function formPage(
      request: FastifyRequest,
      reply: FastifyReply,
      current: ProfileViewType | null,
      state: { form?: Record<string, unknown>; errors?: Record<string, string> } = {},
    ) {
      const tenant = tenantOf(request);
      const form = state.form ?? (current ? profileForm(current) : {});
      return reply.view('profiles/views/form', {
        ...pageContext(request, reply, {
          tenant,
          active: 'profiles',
          title: current ? `Profile ${current.name}` : 'New profile',
        }),
        base: listHref(tenant),
        current,
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
        action: current ? `${listHref(tenant)}/${current.id}` : listHref(tenant),
        form,
        errors: state.errors ?? {},
        scalars: SCALAR_FIELDS,
        vendors: VENDORS,
        // Settings this profile leaves to the layers below (the tenant default profile, then the platform).
        unset: SCALAR_FIELDS.filter(
          (field) => typeof form[field.key] !== 'string' || (form[field.key] as string).trim() === '',
        ).map((field) => field.key),
      });
    }

    /** Validates with the REST schema, then runs the service; a refusal is shown next to its field (400), nothing written. */
    async function save(request: FastifyRequest, reply: FastifyReply, current: Profile | null) {
      const tenant = tenantOf(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const { body, errors } = profileBodyFromForm(form);
      for (const [path, message] of Object.entries(validateBody(CreateProfileBody, body)))
        errors[profileFieldOf(path)] ??= message;
      if (Object.keys(errors).length === 0) {
        try {
          const saved = current
            ? await updateProfile(em(), tenant, current.id, body)
            : await createProfile(em(), tenant, body);
          setFlash(request, {
            kind: 'saved',
            text: current ? 'Changes Saved' : `Changes Saved — profile ${saved.name} created`,
          });
          return reply.redirect(`${listHref(tenant)}/${saved.id}`, 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500 || error.statusCode === 403) throw error;
          em().clear();
          const field = (error.details as { field?: unknown } | undefined)?.field;
          errors[typeof field === 'string' ? profileFieldOf(field) : 'name'] = error.message;
        }
      }
      return formPage(request, reply.status(400), current ? viewOf(request, current) : null, { form, errors });
    }

    app.get(`${base}/new`, { preHandler: requireTenantRole('admin') }, async (request, reply) =>
      formPage(request, reply, null),
    );
    app.post(base, { preHandler: requireTenantRole('admin') }, async (request, reply) => save(request, reply, null));
    app.get(`${base}/:id`, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      formPage(request, reply, viewOf(request, await load(request))),
    );
    app.post(`${base}/:id`, { preHandler: requireTenantRole('admin') }, async (request, reply) =>
      save(request, reply, await load(request)),
    );

    // Delete: the confirmation names the tenant default, groups and devices using the profile. The
    // REST delete refuses while any is left, so nothing falls back silently; the pop-up says so.
    app.get(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const profile = await load(request);
      const impact = await profileImpact(em(), tenant, profile);
      const inUse = impact.tenantDefault || impact.groupCount > 0 || impact.deviceCount > 0;
      const more = (shown: number, total: number, what: string) =>
        total > shown ? [`… and ${total - shown} more ${what}`] : [];
      return renderConfirm(request, reply, {
        tenant,
        active: 'profiles',
        title: `Delete profile ${profile.name}?`,
        question: inUse ? 'This profile is in use.' : 'Nothing uses this profile; OK deletes it.',
        impact: [
          ...(impact.tenantDefault
            ? ['It is the tenant default profile (devices and groups without a profile of their own use it)']
            : []),
          ...impact.groups.map((group) => `Group ${group.name}`),
          ...more(impact.groups.length, impact.groupCount, 'group(s)'),
          ...impact.devices.map((device) => `Device ${device.mac}${device.model ? ` (${device.model})` : ''}`),
          ...more(impact.devices.length, impact.deviceCount, 'device(s)'),
        ],
        warning: inUse
          ? `Refused while in use: ${PROFILE_IN_USE}. A device moved off this profile uses its group's profile, else the tenant default profile, else the platform defaults.`
          : undefined,
        action: `${listHref(tenant)}/${profile.id}/delete`,
        cancelHref: `${listHref(tenant)}/${profile.id}`,
      });
    });

    app.post(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const profile = await load(request);
      try {
        await deleteProfile(em(), tenant, profile.id);
        setFlash(request, { kind: 'warning', text: `Profile ${profile.name} deleted.` });
        return reply.redirect(listHref(tenant), 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
        setFlash(request, { kind: 'warning', text: `Not deleted: ${error.message}.` });
        return reply.redirect(`${listHref(tenant)}/${profile.id}`, 303);
      }
    });
  };
}
