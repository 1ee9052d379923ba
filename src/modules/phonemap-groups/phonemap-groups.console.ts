import { readTogether } from '../../db/reads.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/errors.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { ClassOfService } from '../../model/directory/class-of-service.entity.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { PHONEMAP_TOKEN_PATTERN, PhoneMapGroup } from '../../model/directory/phonemap-group.entity.js';
import { CreatePhoneMapGroupBody, PhoneMapToken } from './phonemap-groups.schemas.js';
import {
  createPhoneMapGroup,
  deletePhoneMapGroup,
  findPhoneMapGroup,
  listPhoneMapGroups,
  phonemapGroupView,
  phonemapGroupViews,
  phonemapImpact,
} from './phonemap-groups.service.js';
import { phonemapMembersConsole } from './phonemap-members.console.js';
import { ID_RULE, groupHref, phonemapHref, tokenParam } from './phonemap-pages.js';

const PAGE_SIZE = 25;
/** Classes of service offered in the select; a tenant has a handful. */
const COS_LIMIT = 500;
/** Service errors that name a form field. */
const FIELD_OF_CODE: Record<string, string> = { phonemap_group_id_taken: 'id', unknown_reference: 'classOfServiceId' };

interface EditorState {
  form?: Record<string, unknown>;
  errors?: Record<string, string>;
}

/** Message for the id as typed: the REST schema's rule, then uniqueness in the tenant. */
async function idProblem(em: EntityManager, tenant: Tenant, id: string): Promise<string | null> {
  if (Object.keys(validateBody(PhoneMapToken, id)).length) return ID_RULE;
  const taken = await em.count(PhoneMapGroup, { tenant, token: id });
  return taken ? `a PhoneMap group with id ${id} already exists` : null;
}

/** /console/t/:tenant/phonemap — Phone Map Groups: list, row editor for a new group, delete. */
export function phonemapConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/phonemap';

    const classesOf = (tenant: Tenant) =>
      em().find(ClassOfService, { tenant }, { orderBy: { name: 'asc' }, fields: ['id', 'name'], limit: COS_LIMIT });

    function editorContext(
      request: FastifyRequest,
      tenant: Tenant,
      classes: { id: string; name: string }[],
      state: EditorState,
    ) {
      return {
        base: phonemapHref(tenant),
        classes: classes.map((cos) => ({ id: cos.id, name: cos.name })),
        form: state.form ?? {},
        errors: state.errors ?? {},
        idRule: ID_RULE,
        tokenPattern: PHONEMAP_TOKEN_PATTERN.slice(1, -1),
      };
    }

    async function listPage(
      request: FastifyRequest,
      reply: FastifyReply,
      state: EditorState & { showEditor?: boolean } = {},
    ) {
      const tenant = tenantOf(request);
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listPhoneMapGroups(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const views = await phonemapGroupViews(em(), list.items);
      const classes = await classesOf(tenant);
      const cosName = new Map(classes.map((cos) => [cos.id, cos.name]));
      const canWrite = roleAtLeast(request.principal!.role, 'admin');
      return reply.view('phonemap-groups/views/list', {
        ...pageContext(request, reply, { tenant, active: 'phonemap', title: 'Phone Map Groups' }),
        ...editorContext(request, tenant, classes, state),
        groups: views.map((view) => {
          const active = view.members.find((member) => member.active);
          return {
            id: view.id,
            name: view.name,
            cos: cosName.get(view.classOfServiceId) ?? '',
            members: view.members.length,
            active: active ? `${active.extension} ${active.displayName}` : '',
          };
        }),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
        canWrite,
        showEditor: canWrite && (state.showEditor ?? false),
      });
    }

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      listPage(request, reply, { showEditor: (request.query as { new?: string }).new === '1' }),
    );

    // New PhoneMap Group: htmx asks for the editor row alone; without htmx it is the list with the row open.
    app.get(`${base}/new`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      if (request.headers['hx-request'] !== 'true') return listPage(request, reply, { showEditor: true });
      const tenant = tenantOf(request);
      return reply.view('phonemap-groups/views/editor-row', {
        csrf: reply.generateCsrf(),
        ...editorContext(request, tenant, await classesOf(tenant), {}),
      });
    });

    // The id checked as it is typed (htmx, read-only): the REST schema's pattern and the tenant's ids.
    app.get(`${base}/check-id`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const id = (request.query as { id?: unknown }).id;
      const problem = typeof id === 'string' && id !== '' ? await idProblem(em(), tenantOf(request), id) : null;
      return reply.view('phonemap-groups/views/id-hint', {
        problem,
        idRule: ID_RULE,
        checked: typeof id === 'string' && id !== '',
      });
    });

    app.post(base, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const body = {
        id: formText(form, 'id') ?? '',
        name: formText(form, 'name') ?? '',
        classOfServiceId: formText(form, 'classOfServiceId') ?? '',
      };
      const errors: Record<string, string> = {};
      for (const [path, message] of Object.entries(validateBody(CreatePhoneMapGroupBody, body))) {
        const field = ['id', 'name', 'classOfServiceId'].includes(path) ? path : 'name';
        errors[field] ??=
          field === 'id' ? ID_RULE : field === 'classOfServiceId' ? 'choose a class of service' : message;
      }
      if (Object.keys(errors).length === 0) {
        try {
          await createPhoneMapGroup(em(), tenant, body);
          setFlash(request, { kind: 'saved', text: `Changes Saved — PhoneMap group ${body.id} created` });
          return reply.redirect(phonemapHref(tenant), 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
          em().clear();
          errors[FIELD_OF_CODE[error.code] ?? 'name'] = error.message;
        }
      }
      return listPage(request, reply.status(400), { form, errors, showEditor: true });
    });

    // Delete: every mapping goes with the group, so the confirmation lists them and the phones on them.
    app.get(`${base}/g/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const group = await findPhoneMapGroup(em(), tenant, tokenParam(request));
      const [view, impact] = await readTogether(em(), [
        () => phonemapGroupView(em(), group),
        () => phonemapImpact(em(), tenant, group),
      ] as const);
      const listHref = phonemapHref(tenant);
      return renderConfirm(request, reply, {
        tenant,
        active: 'phonemap',
        title: `Delete PhoneMap group ${group.name}?`,
        question:
          impact.members + impact.deviceLines > 0
            ? `Deleting the group removes all its mappings: ${impact.members} member(s) and ${impact.deviceLines} phone line(s).`
            : 'The group maps nothing.',
        impact: [
          ...view.members.map(
            (member) =>
              `Mapping to ${member.extension} ${member.displayName}${member.active ? ' (active)' : ''} removed`,
          ),
          ...impact.devices.map((device) => `Phone ${device.mac} loses line ${device.lines.join(', ')}`),
          ...(impact.deviceLines > impact.devices.reduce((sum, device) => sum + device.lines.length, 0)
            ? ['… and more phone lines']
            : []),
        ],
        warning: 'Please double-check that no phone critical to the system is removed.',
        action: `${groupHref(tenant, group.token)}/delete`,
        cancelHref: listHref,
      });
    });

    app.post(`${base}/g/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const token = tokenParam(request);
      const impact = await deletePhoneMapGroup(em(), tenant, token, true);
      setFlash(request, {
        kind: 'warning',
        text: `PhoneMap group ${token} deleted; ${impact.members} mapping(s) removed, ${impact.deviceLines} phone line(s) unbound.`,
      });
      return reply.redirect(phonemapHref(tenant), 303);
    });

    await app.register(phonemapMembersConsole(deps));
  };
}
