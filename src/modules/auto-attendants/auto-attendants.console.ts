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
import { HuntGroup } from '../../model/directory/hunt-group.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { AutoAttendant } from '../../model/directory/auto-attendant.entity.js';
import {
  CreateAutoAttendantBody,
  type AutoAttendantViewType,
  type CreateAutoAttendantInput,
  type OptionInputType,
} from './auto-attendants.schemas.js';
import {
  autoAttendantImpact,
  autoAttendantViews,
  createAutoAttendant,
  deleteAutoAttendant,
  listAutoAttendants,
  updateAutoAttendant,
} from './auto-attendants.service.js';

const PAGE_SIZE = 25;
/** Accounts and hunt groups offered in each destination select. */
const PICK_LIMIT = 500;
/** One form row per key of the phone's keypad, so each digit can lead to one destination. */
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;
const FIELD_OF_CODE: Record<string, string> = { auto_attendant_name_taken: 'name', extension_taken: 'extension' };

/** The form as the REST body, and which keypad row each option of the body came from (for its errors). */
function bodyOf(form: Record<string, unknown>): { body: CreateAutoAttendantInput; rowOf: number[] } {
  const options: OptionInputType[] = [];
  const rowOf: number[] = [];
  DIGITS.forEach((digit, row) => {
    const destination = formText(form, `dest-${row}`) ?? '';
    const external = formText(form, `ext-${row}`);
    const [kind, id] = destination.split(':');
    let option: OptionInputType | null = null;
    if (kind === 'account' && id) option = { digit, accountId: id };
    else if (kind === 'hunt' && id) option = { digit, huntGroupId: id };
    else if (kind === 'external' || (destination === '' && external !== undefined))
      option = { digit, externalNumber: external ?? '' };
    if (option) {
      options.push(option);
      rowOf.push(row);
    }
  });
  return {
    body: { name: formText(form, 'name') ?? '', extension: formText(form, 'extension') ?? null, options },
    rowOf,
  };
}

/** A schema path ("options.2.externalNumber") or a service refusal (details.index) → the form field. */
function fieldOfPath(path: string, rowOf: number[]): string {
  const match = /^options\.(\d+)/.exec(path);
  if (match) return `row-${rowOf[Number(match[1])] ?? 0}`;
  return path === 'extension' ? 'extension' : 'name';
}

/** /console/t/:tenant/auto-attendants — Auto Attendants: list, new/edit with the keypad options, delete. */
export function autoAttendantsConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/auto-attendants';
    const listHref = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/auto-attendants`;
    const load = (request: FastifyRequest) =>
      findInTenant(
        em(),
        AutoAttendant,
        tenantOf(request),
        uuidParam(request, 'id', 'auto attendant'),
        'auto attendant',
      );
    const viewOf = async (autoAttendant: AutoAttendant) => (await autoAttendantViews(em(), [autoAttendant]))[0]!;

    /** Names of the options' destinations, for the list and the read-only view. */
    async function destinationNames(tenant: Tenant, views: AutoAttendantViewType[]): Promise<Map<string, string>> {
      const accountIds = views.flatMap((view) =>
        view.options.map((option) => option.accountId).filter((id): id is string => id !== null),
      );
      const huntIds = views.flatMap((view) =>
        view.options.map((option) => option.huntGroupId).filter((id): id is string => id !== null),
      );
      const names = new Map<string, string>();
      if (accountIds.length)
        for (const account of await em().find(
          Account,
          { tenant, id: { $in: accountIds } },
          { fields: ['id', 'extension', 'displayName'] },
        ))
          names.set(account.id, `user ${account.extension} ${account.displayName}`);
      if (huntIds.length)
        for (const hunt of await em().find(HuntGroup, { tenant, id: { $in: huntIds } }, { fields: ['id', 'name'] }))
          names.set(hunt.id, `hunt group ${hunt.name}`);
      return names;
    }
    const optionLines = (view: AutoAttendantViewType, names: Map<string, string>) =>
      view.options.map(
        (option) =>
          `${option.digit} → ${option.externalNumber ?? names.get(option.accountId ?? option.huntGroupId ?? '') ?? '?'}`,
      );

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listAutoAttendants(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const views = await autoAttendantViews(em(), list.items);
      const names = await destinationNames(tenant, views);
      return reply.view('auto-attendants/views/list', {
        ...pageContext(request, reply, { tenant, active: 'aa', title: 'Auto Attendants' }),
        base: listHref(tenant),
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
        items: views.map((view) => ({
          id: view.id,
          name: view.name,
          extension: view.extension ?? '',
          options: optionLines(view, names),
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
      current: AutoAttendantViewType | null,
      state: { form?: Record<string, unknown>; errors?: Record<string, string> } = {},
    ) {
      const tenant = tenantOf(request);
      const canWrite = roleAtLeast(request.principal!.role, 'admin');
      let form = state.form;
      if (!form) {
        form = { name: current?.name ?? '', extension: current?.extension ?? '' };
        for (const option of current?.options ?? []) {
          const row = DIGITS.indexOf(option.digit as (typeof DIGITS)[number]);
          form[`dest-${row}`] = option.accountId
            ? `account:${option.accountId}`
            : option.huntGroupId
              ? `hunt:${option.huntGroupId}`
              : 'external';
          form[`ext-${row}`] = option.externalNumber ?? '';
        }
      }
      const names = current ? await destinationNames(tenant, [current]) : new Map<string, string>();
      const [accounts, huntGroups] = canWrite
        ? [
            await em().find(
              Account,
              { tenant, enabled: true },
              { orderBy: { extension: 'asc' }, fields: ['id', 'extension', 'displayName'], limit: PICK_LIMIT },
            ),
            await em().find(
              HuntGroup,
              { tenant },
              { orderBy: { name: 'asc' }, fields: ['id', 'name'], limit: PICK_LIMIT },
            ),
          ]
        : [[], []];
      return reply.view('auto-attendants/views/form', {
        ...pageContext(request, reply, {
          tenant,
          active: 'aa',
          title: current ? `Auto attendant ${current.name}` : 'New auto attendant',
        }),
        base: listHref(tenant),
        current,
        canWrite,
        digits: DIGITS,
        form,
        errors: state.errors ?? {},
        action: current ? `${listHref(tenant)}/${current.id}` : listHref(tenant),
        options: current ? optionLines(current, names) : [],
        accounts: accounts.map((account) => ({
          value: `account:${account.id}`,
          label: `${account.extension} ${account.displayName}`,
        })),
        huntGroups: huntGroups.map((hunt) => ({ value: `hunt:${hunt.id}`, label: hunt.name })),
      });
    }

    /** Validates with the REST schema, then runs the service; a refusal is shown next to its field or keypad row, nothing written. */
    async function save(request: FastifyRequest, reply: FastifyReply, current: AutoAttendantViewType | null) {
      const tenant = tenantOf(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const { body, rowOf } = bodyOf(form);
      const errors: Record<string, string> = {};
      for (const [path, message] of Object.entries(validateBody(CreateAutoAttendantBody, body))) {
        errors[fieldOfPath(path, rowOf)] ??=
          path === 'extension'
            ? 'an extension is 2 to 8 digits'
            : path.endsWith('externalNumber')
              ? 'type the external number'
              : message;
      }
      if (Object.keys(errors).length === 0) {
        try {
          const saved = current
            ? await updateAutoAttendant(em(), tenant, current.id, body)
            : await createAutoAttendant(em(), tenant, body);
          setFlash(request, {
            kind: 'saved',
            text: current ? 'Changes Saved' : `Changes Saved — auto attendant ${saved.name} created`,
          });
          return reply.redirect(`${listHref(tenant)}/${saved.id}`, 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500 || error.statusCode === 403) throw error;
          em().clear();
          const details = (error.details ?? {}) as { index?: unknown; field?: unknown };
          const index =
            typeof details.index === 'number'
              ? details.index
              : /^options\[(\d+)\]/.exec(String(details.field ?? ''))?.[1];
          errors[index !== undefined ? `row-${rowOf[Number(index)] ?? 0}` : (FIELD_OF_CODE[error.code] ?? 'name')] =
            error.message;
        }
      }
      return formPage(request, reply.status(400), current, { form, errors });
    }

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

    // Delete: the confirmation names the numbers that become unassigned and the options that go.
    app.get(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const autoAttendant = await load(request);
      const impact = await autoAttendantImpact(em(), tenant, autoAttendant);
      return renderConfirm(request, reply, {
        tenant,
        active: 'aa',
        title: `Delete auto attendant ${autoAttendant.name}?`,
        question: 'OK deletes the auto attendant and its menu.',
        impact: [
          ...impact.numbers.map((number) => `Number ${number.e164} becomes unassigned`),
          ...(impact.options ? [`${impact.options} menu option(s) removed`] : []),
        ],
        action: `${listHref(tenant)}/${autoAttendant.id}/delete`,
        cancelHref: `${listHref(tenant)}/${autoAttendant.id}`,
      });
    });

    app.post(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const autoAttendant = await load(request);
      const impact = await autoAttendantImpact(em(), tenant, autoAttendant);
      await deleteAutoAttendant(em(), tenant, autoAttendant.id);
      setFlash(request, {
        kind: 'warning',
        text: `Auto attendant ${autoAttendant.name} deleted; ${impact.numbers.length} number(s) are unassigned now.`,
      });
      return reply.redirect(listHref(tenant), 303);
    });
  };
}
