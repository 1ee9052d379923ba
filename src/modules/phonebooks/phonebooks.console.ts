import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/errors.js';
import { principalOf, tenantOf } from '../auth/guards.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import { uuidParam } from '../console/params.js';
import { permissionsOf, requireContactPermission } from '../contacts/contact-permissions.service.js';
import { Group } from '../../model/directory/group.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { phonebookImpact, phonebookPhones } from './phonebook-impact.js';
import { Phonebook } from '../../model/phonebooks/phonebook.entity.js';
import { CreatePhonebookBody, UpdatePhonebookBody, type UpdatePhonebookInput } from './phonebooks.schemas.js';
import {
  createPhonebook,
  deletePhonebook,
  listPhonebooks,
  phonebookView,
  phonebookViews,
  updatePhonebook,
} from './phonebooks.service.js';
import type { ContactPermissionName } from '../../model/contacts/contact-permission.entity.js';

const PAGE_SIZE = 25;
/** Service errors → the form field they belong next to. */
const FIELD_OF_CODE: Record<string, string> = {
  phonebook_name_taken: 'name',
  groups_required: 'groupIds',
  groups_not_allowed: 'groupIds',
  unknown_reference: 'groupIds',
  default_phonebook_exists: 'name',
};

interface FormValues {
  name: string;
  visibility: 'all' | 'groups';
  groupIds: string[];
}

function formValues(form: Record<string, unknown>): FormValues {
  const raw = form.groupIds;
  const groupIds = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
    (id): id is string => typeof id === 'string',
  );
  return {
    name: typeof form.name === 'string' ? form.name : '',
    visibility: form.visibility === 'groups' ? 'groups' : 'all',
    groupIds,
  };
}

/** The form as the REST body: the name trimmed (blank stays blank, so the schema refuses it); ticks count only for `groups`. */
function bodyOf(values: FormValues): UpdatePhonebookInput & { name: string } {
  return {
    name: formText({ name: values.name }, 'name') ?? '',
    visibility: values.visibility,
    groupIds: values.visibility === 'groups' ? values.groupIds : [],
  };
}

function errorsOf(invalid: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(invalid))
    errors[path.startsWith('groupIds') ? 'groupIds' : path === 'visibility' ? 'groupIds' : 'name'] ??= message;
  return errors;
}

/** /console/t/:tenant/phonebooks — guarded by the contact permissions, exactly as the REST phonebook routes. */
export function phonebooksConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/phonebooks';
    const listHref = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/phonebooks`;
    const can = async (request: FastifyRequest, tenant: Tenant) => {
      const granted = await permissionsOf(em(), tenant, principalOf(request).role);
      return Object.fromEntries(granted.map((p) => [p, true])) as Partial<Record<ContactPermissionName, boolean>>;
    };
    const tenantGroups = (tenant: Tenant) =>
      em().find(Group, { tenant }, { orderBy: { name: 'asc', id: 'asc' }, fields: ['id', 'name'], limit: 500 });

    async function listPage(
      request: FastifyRequest,
      reply: FastifyReply,
      tenant: Tenant,
      extra: { values?: FormValues; errors?: Record<string, string>; showForm?: boolean } = {},
    ) {
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listPhonebooks(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const views = await phonebookViews(em(), list.items);
      const phones = await phonebookPhones(
        em(),
        tenant,
        views.map((v) => v.id),
      );
      const groups = await tenantGroups(tenant);
      const groupName = new Map(groups.map((g) => [g.id, g.name]));
      const rights = await can(request, tenant);
      return reply.view('phonebooks/views/list', {
        ...pageContext(request, reply, { tenant, active: 'phonebooks', title: 'Phonebooks' }),
        books: views.map((v) => ({
          ...v,
          groups: v.groupIds.map((id) => groupName.get(id) ?? id),
          ...phones.get(v.id)!,
        })),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
        can: rights,
        showForm: Boolean(rights.add) && (extra.showForm ?? false),
        groups,
        values: extra.values ?? { name: '', visibility: 'all', groupIds: [] },
        errors: extra.errors ?? {},
      });
    }

    async function editPage(
      request: FastifyRequest,
      reply: FastifyReply,
      tenant: Tenant,
      book: Phonebook,
      extra: { values?: FormValues; errors?: Record<string, string> } = {},
    ) {
      const view = await phonebookView(em(), book);
      const phones = (await phonebookPhones(em(), tenant, [book.id])).get(book.id)!;
      return reply.view('phonebooks/views/edit', {
        ...pageContext(request, reply, { tenant, active: 'phonebooks', title: `Phonebook ${book.name}` }),
        book: { ...view, ...phones },
        groups: await tenantGroups(tenant),
        can: await can(request, tenant),
        values: extra.values ?? { name: view.name, visibility: view.visibility, groupIds: view.groupIds },
        errors: extra.errors ?? {},
      });
    }

    /** Runs a create or update; an AppError below 500 becomes a message next to its field (nothing was written: one transaction). */
    async function attempt(
      run: () => Promise<Phonebook>,
    ): Promise<{ book?: Phonebook; errors?: Record<string, string> }> {
      try {
        return { book: await run() };
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
        em().clear();
        const field =
          FIELD_OF_CODE[error.code] ??
          ((error.details as { field?: string } | undefined)?.field === 'groupIds' ? 'groupIds' : 'name');
        return { errors: { [field]: error.message } };
      }
    }

    app.get(base, { preHandler: requireContactPermission('view') }, async (request, reply) =>
      listPage(request, reply, tenantOf(request), { showForm: (request.query as { new?: string }).new === '1' }),
    );

    app.post(base, { preHandler: requireContactPermission('add') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const values = formValues((request.body ?? {}) as Record<string, unknown>);
      const body = bodyOf(values);
      let errors = errorsOf(validateBody(CreatePhonebookBody, body));
      if (Object.keys(errors).length === 0) {
        const result = await attempt(() => createPhonebook(em(), tenant, body));
        if (result.book) {
          setFlash(request, { kind: 'saved', text: `Changes Saved — phonebook ${result.book.name} created` });
          return reply.redirect(`${listHref(tenant)}/${result.book.id}`, 303);
        }
        errors = result.errors!;
      }
      return listPage(request, reply.status(400), tenant, { values, errors, showForm: true });
    });

    app.get(`${base}/:id`, { preHandler: requireContactPermission('view') }, async (request, reply) => {
      const tenant = tenantOf(request);
      return editPage(
        request,
        reply,
        tenant,
        await findInTenant(em(), Phonebook, tenant, uuidParam(request, 'id', 'phonebook'), 'phonebook'),
      );
    });

    // Rename and visibility in one form: the REST PATCH with name, visibility and groupIds.
    app.post(`${base}/:id`, { preHandler: requireContactPermission('edit') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const book = await findInTenant(em(), Phonebook, tenant, uuidParam(request, 'id', 'phonebook'), 'phonebook');
      const values = formValues((request.body ?? {}) as Record<string, unknown>);
      const body = bodyOf(values);
      let errors = errorsOf(validateBody(UpdatePhonebookBody, body));
      if (Object.keys(errors).length === 0) {
        const result = await attempt(() => updatePhonebook(em(), tenant, book.id, body));
        if (result.book) {
          setFlash(request, { kind: 'saved', text: 'Changes Saved' });
          return reply.redirect(`${listHref(tenant)}/${book.id}`, 303);
        }
        errors = result.errors!;
      }
      const fresh = await findInTenant(em(), Phonebook, tenant, book.id, 'phonebook');
      return editPage(request, reply.status(400), tenant, fresh, { values, errors });
    });

    app.get(`${base}/:id/delete`, { preHandler: requireContactPermission('delete') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const book = await findInTenant(em(), Phonebook, tenant, uuidParam(request, 'id', 'phonebook'), 'phonebook');
      const impact = await phonebookImpact(em(), tenant, book);
      return renderConfirm(request, reply, {
        tenant,
        active: 'phonebooks',
        title: `Delete phonebook ${book.name}?`,
        question: 'Deleting the phonebook keeps its contacts in Company Contacts; phones stop listing the book.',
        impact: [
          `${impact.contactsStaying} contact(s) stay in other phonebooks`,
          `${impact.contactsLosingOnlyBook} contact(s) lose their only phonebook`,
          impact.groups === null
            ? 'Seen by every group of the tenant'
            : `Seen by the groups: ${impact.groups.join(', ') || 'none'}`,
          `${impact.phones} phone(s) get a changed phonebook file`,
        ],
        warning: book.isDefault
          ? 'This is the default phonebook: new contacts join no phonebook until another one is made the default.'
          : undefined,
        action: `${listHref(tenant)}/${book.id}/delete`,
        cancelHref: `${listHref(tenant)}/${book.id}`,
      });
    });

    app.post(`${base}/:id/delete`, { preHandler: requireContactPermission('delete') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const book = await findInTenant(em(), Phonebook, tenant, uuidParam(request, 'id', 'phonebook'), 'phonebook');
      const name = book.name;
      await deletePhonebook(em(), tenant, book.id);
      setFlash(request, { kind: 'warning', text: `Phonebook ${name} deleted; its contacts stay in Company Contacts.` });
      return reply.redirect(listHref(tenant), 303);
    });
  };
}
