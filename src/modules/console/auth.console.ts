import type { FastifyInstance } from 'fastify';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/errors.js';
import { runAsActor } from '../audit/audit-actor.js';
import { Tenant } from '../../model/directory/tenant.entity.js';
import { changePassword, checkCredentials } from './console-users.service.js';
import { endSession, startSession } from './console-session.js';
import { pageContext } from './page-context.js';
import { MIN_PASSWORD_LENGTH } from './passwords.js';
import type { SignInLimiter } from './sign-in-limiter.js';

const SIGN_IN_FAILED = 'Email or password is not correct.';
const LOCKED = 'Too many failed sign-ins. Try again in 15 minutes.';

/** Sign-in, sign-out, change password, and the console's home page. */
export function authConsole(deps: { orm: MikroORM; limiter: SignInLimiter }) {
  return async function register(app: FastifyInstance): Promise<void> {
    const em = () => deps.orm.em as EntityManager;
    const publicRoute = { config: { consolePublic: true } };

    app.get('/sign-in', publicRoute, async (request, reply) => {
      const expired = (request.query as { expired?: string }).expired === '1';
      return reply.view('console/views/sign-in', {
        ...pageContext(request, reply, { title: 'Sign in' }),
        email: '',
        error: null,
        notice: expired ? 'Your session has ended. Please sign in again.' : null,
      });
    });

    app.post('/sign-in', publicRoute, async (request, reply) => {
      const body = (request.body ?? {}) as { email?: unknown; password?: unknown };
      const email = typeof body.email === 'string' ? body.email.trim().slice(0, 254) : '';
      const password = typeof body.password === 'string' ? body.password : '';
      const fail = (message: string, status: number) =>
        reply.status(status).view('console/views/sign-in', {
          ...pageContext(request, reply, { title: 'Sign in' }),
          email,
          error: message,
          notice: null,
        });
      if (await deps.limiter.isLocked(email, request.ip)) return fail(LOCKED, 429);
      const user = email && password ? await checkCredentials(em(), email, password) : null;
      if (!user) {
        await deps.limiter.recordFailure(email, request.ip);
        return fail(SIGN_IN_FAILED, 401);
      }
      await deps.limiter.recordSuccess(email, request.ip);
      // The sign-in is the person's own change (audited as them): nobody was signed in yet.
      user.lastSignInAt = new Date();
      await runAsActor({ tokenId: null, name: `console:${user.email}`, role: user.role }, () => em().flush());
      startSession(request, user);
      return reply.redirect('/console', 303);
    });

    app.post('/sign-out', async (request, reply) => {
      endSession(request);
      return reply.redirect('/console/sign-in', 303);
    });

    app.get('/', async (request, reply) => {
      const user = request.consoleUser!;
      if (user.tenant) {
        const tenant = await em().findOneOrFail(Tenant, { id: user.tenant.id });
        return reply.redirect(`/console/t/${encodeURIComponent(tenant.slug)}/groups`, 303);
      }
      // Platform operators start at the tenant list (tenants.console.ts).
      return reply.redirect('/console/tenants', 303);
    });

    const passwordPage = (
      request: Parameters<typeof pageContext>[0],
      reply: Parameters<typeof pageContext>[1],
      extra: { errors?: Record<string, string>; saved?: boolean },
    ) =>
      reply.view('console/views/password', {
        ...pageContext(request, reply, { title: 'Change password', active: 'password' }),
        errors: extra.errors ?? {},
        saved: extra.saved ?? false,
        minLength: MIN_PASSWORD_LENGTH,
      });

    app.get('/password', async (request, reply) =>
      passwordPage(request, reply, { saved: (request.query as { saved?: string }).saved === '1' }),
    );

    app.post('/password', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
      if (text('next') !== text('confirm'))
        return passwordPage(request, reply.status(400), { errors: { confirm: 'does not match the new password' } });
      const user = request.consoleUser!;
      try {
        await changePassword(em(), user.id, text('current'), text('next'));
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode !== 400) throw error;
        const field = (error.details as { field?: string } | undefined)?.field ?? 'next';
        return passwordPage(request, reply.status(400), { errors: { [field]: error.message } });
      }
      // Other sessions die with the old password; this one is rotated onto the new one.
      startSession(request, user);
      return reply.redirect('/console/password?saved=1', 303);
    });
  };
}
