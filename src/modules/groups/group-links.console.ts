import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, NotFoundError } from '../../errors/errors.js';
import { Account } from '../../model/directory/account.entity.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { renderConfirm } from '../console/confirm.js';
import { setFlash } from '../console/flash.js';
import { formText } from '../console/form-validation.js';
import { uuidParam } from '../console/params.js';
import { e164FromRequest } from '../numbers/number-input.js';
import { PhoneNumber } from '../../model/directory/phone-number.entity.js';
import { findInTenant } from '../tenants/tenant-lookup.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { addExtraMember, removeExtraMember, shareNumber, unshareNumber } from './group-members.service.js';
import { groupHref, renderGroupPage } from './group-page.js';
import { Group } from '../../model/directory/group.entity.js';

/**
 * Extra members and shared numbers of a group, on the group's page. The forms take what an admin
 * knows (an extension, a number) and call the same services as the REST member and number routes,
 * so their 409s (already_member, already_shared, home_group_member) show as messages by the form.
 */
export function groupLinks(deps: { orm: MikroORM }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const base = '/t/:tenant/groups/:id';
    const groupOf = (tenant: Tenant, request: FastifyRequest) =>
      findInTenant(em(), Group, tenant, uuidParam(request, 'id', 'group'), 'group');

    /** Runs a link change; an expected refusal re-renders the page with the message by the form. */
    async function attempt(
      request: FastifyRequest,
      reply: Parameters<typeof renderGroupPage>[2],
      which: 'memberError' | 'numberError',
      run: (tenant: Tenant, group: Group) => Promise<string>,
    ) {
      const tenant = tenantOf(request);
      const group = await groupOf(tenant, request);
      try {
        setFlash(request, { kind: 'saved', text: `Changes Saved — ${await run(tenant, group)}` });
        return reply.redirect(groupHref(tenant, group.id), 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
        em().clear();
        return renderGroupPage(em(), request, reply.status(400), tenant, await groupOf(tenant, request), {
          [which]: error.message,
        });
      }
    }

    app.post(`${base}/members`, { preHandler: requireTenantRole('admin') }, async (request, reply) =>
      attempt(request, reply, 'memberError', async (tenant, group) => {
        const extension = formText((request.body ?? {}) as Record<string, unknown>, 'extension') ?? '';
        const account = await em().findOne(Account, { tenant, extension }, { fields: ['id'] });
        if (!account) throw new NotFoundError(`account with extension ${extension || '(empty)'}`);
        await addExtraMember(em(), tenant, group.id, account.id);
        return `extension ${extension} is a member now`;
      }),
    );

    app.post(`${base}/numbers`, { preHandler: requireTenantRole('admin') }, async (request, reply) =>
      attempt(request, reply, 'numberError', async (tenant, group) => {
        const input = formText((request.body ?? {}) as Record<string, unknown>, 'number') ?? '';
        const e164 = e164FromRequest(input, tenant, 'number');
        const number = await em().findOne(PhoneNumber, { tenant, e164 }, { fields: ['id'] });
        if (!number) throw new NotFoundError(`number ${e164}`);
        await shareNumber(em(), tenant, group.id, number.id);
        return `${e164} is shared with the group now`;
      }),
    );

    // Removing a member or a shared number: confirmation first, like every destructive action.
    app.get(`${base}/members/:accountId/remove`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const group = await groupOf(tenant, request);
      const account = await findInTenant(em(), Account, tenant, uuidParam(request, 'accountId', 'account'), 'account');
      const href = groupHref(tenant, group.id);
      return renderConfirm(request, reply, {
        tenant,
        active: 'groups',
        title: `Remove ${account.extension} from ${group.name}?`,
        question: 'The account stays in its home group; it leaves this group only.',
        action: `${href}/members/${account.id}/remove`,
        cancelHref: href,
      });
    });

    app.post(
      `${base}/members/:accountId/remove`,
      { preHandler: requireTenantRole('admin') },
      async (request, reply) => {
        const tenant = tenantOf(request);
        const group = await groupOf(tenant, request);
        await removeExtraMember(em(), tenant, group.id, uuidParam(request, 'accountId', 'account'));
        setFlash(request, { kind: 'warning', text: 'Member removed from the group' });
        return reply.redirect(groupHref(tenant, group.id), 303);
      },
    );

    app.get(`${base}/numbers/:numberId/remove`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const group = await groupOf(tenant, request);
      const number = await findInTenant(em(), PhoneNumber, tenant, uuidParam(request, 'numberId', 'number'), 'number');
      const href = groupHref(tenant, group.id);
      return renderConfirm(request, reply, {
        tenant,
        active: 'groups',
        title: `Stop sharing ${number.e164} with ${group.name}?`,
        question: 'The number stays in the tenant and with its account; the group no longer shows it.',
        action: `${href}/numbers/${number.id}/remove`,
        cancelHref: href,
      });
    });

    app.post(`${base}/numbers/:numberId/remove`, { preHandler: requireTenantRole('admin') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const group = await groupOf(tenant, request);
      await unshareNumber(em(), tenant, group.id, uuidParam(request, 'numberId', 'number'));
      setFlash(request, { kind: 'warning', text: 'Number no longer shared with the group' });
      return reply.redirect(groupHref(tenant, group.id), 303);
    });
  };
}
