import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import { uuidParam } from '../console/params.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { HuntGroup } from '../../model/directory/hunt-group.entity.js';
import { CreateHuntGroupBody, UpdateHuntGroupBody, type HuntGroupViewType } from './hunt-groups.schemas.js';
import {
  createHuntGroup,
  deleteHuntGroup,
  huntGroupImpact,
  huntGroupViews,
  listHuntGroups,
  updateHuntGroup,
} from './hunt-groups.service.js';

const PAGE_SIZE = 25;
/** Accounts offered in each member select. */
const PICK_LIMIT = 500;
/** Empty member rows under the current ones, so members are added without script. */
const EMPTY_ROWS = 3;
const MAX_MEMBERS = 100;
/** Service errors → the form field they belong next to. */
const FIELD_OF_CODE: Record<string, string> = {
  hunt_group_name_taken: 'name',
  extension_taken: 'extension',
  unknown_reference: 'members',
  account_disabled: 'members',
};

interface FormState {
  form?: Record<string, unknown>;
  errors?: Record<string, string>;
}

/** The member selects in ring order (empty rows dropped), as the REST body's memberAccountIds. */
function memberIdsOf(form: Record<string, unknown>): string[] {
  const raw = form.members;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((id): id is string => typeof id === 'string' && id.trim() !== '').map((id) => id.trim());
}

/** The form as the REST body; an empty extension means "none". */
function bodyOf(form: Record<string, unknown>) {
  return {
    name: formText(form, 'name') ?? '',
    extension: formText(form, 'extension') ?? null,
    memberAccountIds: memberIdsOf(form),
  };
}

function fieldOf(path: string): string {
  if (path.startsWith('memberAccountIds')) return 'members';
  return path === 'extension' ? 'extension' : 'name';
}

/** /console/t/:tenant/hunt — Hunt Groups: list, new/edit form (name, extension, members in ring order), delete. */
export function huntGroupsConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/hunt';
    const listHref = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/hunt`;
    const load = (request: FastifyRequest) =>
      findInTenant(em(), HuntGroup, tenantOf(request), uuidParam(request, 'id', 'hunt group'), 'hunt group');

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listHuntGroups(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const views = await huntGroupViews(em(), list.items);
      return reply.view('hunt-groups/views/list', {
        ...pageContext(request, reply, { tenant, active: 'hunt', title: 'Hunt Groups' }),
        base: listHref(tenant),
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
        groups: views.map((view) => ({
          id: view.id,
          name: view.name,
          extension: view.extension ?? '',
          members: view.members.map((member) => `${member.extension} ${member.displayName}`),
          numbers: view.numbers.map((number) => number.e164),
        })),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
      });
    });

    async function formPage(
      request: FastifyRequest,
      reply: FastifyReply,
      current: HuntGroupViewType | null,
      state: FormState = {},
    ) {
      const tenant = tenantOf(request);
      const form = state.form ?? {};
      const chosen = state.form ? memberIdsOf(form) : (current?.members.map((member) => member.accountId) ?? []);
      const accounts = await em().find(
        Account,
        { tenant, $or: [{ enabled: true }, { id: { $in: chosen } }] },
        { orderBy: { extension: 'asc' }, fields: ['id', 'extension', 'displayName', 'enabled'], limit: PICK_LIMIT },
      );
      const rows = [...chosen, ...Array.from({ length: EMPTY_ROWS }, () => '')].slice(0, MAX_MEMBERS);
      const canWrite = roleAtLeast(request.principal!.role, 'admin');
      return reply.view('hunt-groups/views/form', {
        ...pageContext(request, reply, {
          tenant,
          active: 'hunt',
          title: current ? `Hunt group ${current.name}` : 'New hunt group',
        }),
        base: listHref(tenant),
        current,
        canWrite,
        action: current ? `${listHref(tenant)}/${current.id}` : listHref(tenant),
        name: state.form ? (typeof form.name === 'string' ? form.name : '') : (current?.name ?? ''),
        extension: state.form ? (typeof form.extension === 'string' ? form.extension : '') : (current?.extension ?? ''),
        rows,
        accounts: accounts.map((account) => ({
          id: account.id,
          label: `${account.extension} ${account.displayName}${account.enabled ? '' : ' (disabled)'}`,
        })),
        errors: state.errors ?? {},
      });
    }

    /** Validates with the REST schema, then runs the service; any refusal is shown next to its field (400), nothing written. */
    async function save(request: FastifyRequest, reply: FastifyReply, current: HuntGroupViewType | null) {
      const tenant = tenantOf(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const body = bodyOf(form);
      const errors: Record<string, string> = {};
      for (const [path, message] of Object.entries(
        validateBody(current ? UpdateHuntGroupBody : CreateHuntGroupBody, body),
      )) {
        errors[fieldOf(path)] ??=
          path === 'extension'
            ? 'an extension is 2 to 8 digits'
            : path.startsWith('memberAccountIds') && message.includes('duplicate')
              ? 'each user can be a member only once'
              : message;
      }
      if (Object.keys(errors).length === 0) {
        try {
          const saved = current
            ? await updateHuntGroup(em(), tenant, current.id, body)
            : await createHuntGroup(em(), tenant, body);
          setFlash(request, {
            kind: 'saved',
            text: current ? 'Changes Saved' : `Changes Saved — hunt group ${saved.name} created`,
          });
          return reply.redirect(`${listHref(tenant)}/${saved.id}`, 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500 || error.statusCode === 403) throw error;
          em().clear();
          errors[FIELD_OF_CODE[error.code] ?? 'name'] = error.message;
        }
      }
      return formPage(request, reply.status(400), current, { form, errors });
    }

    const viewOf = async (huntGroup: HuntGroup) => (await huntGroupViews(em(), [huntGroup]))[0]!;

    app.get(`${base}/new`, { preHandler: requireTenantRole('admin') }, async (request, reply) =>
      formPage(request, reply, null),
    );
    app.post(base, { preHandler: requireTenantRole('admin') }, async (request, reply) => save(request, reply, null));
    app.get(`${base}/:id`, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      formPage(request, reply, await viewOf(await load(request))),
    );
    app.post(`${base}/:id`, { preHandler: requireTenantRole('admin') }, async (request, reply) =>
      save(request, reply, await viewOf(await load(request))),
    );

    // Delete: the confirmation names what forwards to the group and the numbers it frees.
    app.get(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const huntGroup = await load(request);
      const impact = await huntGroupImpact(em(), tenant, huntGroup);
      return renderConfirm(request, reply, {
        tenant,
        active: 'hunt',
        title: `Delete hunt group ${huntGroup.name}?`,
        question: 'The hunt group is deleted; its members stay as users.',
        impact: [
          ...impact.numbers.map((number) => `Phone number ${number.e164} becomes unassigned`),
          ...impact.autoAttendantOptions.map(
            (option) =>
              `Auto attendant ${option.name}: key ${option.digit} no longer forwards here (the option is removed)`,
          ),
          ...(impact.members ? [`${impact.members} member(s) stop ringing for it`] : []),
        ],
        action: `${listHref(tenant)}/${huntGroup.id}/delete`,
        cancelHref: listHref(tenant),
      });
    });

    app.post(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const huntGroup = await load(request);
      const name = huntGroup.name;
      await deleteHuntGroup(em(), tenant, huntGroup.id);
      setFlash(request, { kind: 'warning', text: `Hunt group ${name} deleted.` });
      return reply.redirect(listHref(tenant), 303);
    });
  };
}
