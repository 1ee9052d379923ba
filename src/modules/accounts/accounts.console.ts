import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, NotFoundError } from '../../errors/errors.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import { uuidParam } from '../console/params.js';
import { assignNumber, swapPrimaryNumber, unassignNumber } from '../numbers/number-assignment.js';
import { SwapPrimaryBody } from '../numbers/numbers.schemas.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { Account } from '../../model/directory/account.entity.js';
import { accountImpact } from './account-removal.js';
import { UpdateAccountBody } from './accounts.schemas.js';
import { deleteAccount, updateAccount } from './accounts.service.js';
import { PICK_LIMIT, userListPage, userPageData } from './user-pages.js';

const PAGE_SIZE = 25;
type Tab = 'general' | 'caller-id';
interface PageState {
  tab?: Tab;
  form?: Record<string, unknown>;
  errors?: Record<string, string>;
  error?: string;
}

/** The impact lines of removing a user, one per object (from accountImpact, the rules deleteAccounts applies). */
export function removalLines(impact: Awaited<ReturnType<typeof accountImpact>>): string[] {
  return [
    ...impact.numbers.map((number) => `Phone number ${number.e164} (${number.role}) becomes unassigned`),
    ...impact.devices.map((device) => `Device ${device.mac} becomes unassigned (line ${device.lines.join(', ')})`),
    ...impact.huntGroups.map((group) => `Leaves hunt group ${group.name}`),
    ...impact.autoAttendantOptions.map(
      (option) => `Auto attendant ${option.name} no longer forwards key ${option.digit} to this user`,
    ),
  ];
}

/** /console/t/:tenant/users — the tenant's SIP accounts, each with its numbers. */
export function accountsConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/users';
    const listHref = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/users`;
    const userHref = (tenant: Tenant, id: string, tab: Tab = 'general') =>
      `${listHref(tenant)}/${id}${tab === 'caller-id' ? '/caller-id' : ''}`;
    const loadAccount = (request: FastifyRequest) =>
      findInTenant(em(), Account, tenantOf(request), uuidParam(request, 'id', 'user'), 'user');

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await userListPage(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return reply.view('accounts/views/list', {
        ...pageContext(request, reply, { tenant, active: 'users', title: 'Users' }),
        users: list.rows,
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
      });
    });

    async function userPage(request: FastifyRequest, reply: FastifyReply, account: Account, state: PageState = {}) {
      const tenant = tenantOf(request);
      const data = await userPageData(em(), tenant, account);
      const tab = state.tab ?? 'general';
      return reply.view('accounts/views/user', {
        ...pageContext(request, reply, {
          tenant,
          active: 'users',
          title: `User ${account.extension} ${account.displayName}`,
        }),
        ...data,
        tab,
        pickLimit: PICK_LIMIT,
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
        href: userHref(tenant, account.id),
        listHref: listHref(tenant),
        form: state.form ?? {},
        errors: state.errors ?? {},
        error: state.error ?? null,
      });
    }

    /** A refused action (409 already assigned, 400 from a service) is a message on the page; nothing was written. */
    async function refused(
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      error: unknown,
      state: PageState = {},
    ) {
      if (
        !(error instanceof AppError) ||
        error.statusCode >= 500 ||
        error.statusCode === 404 ||
        error.statusCode === 403
      )
        throw error;
      em().clear();
      const account = await findInTenant(em(), Account, tenantOf(request), id, 'user');
      return userPage(request, reply.status(error.statusCode), account, { ...state, error: error.message });
    }

    app.get(`${base}/:id`, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      userPage(request, reply, await loadAccount(request)),
    );
    app.get(`${base}/:id/caller-id`, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      userPage(request, reply, await loadAccount(request), { tab: 'caller-id' }),
    );

    // General tab (display name) and Caller ID tab: the REST PATCH schema and service.
    for (const [path, tab, field] of [
      ['', 'general', 'displayName'],
      ['/caller-id', 'caller-id', 'callerId'],
    ] as const) {
      app.post(`${base}/:id${path}`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
        const account = await loadAccount(request);
        const form = (request.body ?? {}) as Record<string, unknown>;
        const value = formText(form, field);
        const body = { [field]: field === 'callerId' ? (value ?? null) : (value ?? '') };
        const invalid = validateBody(UpdateAccountBody, body);
        const errors: Record<string, string> = invalid[field]
          ? { [field]: invalid[field] }
          : Object.keys(invalid).length
            ? { [field]: Object.values(invalid)[0]! }
            : {};
        if (Object.keys(errors).length === 0) {
          try {
            await updateAccount(em(), tenantOf(request), account.id, body);
            setFlash(request, { kind: 'saved', text: 'Changes Saved' });
            return reply.redirect(userHref(tenantOf(request), account.id, tab), 303);
          } catch (error) {
            if (!(error instanceof AppError) || error.statusCode >= 500 || error.statusCode === 404) throw error;
            em().clear();
            errors[field] = error.message;
          }
        }
        return userPage(request, reply.status(400), await loadAccount(request), { tab, form, errors });
      });
    }

    // Swap phone number: the chosen number becomes the primary (row-locked in swapPrimaryNumber).
    app.post(`${base}/:id/swap`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const account = await loadAccount(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const body = { numberId: formText(form, 'numberId') ?? '' };
      if (Object.keys(validateBody(SwapPrimaryBody, body)).length) {
        return userPage(request, reply.status(400), account, { form, errors: { swapNumberId: 'pick a number' } });
      }
      try {
        const { primary } = await swapPrimaryNumber(em(), tenantOf(request), account.id, body.numberId);
        setFlash(request, { kind: 'saved', text: `Changes Saved — primary phone number is ${primary.e164}` });
        return reply.redirect(userHref(tenantOf(request), account.id), 303);
      } catch (error) {
        return refused(request, reply, account.id, error);
      }
    });

    // Assign phone number: an additional number of the user.
    app.post(`${base}/:id/numbers`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const account = await loadAccount(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const numberId = formText(form, 'numberId') ?? '';
      if (Object.keys(validateBody(SwapPrimaryBody, { numberId })).length) {
        return userPage(request, reply.status(400), account, { form, errors: { assignNumberId: 'pick a number' } });
      }
      try {
        const number = await assignNumber(em(), tenantOf(request), numberId, {
          accountId: account.id,
          role: 'additional',
        });
        setFlash(request, { kind: 'saved', text: `Changes Saved — ${number.e164} assigned` });
        return reply.redirect(userHref(tenantOf(request), account.id), 303);
      } catch (error) {
        return refused(request, reply, account.id, error);
      }
    });

    // Remove an additional number: it stays in the tenant, unassigned. A number this user does not hold is not found here.
    async function heldNumber(request: FastifyRequest, account: Account): Promise<PhoneNumber> {
      const number = await findInTenant(
        em(),
        PhoneNumber,
        tenantOf(request),
        uuidParam(request, 'numberId', 'number'),
        'number',
      );
      if (number.account?.id !== account.id) throw new NotFoundError('number');
      return number;
    }
    app.get(
      `${base}/:id/numbers/:numberId/delete`,
      { preHandler: requireTenantRole('admin') },
      async (request, reply) => {
        const account = await loadAccount(request);
        const number = await heldNumber(request, account);
        const href = userHref(tenantOf(request), account.id);
        return renderConfirm(request, reply, {
          tenant: tenantOf(request),
          active: 'users',
          title: `Remove ${number.e164} from ${account.displayName}?`,
          question: `${number.e164} is unassigned from user ${account.extension}; it stays in the tenant as Unassigned.`,
          action: `${href}/numbers/${number.id}/delete`,
          cancelHref: href,
        });
      },
    );
    app.post(
      `${base}/:id/numbers/:numberId/delete`,
      { preHandler: requireTenantRole('admin') },
      async (request, reply) => {
        const account = await loadAccount(request);
        try {
          const number = await unassignNumber(
            em(),
            tenantOf(request),
            uuidParam(request, 'numberId', 'number'),
            account.id,
          );
          setFlash(request, {
            kind: 'warning',
            text: `${number.e164} unassigned; it stays in the tenant as Unassigned.`,
          });
          return reply.redirect(userHref(tenantOf(request), account.id), 303);
        } catch (error) {
          return refused(request, reply, account.id, error);
        }
      },
    );

    // Remove the user: the confirmation lists every object the cleanup rules touch.
    app.get(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const account = await loadAccount(request);
      const lines = removalLines(await accountImpact(em(), tenant, account));
      return renderConfirm(request, reply, {
        tenant,
        active: 'users',
        title: `Remove user ${account.extension} ${account.displayName}?`,
        question: lines.length
          ? 'Removing the user also does this:'
          : 'The user holds no numbers, devices, hunt groups or auto attendant options.',
        impact: lines,
        action: `${userHref(tenant, account.id)}/delete`,
        cancelHref: userHref(tenant, account.id),
      });
    });
    app.post(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const account = await loadAccount(request);
      try {
        const report = await deleteAccount(em(), tenant, account.id);
        setFlash(request, {
          kind: 'warning',
          text: `User ${account.extension} removed: ${report.numbersUnassigned} number(s) and ${report.deviceLinesUnassigned} device line(s) unassigned, ${report.huntGroupMembershipsRemoved} hunt group membership(s) and ${report.autoAttendantOptionsRemoved} auto attendant option(s) removed.`,
        });
        return reply.redirect(listHref(tenant), 303);
      } catch (error) {
        return refused(request, reply, account.id, error);
      }
    });
  };
}
