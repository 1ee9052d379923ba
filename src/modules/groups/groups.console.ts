import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { uuidParam } from '../console/params.js';
import { validateBody } from '../console/form-validation.js';
import { Profile } from '../../model/directory/profile.entity.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { groupList } from './group-list.js';
import { deleteGroup, groupImpact } from './group-removal.js';
import { Group } from '../../model/directory/group.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import { CreateGroupBody } from './groups.schemas.js';
import { GROUP_FIELD_OF_CODE, groupBodyFromForm, groupFormErrors } from './group-form.js';
import { groupPage } from './group-page.console.js';
import { groupTab } from './group-tab.console.js';
import { createGroup } from './groups.service.js';

const PAGE_SIZE = 25;

/** /console/t/:tenant/groups — Groups & Accounts. */
export function groupsConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/groups';
    await app.register(groupPage(deps));
    await app.register(groupTab(deps));

    async function listPage(
      request: FastifyRequest,
      reply: FastifyReply,
      tenant: Tenant,
      extra: { form?: Record<string, unknown>; errors?: Record<string, string>; showForm?: boolean },
    ) {
      const query = request.query as { q?: string; page?: string; created?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await groupList(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const accountCount = await em().count(Account, { tenant });
      const profiles = await em().find(
        Profile,
        { tenant },
        { orderBy: { name: 'asc' }, fields: ['id', 'name'], limit: 500 },
      );
      const canWrite = roleAtLeast(request.principal!.role, 'admin');
      return reply.view('groups/views/list', {
        ...pageContext(request, reply, { tenant, active: 'groups', title: 'Groups & Accounts' }),
        groups: list.items.map((group) => ({ id: group.id, name: group.name, itEmail: group.adminItEmail ?? '' })),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
        accountCount,
        accountLimit: tenant.maxAccounts,
        created: typeof query.created === 'string' && /^[0-9a-f-]{36}$/.test(query.created) ? query.created : null,
        canWrite,
        showForm: canWrite && (extra.showForm ?? false),
        profiles: profiles.map((profile) => ({ id: profile.id, name: profile.name })),
        defaultProfileId: tenant.defaultProfile?.id ?? '',
        form: extra.form ?? {},
        errors: extra.errors ?? {},
      });
    }

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      listPage(request, reply, tenantOf(request), { showForm: (request.query as { new?: string }).new === '1' }),
    );

    app.post(base, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const body = groupBodyFromForm(form);
      const errors = groupFormErrors(validateBody(CreateGroupBody, body));
      if (Object.keys(errors).length === 0) {
        try {
          const group = await createGroup(em(), tenant, body);
          return reply.redirect(`/console/t/${encodeURIComponent(tenant.slug)}/groups?created=${group.id}`, 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
          em().clear();
          errors[GROUP_FIELD_OF_CODE[error.code] ?? 'name'] = error.message;
        }
      }
      return listPage(request, reply.status(400), tenant, { form, errors, showForm: true });
    });

    // Delete: the confirmation names what goes with the group (accounts go too), then OK deletes.
    app.get(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const group = await findInTenant(em(), Group, tenant, uuidParam(request, 'id', 'group'), 'group');
      const impact = await groupImpact(em(), tenant, group);
      const listHref = `/console/t/${encodeURIComponent(tenant.slug)}/groups`;
      return renderConfirm(request, reply, {
        tenant,
        active: 'groups',
        title: `Delete group ${group.name}?`,
        question:
          impact.accounts > 0
            ? `Deleting the group deletes its ${impact.accounts} account(s) too.`
            : 'The group is empty.',
        impact: [
          `${impact.accounts} account(s) deleted`,
          `${impact.devices} device(s) lose the lines bound to them`,
          `${impact.numbers} number(s) become unassigned`,
          `${impact.extraMembers} extra member(s) and ${impact.sharedNumbers} shared number(s) leave the group`,
        ],
        action: `${listHref}/${group.id}/delete`,
        cancelHref: listHref,
      });
    });

    app.post(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const id = uuidParam(request, 'id', 'group');
      const impact = await deleteGroup(em(), tenant, id, true);
      setFlash(request, {
        kind: 'warning',
        text: `Group ${id} deleted with ${impact.accounts} account(s); ${impact.numbers} number(s) are unassigned now.`,
      });
      return reply.redirect(`/console/t/${encodeURIComponent(tenant.slug)}/groups`, 303);
    });
  };
}
