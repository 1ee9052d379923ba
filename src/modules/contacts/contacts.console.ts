import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, BadRequestError, NotFoundError } from '../../errors/errors.js';
import { principalOf, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { uuidParam } from '../console/params.js';
import { addMembers, removeMembers } from '../phonebooks/phonebook-members.service.js';
import { Phonebook } from '../../model/phonebooks/phonebook.entity.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { sendContactsExport } from './contact-export-reply.js';
import {
  contactBodyFromForm,
  EMPTY_NUMBER_ROWS,
  formValues,
  schemaErrors,
  serviceErrors,
  type ContactFormValues,
} from './contact-form.js';
import { permissionsOf, requireContactPermission } from './contact-permissions.service.js';
import type { ContactViewType } from './contacts.schemas.js';
import {
  bulkDeleteContacts,
  createContact,
  deleteContact,
  getContact,
  listContacts,
  updateContact,
} from './contacts.service.js';
import { NUMBER_TYPES } from '../../model/contacts/contact-number.entity.js';
import type { ContactPermissionName } from '../../model/contacts/contact-permission.entity.js';

const PAGE_SIZE = 25;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function contactName(contact: Pick<ContactViewType, 'firstName' | 'lastName' | 'company'>): string {
  return [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.company || '(no name)';
}

/** /console/t/:tenant/contacts — Company Contacts, guarded by the tenant's contact permissions like the REST routes. */
export function contactsConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/contacts';
    const listHref = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/contacts`;
    const can = async (request: FastifyRequest, tenant: Tenant) => {
      const granted = await permissionsOf(em(), tenant, principalOf(request).role);
      return Object.fromEntries(granted.map((p) => [p, true])) as Partial<Record<ContactPermissionName, boolean>>;
    };

    app.get(base, { preHandler: requireContactPermission('view') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listContacts(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return reply.view('contacts/views/list', {
        ...pageContext(request, reply, { tenant, active: 'contacts', title: 'Company Contacts' }),
        contacts: list.items.map((c) => ({ ...c, name: contactName(c) })),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
        can: await can(request, tenant),
        isOwner: roleAtLeast(principalOf(request).role, 'owner'),
      });
    });

    async function formPage(
      request: FastifyRequest,
      reply: FastifyReply,
      tenant: Tenant,
      options: { id?: string; values: ContactFormValues; errors?: Record<string, string> },
    ) {
      const phonebooks = await em().find(Phonebook, { tenant }, { orderBy: { name: 'asc', id: 'asc' }, limit: 500 });
      const rows = [
        ...options.values.numbers,
        ...Array.from({ length: EMPTY_NUMBER_ROWS }, () => ({ type: 'work', number: '' })),
      ];
      return reply.view('contacts/views/form', {
        ...pageContext(request, reply, {
          tenant,
          active: 'contacts',
          title: options.id ? 'Edit contact' : 'Add contact',
        }),
        id: options.id ?? null,
        values: options.values,
        rows,
        types: NUMBER_TYPES,
        phonebooks: phonebooks.map((pb) => ({ id: pb.id, name: pb.name, isDefault: pb.isDefault })),
        defaultPhonebook: phonebooks.find((pb) => pb.isDefault)?.name ?? null,
        errors: options.errors ?? {},
      });
    }

    const valuesOf = (contact: ContactViewType): ContactFormValues => ({
      firstName: contact.firstName ?? '',
      lastName: contact.lastName ?? '',
      company: contact.company ?? '',
      title: contact.title ?? '',
      email: contact.email ?? '',
      numbers: contact.numbers.map((n) => ({ type: n.type, number: n.number })),
      phonebookIds: contact.phonebookIds,
    });

    app.get(`${base}/new`, { preHandler: requireContactPermission('add') }, async (request, reply) =>
      formPage(request, reply, tenantOf(request), { values: formValues({}) }),
    );

    app.get(`${base}/:id/edit`, { preHandler: requireContactPermission('edit') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const contact = await getContact(em(), tenant, uuidParam(request, 'id', 'contact'));
      return formPage(request, reply, tenant, { id: contact.id, values: valuesOf(contact) });
    });

    /** Validates with the REST schema, then runs `write` in one transaction; field errors re-render the form (400). */
    async function save(
      request: FastifyRequest,
      reply: FastifyReply,
      id: string | undefined,
      write: (tx: EntityManager, body: ReturnType<typeof contactBodyFromForm>['body']) => Promise<void>,
    ) {
      const tenant = tenantOf(request);
      const values = formValues((request.body ?? {}) as Record<string, unknown>);
      const { body, rows } = contactBodyFromForm(values);
      let errors = schemaErrors(body, rows);
      if (Object.keys(errors).length === 0) {
        try {
          await em().transactional((tx) => write(tx as EntityManager, body));
          setFlash(request, { kind: 'saved', text: 'Changes Saved' });
          return reply.redirect(listHref(tenant), 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500 || error instanceof NotFoundError) throw error;
          em().clear();
          errors = serviceErrors(error, rows);
        }
      }
      return formPage(request, reply.status(400), tenant, { id, values, errors });
    }

    app.post(base, { preHandler: requireContactPermission('add') }, async (request, reply) =>
      save(request, reply, undefined, async (tx, body) => {
        await createContact(tx, tenantOf(request), body);
      }),
    );

    app.post(`${base}/:id`, { preHandler: requireContactPermission('edit') }, async (request, reply) => {
      const id = uuidParam(request, 'id', 'contact');
      return save(request, reply, id, async (tx, body) => {
        const tenant = tenantOf(request);
        const { phonebookIds = [], ...fields } = body;
        const before = await getContact(tx, tenant, id);
        const known = await tx.find(Phonebook, { tenant, id: { $in: phonebookIds } }, { fields: ['id'] });
        const unknown = phonebookIds.filter((pb) => !known.some((k) => k.id === pb));
        if (unknown.length)
          throw new BadRequestError('unknown_reference', `phonebook ${unknown[0]} does not exist in this tenant`, {
            field: 'phonebookIds',
            ids: unknown,
          });
        const patch = { firstName: null, lastName: null, company: null, title: null, email: null, ...fields };
        const after = await updateContact(tx, tenant, id, patch);
        // The Phonebook List: join the ticked phonebooks, leave the others (the same services as the REST membership routes).
        for (const phonebookId of phonebookIds.filter((pb) => !before.phonebookIds.includes(pb)))
          await addMembers(tx, tenant, phonebookId, [after.id]);
        for (const phonebookId of before.phonebookIds.filter((pb) => !phonebookIds.includes(pb)))
          await removeMembers(tx, tenant, phonebookId, [after.id]);
      });
    });

    app.get(`${base}/:id/delete`, { preHandler: requireContactPermission('delete') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const contact = await getContact(em(), tenant, uuidParam(request, 'id', 'contact'));
      const name = contactName(contact);
      return renderConfirm(request, reply, {
        tenant,
        active: 'contacts',
        title: `Delete contact ${name}?`,
        question: `The contact ${name} is deleted with its ${contact.numbers.length} number(s).`,
        impact: [`it leaves ${contact.phonebookIds.length} phonebook(s); phones get the change at their next resync`],
        action: `${listHref(tenant)}/${contact.id}/delete`,
        cancelHref: listHref(tenant),
      });
    });

    app.post(`${base}/:id/delete`, { preHandler: requireContactPermission('delete') }, async (request, reply) => {
      const tenant = tenantOf(request);
      await deleteContact(em(), tenant, uuidParam(request, 'id', 'contact'));
      setFlash(request, { kind: 'warning', text: 'Contact deleted.' });
      return reply.redirect(listHref(tenant), 303);
    });

    const idsOf = (source: unknown): string[] => {
      const raw = (source as { ids?: unknown } | undefined)?.ids;
      const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
        (id): id is string => typeof id === 'string' && UUID.test(id),
      );
      return [...new Set(ids.map((id) => id.toLowerCase()))].slice(0, 1000);
    };

    app.get(`${base}/bulk-delete`, { preHandler: requireContactPermission('delete') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const ids = idsOf(request.query);
      if (ids.length === 0) {
        setFlash(request, { kind: 'warning', text: 'Tick the contacts to delete first.' });
        return reply.redirect(listHref(tenant), 303);
      }
      return renderConfirm(request, reply, {
        tenant,
        active: 'contacts',
        title: `Delete ${ids.length} contact(s)?`,
        question: `The ${ids.length} ticked contact(s) are deleted with their numbers.`,
        impact: ['they leave every phonebook; phones get the change at their next resync'],
        action: `${listHref(tenant)}/bulk-delete`,
        hidden: { ids },
        cancelHref: listHref(tenant),
      });
    });

    app.post(`${base}/bulk-delete`, { preHandler: requireContactPermission('delete') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const ids = idsOf(request.body);
      const result = ids.length ? await bulkDeleteContacts(em(), tenant, ids) : { deleted: 0 };
      setFlash(request, { kind: 'warning', text: `${result.deleted} contact(s) deleted.` });
      return reply.redirect(listHref(tenant), 303);
    });

    app.get(`${base}/export.csv`, { preHandler: requireContactPermission('export') }, async (request, reply) =>
      sendContactsExport(em(), reply, tenantOf(request), 'csv'),
    );
    app.get(`${base}/export.vcf`, { preHandler: requireContactPermission('export') }, async (request, reply) =>
      sendContactsExport(em(), reply, tenantOf(request), 'vcard'),
    );
  };
}
