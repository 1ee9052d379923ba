import { readTogether } from '../../db/reads.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, NotFoundError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { ClassOfService } from '../../model/directory/class-of-service.entity.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import { uuidParam } from '../console/params.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import type { PhoneMapGroup } from '../../model/directory/phonemap-group.entity.js';
import { AddMemberBody, UpdatePhoneMapGroupBody } from './phonemap-groups.schemas.js';
import {
  findPhoneMapGroup,
  phonemapGroupView,
  phonemapImpact,
  updatePhoneMapGroup,
} from './phonemap-groups.service.js';
import { activatePhoneMapMember, addPhoneMapMember, removePhoneMapMember } from './phonemap-members.service.js';
import { groupHref, phonemapHref, tokenParam } from './phonemap-pages.js';

/** Accounts offered in the "Add member" select. */
const PICK_LIMIT = 500;
interface PageState {
  form?: Record<string, unknown>;
  errors?: Record<string, string>;
  error?: string;
}

/** /console/t/:tenant/phonemap/g/:id — one group: its members (one active), the phones that follow it. */
export function phonemapMembersConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/phonemap/g/:id';
    const load = (request: FastifyRequest) => findPhoneMapGroup(em(), tenantOf(request), tokenParam(request));

    async function groupPage(
      request: FastifyRequest,
      reply: FastifyReply,
      group: PhoneMapGroup,
      state: PageState = {},
    ) {
      const tenant = tenantOf(request);
      const [view, impact] = await readTogether(em(), [
        () => phonemapGroupView(em(), group),
        () => phonemapImpact(em(), tenant, group),
      ] as const);
      const memberIds = view.members.map((member) => member.accountId);
      const [classes, accounts] = await readTogether(em(), [
        () =>
          em().find(
            ClassOfService,
            { tenant },
            { orderBy: { name: 'asc' }, fields: ['id', 'name'], limit: PICK_LIMIT },
          ),
        () =>
          em().find(Account, memberIds.length ? { tenant, id: { $nin: memberIds } } : { tenant }, {
            orderBy: { extension: 'asc' },
            fields: ['id', 'extension', 'displayName'],
            limit: PICK_LIMIT,
          }),
      ] as const);
      return reply.view('phonemap-groups/views/group', {
        ...pageContext(request, reply, { tenant, active: 'phonemap', title: `PhoneMap group ${group.name}` }),
        group: view,
        phones: impact.devices,
        phoneLines: impact.deviceLines,
        classes: classes.map((cos) => ({ id: cos.id, name: cos.name })),
        candidates: accounts.map((account) => ({
          id: account.id,
          label: `${account.extension} ${account.displayName}`,
        })),
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
        href: groupHref(tenant, group.token),
        listHref: phonemapHref(tenant),
        form: state.form ?? {},
        errors: state.errors ?? {},
        error: state.error ?? null,
      });
    }

    /** A refused change (409 active member, 400 unknown account) is a message on the page; nothing was written. */
    async function refused(request: FastifyRequest, reply: FastifyReply, error: unknown, state: PageState = {}) {
      if (
        !(error instanceof AppError) ||
        error.statusCode >= 500 ||
        error.statusCode === 404 ||
        error.statusCode === 403
      )
        throw error;
      em().clear();
      return groupPage(request, reply.status(error.statusCode), await load(request), {
        error: error.message,
        ...state,
      });
    }

    const done = (request: FastifyRequest, reply: FastifyReply, tenant: Tenant, token: string, text: string) => {
      setFlash(request, { kind: 'saved', text });
      return reply.redirect(groupHref(tenant, token), 303);
    };

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      groupPage(request, reply, await load(request)),
    );

    // Name and class of service: the REST PATCH schema and service.
    app.post(base, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const token = tokenParam(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const body = { name: formText(form, 'name') ?? '', classOfServiceId: formText(form, 'classOfServiceId') ?? '' };
      const errors: Record<string, string> = {};
      for (const [path, message] of Object.entries(validateBody(UpdatePhoneMapGroupBody, body))) {
        errors[path === 'classOfServiceId' ? 'classOfServiceId' : 'name'] ??=
          path === 'classOfServiceId' ? 'choose a class of service' : message;
      }
      if (Object.keys(errors).length)
        return groupPage(request, reply.status(400), await load(request), { form, errors });
      try {
        await updatePhoneMapGroup(em(), tenant, token, body);
      } catch (error) {
        return refused(request, reply, error, {
          form,
          errors: { classOfServiceId: error instanceof Error ? error.message : 'not valid' },
        });
      }
      return done(request, reply, tenant, token, 'Changes Saved');
    });

    app.post(`${base}/members`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const token = tokenParam(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const body = { accountId: formText(form, 'accountId') ?? '' };
      if (Object.keys(validateBody(AddMemberBody, body)).length) {
        return groupPage(request, reply.status(400), await load(request), {
          form,
          errors: { accountId: 'choose a user' },
        });
      }
      try {
        await addPhoneMapMember(em(), tenant, token, body.accountId);
      } catch (error) {
        return refused(request, reply, error, {
          form,
          errors: { accountId: error instanceof Error ? error.message : 'not valid' },
        });
      }
      return done(request, reply, tenant, token, 'Changes Saved — member added');
    });

    // The switch: one click; the result line names the phones that follow it.
    app.post(
      `${base}/members/:accountId/activate`,
      { preHandler: requireTenantRole('admin') },
      async (request, reply) => {
        const tenant = tenantOf(request);
        const token = tokenParam(request);
        const accountId = uuidParam(request, 'accountId', 'PhoneMap member');
        const group = await activatePhoneMapMember(em(), tenant, token, accountId);
        const [view, impact] = await readTogether(em(), [
          () => phonemapGroupView(em(), group),
          () => phonemapImpact(em(), tenant, group),
        ] as const);
        const active = view.members.find((member) => member.active);
        const phones = impact.devices.map((device) => device.mac);
        return done(
          request,
          reply,
          tenant,
          token,
          `Changes Saved — ${active?.extension ?? ''} ${active?.displayName ?? ''} is active; ${phones.length} phone(s) follow the switch${phones.length ? `: ${phones.join(', ')}` : ''}`,
        );
      },
    );

    app.get(`${base}/members/:accountId/remove`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const group = await load(request);
      const accountId = uuidParam(request, 'accountId', 'PhoneMap member');
      const view = await phonemapGroupView(em(), group);
      const member = view.members.find((candidate) => candidate.accountId === accountId);
      if (!member) throw new NotFoundError('PhoneMap member');
      const href = groupHref(tenant, group.token);
      return renderConfirm(request, reply, {
        tenant,
        active: 'phonemap',
        title: `Remove ${member.extension} ${member.displayName} from ${group.name}?`,
        question: 'The user stays; only the mapping to this PhoneMap group is removed.',
        action: `${href}/members/${accountId}/remove`,
        cancelHref: href,
      });
    });

    app.post(
      `${base}/members/:accountId/remove`,
      { preHandler: requireTenantRole('admin') },
      async (request, reply) => {
        const tenant = tenantOf(request);
        const token = tokenParam(request);
        try {
          await removePhoneMapMember(em(), tenant, token, uuidParam(request, 'accountId', 'PhoneMap member'));
        } catch (error) {
          return refused(request, reply, error);
        }
        setFlash(request, { kind: 'warning', text: 'Member removed.' });
        return reply.redirect(groupHref(tenant, token), 303);
      },
    );
  };
}
