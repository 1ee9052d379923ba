import type { FastifyInstance } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, NotFoundError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { CreateAccountBody, type CreateAccountInput } from '../accounts/accounts.schemas.js';
import { createAccount, rotateSipPassword } from '../accounts/accounts.service.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { renderConfirm } from '../console/confirm.js';
import { setFlash } from '../console/flash.js';
import { formText, validateBody } from '../console/form-validation.js';
import { uuidParam } from '../console/params.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { GROUP_FIELD_OF_CODE, groupFormErrors, groupPatchFromForm } from './group-form.js';
import { groupLinks } from './group-links.console.js';
import { groupHref, keepSecretForOnce, renderGroupPage } from './group-page.js';
import { Group } from '../../model/directory/group.entity.js';
import { UpdateGroupBody } from './groups.schemas.js';
import { updateGroup } from './groups.service.js';

/** Service errors of an account create that belong next to a field; the rest (e.g. the licence limit) go above the form. */
const ACCOUNT_FIELD_OF_CODE: Record<string, string> = {
  extension_taken: 'extension',
  sip_username_taken: 'sipUsername',
};

function accountBodyFromForm(groupId: string, form: Record<string, unknown>): CreateAccountInput {
  const body: Record<string, unknown> = {
    groupId,
    extension: formText(form, 'extension') ?? '',
    displayName: formText(form, 'displayName') ?? '',
  };
  const sipUsername = formText(form, 'sipUsername');
  if (sipUsername !== undefined) body.sipUsername = sipUsername;
  return body as CreateAccountInput;
}

/** /console/t/:tenant/groups/:id — the group's page: update its settings, its accounts, rotate a SIP password. */
export function groupPage(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/groups/:id';
    const groupOf = (tenant: Tenant, request: Parameters<typeof uuidParam>[0]) =>
      findInTenant(em(), Group, tenant, uuidParam(request, 'id', 'group'), 'group');

    await app.register(groupLinks(deps));

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) => {
      const tenant = tenantOf(request);
      return renderGroupPage(em(), request, reply, tenant, await groupOf(tenant, request));
    });

    // Update: the same schema and service as PATCH /api/v1/tenants/:tenant/groups/:id.
    app.post(base, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const group = await groupOf(tenant, request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const patch = groupPatchFromForm(form);
      const errors = groupFormErrors(validateBody(UpdateGroupBody, patch));
      if (Object.keys(errors).length === 0) {
        try {
          await updateGroup(em(), tenant, group.id, patch);
          setFlash(request, { kind: 'saved', text: 'Changes Saved' });
          return reply.redirect(groupHref(tenant), 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500 || error instanceof NotFoundError) throw error;
          em().clear();
          errors[GROUP_FIELD_OF_CODE[error.code] ?? 'name'] = error.message;
        }
      }
      const fresh = await groupOf(tenant, request);
      return renderGroupPage(em(), request, reply.status(400), tenant, fresh, { form, errors });
    });

    // Add account: the REST create schema and service; the SIP password is shown once on the next page.
    app.post(`${base}/accounts`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const group = await groupOf(tenant, request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const body = accountBodyFromForm(group.id, form);
      const accountErrors: Record<string, string> = {};
      for (const [path, message] of Object.entries(validateBody(CreateAccountBody, body)))
        accountErrors[path] ??= message;
      if (Object.keys(accountErrors).length === 0) {
        try {
          const { account, sipPassword } = await createAccount(em(), tenant, body);
          keepSecretForOnce(request, { groupId: group.id, extension: account.extension, sipPassword });
          setFlash(request, { kind: 'saved', text: `Changes Saved — account ${account.extension} created` });
          return reply.redirect(groupHref(tenant, group.id), 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500 || error instanceof NotFoundError) throw error;
          em().clear();
          accountErrors[ACCOUNT_FIELD_OF_CODE[error.code] ?? 'form'] = error.message;
        }
      }
      const fresh = await groupOf(tenant, request);
      return renderGroupPage(em(), request, reply.status(400), tenant, fresh, { accountForm: form, accountErrors });
    });

    /** An account whose home is this group (another group's account is "not found" here). */
    async function homeAccount(
      tenant: Tenant,
      group: Group,
      request: Parameters<typeof uuidParam>[0],
    ): Promise<Account> {
      const account = await findInTenant(em(), Account, tenant, uuidParam(request, 'accountId', 'account'), 'account');
      if (account.homeGroup.id !== group.id) throw new NotFoundError('account');
      return account;
    }

    app.get(
      `${base}/accounts/:accountId/rotate`,
      { preHandler: requireTenantRole('admin') },
      async (request, reply) => {
        const tenant = tenantOf(request);
        const group = await groupOf(tenant, request);
        const account = await homeAccount(tenant, group, request);
        const href = groupHref(tenant, group.id);
        return renderConfirm(request, reply, {
          tenant,
          active: 'groups',
          title: `Rotate the SIP password of ${account.extension}?`,
          question: 'A new SIP password is generated and shown once; the old one stops working.',
          impact: ['Phones with this line get the new password on their next configuration fetch'],
          action: `${href}/accounts/${account.id}/rotate`,
          cancelHref: href,
          okLabel: 'OK',
        });
      },
    );

    app.post(
      `${base}/accounts/:accountId/rotate`,
      { preHandler: requireTenantRole('admin') },
      async (request, reply) => {
        const tenant = tenantOf(request);
        const group = await groupOf(tenant, request);
        const account = await homeAccount(tenant, group, request);
        const { sipPassword } = await rotateSipPassword(em(), tenant, account.id);
        keepSecretForOnce(request, { groupId: group.id, extension: account.extension, sipPassword });
        setFlash(request, { kind: 'saved', text: `Changes Saved — new SIP password for ${account.extension}` });
        return reply.redirect(groupHref(tenant, group.id), 303);
      },
    );
  };
}
