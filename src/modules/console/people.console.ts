import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config/config.js';
import { AppError } from '../../errors/errors.js';
import { runAsActor } from '../audit/audit-actor.js';
import { requireTenantRole, tenantOf } from '../auth/guards.js';
import { roleAtLeast } from '../auth/principal.js';
import type { Tenant } from '../../model/directory/tenant.entity.js';
import { renderConfirm } from './confirm.js';
import { ConsoleUserRoleBody, InviteConsoleUserBody } from './console-people.schemas.js';
import {
  acceptLink,
  changeConsoleUserRole,
  consoleUserInTenant,
  hasPassword,
  inviteConsoleUser,
  listConsoleUsers,
  removeConsoleUser,
  resetLink,
  usableLink,
  type IssuedLink,
  type LinkLifetimes,
} from './console-people.service.js';
import { startSession } from './console-session.js';
import { pageContext } from './page-context.js';
import { setFlash } from './flash.js';
import { formText, validateBody } from './form-validation.js';
import { uuidParam } from './params.js';
import { MIN_PASSWORD_LENGTH } from './passwords.js';

const PAGE_SIZE = 25;
const ROLES = ['owner', 'admin', 'viewer'] as const;

/** The link just issued, shown once to the owner on the next page (it is in no database). */
interface ShownLink {
  email: string;
  kind: 'invite' | 'reset';
  url: string;
  expiresAt: string;
}
declare module '@fastify/secure-session' {
  interface SessionData {
    oneTimeLink: ShownLink;
  }
}

function usersHref(tenant: Tenant): string {
  return `/console/t/${encodeURIComponent(tenant.slug)}/settings/users`;
}

/** The person a console request acts for, as the audit trail names them (public pages have no session). */
function actorOf(user: { email: string; role: string }) {
  return { tokenId: null, name: `console:${user.email}`, role: user.role };
}

/**
 * Settings → Console users (/console/t/:tenant/settings/users) and the public page of a one-time
 * link (/console/accept/:token). Owners (and platform operators) manage users; admins and viewers
 * see the list without controls, and the server refuses their POSTs (403).
 */
export function peopleConsole(deps: { orm: MikroORM; config: Config }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const lifetimes: LinkLifetimes = {
      inviteSeconds: deps.config.consoleInviteSeconds,
      resetSeconds: deps.config.consoleResetSeconds,
    };
    const base = '/t/:tenant/settings/users';

    function showLink(request: FastifyRequest, issued: IssuedLink): void {
      const url = `${request.protocol}://${request.host}/console/accept/${issued.token}`;
      request.session.set('oneTimeLink', {
        email: issued.user.email,
        kind: issued.kind,
        url,
        expiresAt: issued.expiresAt.toISOString(),
      });
    }

    async function listPage(
      request: FastifyRequest,
      reply: FastifyReply,
      tenant: Tenant,
      extra: { form?: Record<string, unknown>; errors?: Record<string, string>; actionError?: string } = {},
    ) {
      const query = request.query as { q?: string; page?: string };
      const q = typeof query.q === 'string' && query.q.trim() ? query.q.trim().slice(0, 200) : undefined;
      const page = Math.max(1, Math.min(100000, Number.parseInt(query.page ?? '1', 10) || 1));
      const list = await listConsoleUsers(em(), tenant, { q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const link = request.session.get('oneTimeLink') ?? null;
      if (link) request.session.set('oneTimeLink', undefined);
      return reply.view('console/views/users', {
        ...pageContext(request, reply, { tenant, active: 'settings', title: 'Console users' }),
        users: list.items.map((user) => ({
          id: user.id,
          email: user.email,
          role: user.role,
          self: user.id === request.consoleUser?.id,
          lastSignIn: user.lastSignInAt
            ? user.lastSignInAt.toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
            : hasPassword(user)
              ? 'never'
              : 'invitation pending',
        })),
        total: list.total,
        page,
        pages: Math.max(1, Math.ceil(list.total / PAGE_SIZE)),
        q: q ?? '',
        canManage: roleAtLeast(request.principal!.role, 'owner'),
        roles: ROLES,
        link,
        form: extra.form ?? {},
        errors: extra.errors ?? {},
        actionError: extra.actionError ?? null,
      });
    }

    /** Runs a row action; a refused one (last owner, ...) re-renders the list with the reason, nothing written. */
    async function rowAction(
      request: FastifyRequest,
      reply: FastifyReply,
      tenant: Tenant,
      action: () => Promise<string>,
    ) {
      try {
        const text = await action();
        setFlash(request, { kind: 'saved', text });
        return reply.redirect(usersHref(tenant), 303);
      } catch (error) {
        if (
          !(error instanceof AppError) ||
          error.statusCode >= 500 ||
          error.statusCode === 404 ||
          error.statusCode === 403
        )
          throw error;
        em().clear();
        return listPage(request, reply.status(error.statusCode), tenant, { actionError: error.message });
      }
    }

    app.get(base, { preHandler: requireTenantRole('viewer') }, async (request, reply) =>
      listPage(request, reply, tenantOf(request)),
    );

    app.post(base, { preHandler: requireTenantRole('owner') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const form = (request.body ?? {}) as Record<string, unknown>;
      const body = { email: formText(form, 'email') ?? '', role: formText(form, 'role') ?? '' };
      const errors = validateBody(InviteConsoleUserBody, body);
      if (Object.keys(errors).length === 0) {
        try {
          const issued = await inviteConsoleUser(em(), tenant, body as never, lifetimes);
          showLink(request, issued);
          setFlash(request, {
            kind: 'saved',
            text: `Changes Saved — ${issued.user.email} invited as ${issued.user.role}`,
          });
          return reply.redirect(usersHref(tenant), 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
          em().clear();
          const field = (error.details as { field?: string } | undefined)?.field ?? 'email';
          errors[field] = error.message;
        }
      }
      return listPage(request, reply.status(400), tenant, { form, errors });
    });

    app.post(`${base}/:id/reset`, { preHandler: requireTenantRole('owner') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const id = uuidParam(request, 'id', 'console user');
      const issued = await resetLink(em(), tenant, id, lifetimes);
      showLink(request, issued);
      setFlash(request, {
        kind: 'saved',
        text: `Changes Saved — ${issued.kind === 'reset' ? 'password reset' : 'new invitation'} link for ${issued.user.email}`,
      });
      return reply.redirect(usersHref(tenant), 303);
    });

    app.post(`${base}/:id/role`, { preHandler: requireTenantRole('owner') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const id = uuidParam(request, 'id', 'console user');
      const body = { role: formText((request.body ?? {}) as Record<string, unknown>, 'role') ?? '' };
      const invalid = validateBody(ConsoleUserRoleBody, body);
      if (Object.keys(invalid).length > 0)
        return listPage(request, reply.status(400), tenant, { actionError: `role ${Object.values(invalid)[0]}` });
      return rowAction(request, reply, tenant, async () => {
        const user = await changeConsoleUserRole(em(), tenant, id, body as never);
        return `Changes Saved — ${user.email} is ${user.role} now`;
      });
    });

    app.get(`${base}/:id/delete`, { preHandler: requireTenantRole('owner') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const user = await consoleUserInTenant(em(), tenant, uuidParam(request, 'id', 'console user'));
      const href = usersHref(tenant);
      return renderConfirm(request, reply, {
        tenant,
        active: 'settings',
        title: `Remove ${user.email}?`,
        question: `${user.email} (${user.role}) can no longer sign in to this tenant's console.`,
        impact: [`their open sessions end`, `their unused invitation or reset link stops working`],
        action: `${href}/${user.id}/delete`,
        cancelHref: href,
        okLabel: 'Remove',
      });
    });

    app.post(`${base}/:id/delete`, { preHandler: requireTenantRole('owner') }, async (request, reply) => {
      const tenant = tenantOf(request);
      const id = uuidParam(request, 'id', 'console user');
      try {
        const user = await removeConsoleUser(em(), tenant, id);
        setFlash(request, { kind: 'warning', text: `${user.email} removed` });
        return reply.redirect(usersHref(tenant), 303);
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode !== 409) throw error;
        em().clear();
        return listPage(request, reply.status(409), tenant, { actionError: error.message });
      }
    });

    // The public page of a one-time link: set a password, then signed in.
    const publicRoute = { config: { consolePublic: true } };
    const acceptPage = (
      request: FastifyRequest,
      reply: FastifyReply,
      extra: { email: string | null; kind?: string; error?: string },
    ) =>
      reply.view('console/views/accept', {
        ...pageContext(request, reply, { title: extra.kind === 'reset' ? 'Reset your password' : 'Set your password' }),
        email: extra.email,
        kind: extra.kind ?? 'invite',
        error: extra.error ?? null,
        minLength: MIN_PASSWORD_LENGTH,
        action: `/console/accept/${encodeURIComponent((request.params as { token: string }).token)}`,
      });

    app.get('/accept/:token', publicRoute, async (request, reply) => {
      const link = await usableLink(em(), (request.params as { token: string }).token);
      if (!link) return acceptPage(request, reply.status(404), { email: null });
      return acceptPage(request, reply, { email: link.user.email, kind: link.kind });
    });

    app.post('/accept/:token', publicRoute, async (request, reply) => {
      const token = (request.params as { token: string }).token;
      const link = await usableLink(em(), token);
      if (!link) return acceptPage(request, reply.status(404), { email: null });
      const { email, role } = link.user;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const password = typeof body.password === 'string' ? body.password : '';
      if (password !== body.confirm)
        return acceptPage(request, reply.status(400), {
          email,
          kind: link.kind,
          error: 'the two passwords do not match',
        });
      em().clear();
      let user;
      try {
        // Nobody is signed in yet: the person the link names is the actor of this change.
        user = await runAsActor(actorOf({ email, role }), () => acceptLink(em(), token, password));
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode !== 400) throw error;
        return acceptPage(request, reply.status(400), { email, kind: link.kind, error: error.message });
      }
      if (!user) return acceptPage(request, reply.status(404), { email: null });
      startSession(request, user);
      return reply.redirect('/console', 303);
    });
  };
}
