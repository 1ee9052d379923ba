import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/errors.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import { renderConfirm } from '../console/confirm.js';
import { pageContext } from '../console/page-context.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import { uuidParam } from '../console/params.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { COS_LEVELS, ClassOfService } from '../../model/directory/class-of-service.entity.js';
import { CreateClassOfServiceBody, type CreateClassOfServiceInput } from './classes-of-service.schemas.js';
import {
  CLASS_OF_SERVICE_IN_USE,
  classOfServiceImpact,
  classOfServiceView,
  createClassOfService,
  deleteClassOfService,
  listClassesOfService,
  updateClassOfService,
} from './classes-of-service.service.js';

const PAGE_SIZE = 25;
const FIELDS = ['name', 'level', 'description', 'blockedPrefixes', 'allowedPrefixes'] as const;

/** A prefix list typed one per line (or separated by commas or spaces). */
function prefixList(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,;]+/).filter((prefix) => prefix !== '');
}

/**
 * The form as the REST create body. Every field is sent, so an edit is the same full body as a
 * create (PATCH accepts all of them): an emptied description or prefix list is cleared.
 */
export function classOfServiceBodyFromForm(form: Record<string, unknown>): CreateClassOfServiceInput {
  return {
    name: formText(form, 'name') ?? '',
    level: (formText(form, 'level') ?? '') as CreateClassOfServiceInput['level'],
    description: formText(form, 'description') ?? null,
    blockedPrefixes: prefixList(formText(form, 'blockedPrefixes')),
    allowedPrefixes: prefixList(formText(form, 'allowedPrefixes')),
  };
}

/** Schema error paths ("blockedPrefixes.3") to the form field they belong to. */
function fieldErrors(invalid: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [path, message] of Object.entries(invalid)) {
    const [head, index] = path.split('.');
    const field = (FIELDS as readonly string[]).includes(head!) ? head! : 'name';
    errors[field] ??= index === undefined ? message : `entry ${Number(index) + 1} ${message}`;
  }
  return errors;
}

/** /console/t/:tenant/classes-of-service — Classes of Service, on the REST service. */
export function classesOfServiceConsole(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/classes-of-service';
    const href = (tenant: Tenant) => `/console/t/${encodeURIComponent(tenant.slug)}/classes-of-service`;

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listClassesOfService(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return reply.view('classes-of-service/views/list', {
        ...pageContext(request, reply, { tenant, active: 'cos', title: 'Classes of Service' }),
        items: list.items.map(classOfServiceView),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
      });
    });

    function formPage(
      request: FastifyRequest,
      reply: FastifyReply,
      tenant: Tenant,
      cos: ClassOfService | null,
      form: Record<string, unknown>,
      errors: Record<string, string>,
    ) {
      const title = cos ? `Class of service ${cos.name}` : 'New class of service';
      return reply.view('classes-of-service/views/form', {
        ...pageContext(request, reply, { tenant, active: 'cos', title }),
        id: cos?.id ?? null,
        form,
        errors,
        levels: COS_LEVELS,
        canWrite: roleAtLeast(request.principal!.role, 'admin'),
      });
    }
    const formOf = (cos: ClassOfService) => ({
      name: cos.name,
      level: cos.level,
      description: cos.description ?? '',
      blockedPrefixes: cos.blockedPrefixes.join('\n'),
      allowedPrefixes: cos.allowedPrefixes.join('\n'),
    });

    /** Validates with the REST schema, then calls the service; a refusal goes back next to its field, nothing written. */
    async function save(request: FastifyRequest, reply: FastifyReply, id: string | null) {
      const tenant = tenantOf(request);
      const existing = id ? await findInTenant(em(), ClassOfService, tenant, id, 'class of service') : null;
      const form = (request.body ?? {}) as Record<string, unknown>;
      const body = classOfServiceBodyFromForm(form);
      const errors = fieldErrors(validateBody(CreateClassOfServiceBody, body));
      let status = 400;
      if (Object.keys(errors).length === 0) {
        try {
          const cos = existing
            ? await updateClassOfService(em(), tenant, existing.id, body)
            : await createClassOfService(em(), tenant, body);
          setFlash(request, {
            kind: 'saved',
            text: `Changes Saved — class of service ${cos.name} ${existing ? 'updated' : 'created'}.`,
          });
          return reply.redirect(href(tenant), 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
          em().clear();
          status = error.statusCode;
          errors.name = error.message; // the only field a service refusal names (name_taken)
        }
      }
      return formPage(request, reply.status(status), tenant, existing, form, errors);
    }

    app.get(`${base}/new`, { preHandler: requireTenantRole('admin') }, async (request, reply) =>
      formPage(request, reply, tenantOf(request), null, { level: 'national' }, {}),
    );
    app.post(base, { preHandler: requireTenantRole('admin') }, async (request, reply) => save(request, reply, null));

    app.get(`${base}/:id`, { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const cos = await findInTenant(
        em(),
        ClassOfService,
        tenant,
        uuidParam(request, 'id', 'class of service'),
        'class of service',
      );
      return formPage(request, reply, tenant, cos, formOf(cos), {});
    });
    app.post(`${base}/:id`, { preHandler: requireTenantRole('admin') }, async (request, reply) =>
      save(request, reply, uuidParam(request, 'id', 'class of service')),
    );

    // Delete: the confirmation names the groups (with their accounts) and PhoneMap groups dialling
    // under it; while any is left the REST delete refuses, and the pop-up says so before OK.
    app.get(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const cos = await findInTenant(
        em(),
        ClassOfService,
        tenant,
        uuidParam(request, 'id', 'class of service'),
        'class of service',
      );
      const impact = await classOfServiceImpact(em(), tenant, cos);
      const inUse = impact.groups.length + impact.phonemapGroups.length > 0;
      return renderConfirm(request, reply, {
        tenant,
        active: 'cos',
        title: `Delete class of service ${cos.name}?`,
        question: inUse ? 'This class of service is in use.' : 'Nothing uses this class of service; OK deletes it.',
        impact: [
          ...impact.groups.map((group) => `Group ${group.name}: ${group.accounts} account(s) dial under it`),
          ...impact.phonemapGroups.map((phonemap) => `PhoneMap group ${phonemap.name} (${phonemap.id})`),
        ],
        warning: inUse ? `Refused while in use: ${CLASS_OF_SERVICE_IN_USE}.` : undefined,
        action: `${href(tenant)}/${cos.id}/delete`,
        cancelHref: href(tenant),
      });
    });

    app.post(`${base}/:id/delete`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const cos = await findInTenant(
        em(),
        ClassOfService,
        tenant,
        uuidParam(request, 'id', 'class of service'),
        'class of service',
      );
      try {
        await deleteClassOfService(em(), tenant, cos.id);
        setFlash(request, { kind: 'warning', text: `Class of service ${cos.name} deleted.` });
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
        setFlash(request, { kind: 'warning', text: `Not deleted: ${error.message}.` });
      }
      return reply.redirect(href(tenant), 303);
    });
  };
}
