import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, NotFoundError } from '../../errors/errors.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { holderTexts, numbersInRange } from './number-pages.js';
import { deleteNumbers, numbersImpact } from './number-removal.js';
import { AddNumbersBody, BulkDeleteBody } from './numbers.schemas.js';
import { addNumbers, listNumbers } from './numbers.service.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';

const PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
interface PageState {
  form?: Record<string, unknown>;
  errors?: Record<string, string>;
  error?: string;
}

/** Ids ticked on the list, from the query (GET confirm) or the body (POST): uuids only, at most 500. */
function chosenIds(source: unknown): string[] {
  const raw = (source as { ids?: unknown } | undefined)?.ids;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return [
    ...new Set(
      list.filter((id): id is string => typeof id === 'string' && UUID.test(id)).map((id) => id.toLowerCase()),
    ),
  ].slice(0, 500);
}

/** /console/t/:tenant/numbers — the tenant's number inventory. */
export function numbersConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/numbers';
    const listHref = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/numbers`;

    async function listPage(request: FastifyRequest, reply: FastifyReply, state: PageState = {}) {
      const tenant = tenantOf(request);
      const query = request.query as { q?: string; page?: string; status?: string };
      const q = typeof query.q === 'string' ? query.q.replace(/[^0-9+]/g, '').slice(0, 20) : '';
      const status = query.status === 'assigned' || query.status === 'unassigned' ? query.status : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listNumbers(em(), tenant, {
        q: q || undefined,
        status,
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      const holders = await holderTexts(em(), tenant, list.items);
      return reply.view('numbers/views/list', {
        ...pageContext(request, reply, { tenant, active: 'numbers', title: 'Phone Numbers' }),
        numbers: list.items.map((number) => ({
          id: number.id,
          e164: number.e164,
          holder: holders.get(number.id) ?? 'Unassigned',
        })),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q,
        status: status ?? '',
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
        form: state.form ?? {},
        errors: state.errors ?? {},
        error: state.error ?? null,
      });
    }

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) => listPage(request, reply));

    // Add numbers: one, or a range; the REST create schema and service (all or none, quarantine honoured).
    app.post(base, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const single = formText(form, 'number');
      const from = formText(form, 'from');
      const to = formText(form, 'to');
      const field = single ? 'number' : 'from';
      try {
        let numbers: string[];
        if (single) numbers = [single];
        else if (from && to) numbers = numbersInRange(from, to);
        else
          return listPage(request, reply.status(400), {
            form,
            errors: { number: 'give a number, or the first and last number of a range' },
          });
        const body = { numbers };
        const invalid = validateBody(AddNumbersBody, body);
        if (Object.keys(invalid).length)
          return listPage(request, reply.status(400), { form, errors: { [field]: Object.values(invalid)[0]! } });
        const created = await addNumbers(em(), tenant, body.numbers, false);
        setFlash(request, { kind: 'saved', text: `Changes Saved — ${created.length} number(s) added` });
        return reply.redirect(listHref(tenant), 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
        em().clear();
        const details = (error.details as { numbers?: string[] } | undefined)?.numbers;
        const message = details?.length ? `${error.message}: ${details.slice(0, 10).join(', ')}` : error.message;
        return listPage(request, reply.status(error.statusCode), { form, errors: { [field]: message } });
      }
    });

    // Bulk delete: the confirmation lists what goes and what is skipped (in use) and why.
    app.get(`${base}/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const ids = chosenIds(request.query);
      const numbers = ids.length
        ? await em().find(PhoneNumber, { tenant, id: { $in: ids } }, { orderBy: { e164: 'asc' } })
        : [];
      if (numbers.length !== ids.length) throw new NotFoundError('number');
      const impact = await numbersImpact(em(), tenant, numbers);
      const inUse = new Set(impact.items.map((item) => item.id));
      const skipped = numbers.filter((number) => inUse.has(number.id));
      const deletable = numbers.filter((number) => !inUse.has(number.id));
      const holders = await holderTexts(em(), tenant, skipped);
      return renderConfirm(request, reply, {
        tenant,
        active: 'numbers',
        title: 'Delete phone numbers?',
        question: deletable.length
          ? `${deletable.length} number(s) will be deleted from the tenant.`
          : 'None of the chosen numbers can be deleted: only unassigned numbers can go.',
        impact: [
          ...deletable.map((number) => `Deleted: ${number.e164}`),
          ...skipped.map((number) => `Skipped: ${number.e164} — ${holders.get(number.id)}; unassign it first`),
        ],
        warning: 'A deleted number may not be added back: it is quarantined.',
        action: `${listHref(tenant)}/delete`,
        hidden: { ids: deletable.map((number) => number.id) },
        cancelHref: listHref(tenant),
      });
    });

    app.post(`${base}/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const body = { ids: chosenIds(request.body) };
      if (Object.keys(validateBody(BulkDeleteBody, body)).length) {
        setFlash(request, { kind: 'warning', text: 'Nothing deleted: no unassigned number was chosen.' });
        return reply.redirect(listHref(tenant), 303);
      }
      try {
        // Without confirm: a number assigned or shared since the confirmation refuses the whole delete (409).
        const { deleted } = await deleteNumbers(em(), tenant, body.ids, false);
        setFlash(request, { kind: 'warning', text: `${deleted} number(s) deleted.` });
        return reply.redirect(listHref(tenant), 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
        em().clear();
        return listPage(request, reply.status(error.statusCode), { error: `Nothing deleted: ${error.message}` });
      }
    });
  };
}
