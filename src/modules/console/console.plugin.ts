import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RedisClient } from '../../redis/redis.js';
import type { Logger } from 'pino';
import formbody from '@fastify/formbody';
import secureSession from '@fastify/secure-session';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config/config.js';
import { runAsActor } from '../audit/audit-actor.js';
import type { Principal } from '../auth/principal.js';
import { authConsole } from './auth.console.js';
import type { ConsoleUser } from './console-user.entity.js';
import { consoleErrorPage } from './console-errors.js';
import { redirectToSignIn, resolveSession, sessionCipherKey } from './console-session.js';
import { SignInLimiter, type SignInLimits } from './sign-in-limiter.js';

declare module 'fastify' {
  interface FastifyRequest {
    consoleUser: ConsoleUser | null;
  }
  interface FastifyContextConfig {
    /** Console routes reachable without a session (sign-in). */
    consolePublic?: boolean;
  }
}

export interface ConsoleDeps {
  config: Config;
  orm: MikroORM;
  redis: RedisClient;
  logger: Logger;
}

export interface ConsoleOptions {
  signInLimits?: SignInLimits;
  /** Feature screens (src/modules/<feature>/<feature>.console.ts), registered inside the signed-in scope. */
  features: ((app: FastifyInstance) => Promise<void>)[];
}

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const modulesDir = join(here, '..');

/**
 * The web console under /console: server-rendered pages (Eta, auto-escaped), a session cookie,
 * CSRF tokens on every POST, a strict CSP (no inline script or style). Everything a page does goes
 * through the same guards and services as the REST API.
 */
export function consolePlugin(deps: ConsoleDeps, options: ConsoleOptions) {
  return async function register(app: FastifyInstance): Promise<void> {
    if (!deps.config.sessionKey)
      deps.logger.warn('PROVD_SESSION_KEY is not set: console sessions use a random key and end at restart');
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
        },
      },
    });
    await app.register(fastifyStatic, {
      root: dirname(require.resolve('htmx.org/dist/htmx.min.js')),
      prefix: '/assets/htmx/',
      decorateReply: false,
    });
    await app.register(fastifyStatic, {
      root: join(dirname(require.resolve('@picocss/pico/package.json')), 'css'),
      prefix: '/assets/pico/',
      decorateReply: false,
    });
    await app.register(fastifyStatic, { root: join(here, 'assets'), prefix: '/assets/console/', decorateReply: false });
    await app.register(pages(deps, options));
  };
}

function pages(deps: ConsoleDeps, options: ConsoleOptions) {
  return async function register(app: FastifyInstance): Promise<void> {
    const times = { idleSeconds: deps.config.consoleIdleSeconds, maxSeconds: deps.config.consoleSessionMaxSeconds };
    await app.register(formbody);
    await app.register(secureSession, {
      key: sessionCipherKey(deps.config.sessionKey),
      cookieName: 'provd_console',
      cookie: { path: '/console', httpOnly: true, sameSite: 'lax', secure: 'auto' },
      expiry: times.maxSeconds,
    });
    await app.register(csrf, {
      sessionPlugin: '@fastify/secure-session',
      getToken: (request) =>
        (request.body as { _csrf?: string } | undefined)?._csrf ??
        (request.headers['x-csrf-token'] as string | undefined),
    });
    await app.register(view, {
      engine: { eta: new Eta({ autoEscape: true, views: modulesDir }) },
      root: modulesDir,
      viewExt: 'eta',
    });
    app.decorateRequest('consoleUser', null);
    if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', null);
    if (!app.hasRequestDecorator('tenant')) app.decorateRequest('tenant', null);
    app.setErrorHandler((error, request, reply) => consoleErrorPage(error, request, reply));
    app.setNotFoundHandler((request, reply) =>
      consoleErrorPage({ statusCode: 404, code: 'not_found', message: 'page not found' }, request, reply),
    );

    const em = () => deps.orm.em as EntityManager;
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.routeOptions.config.consolePublic) return;
      const state = await resolveSession(em(), request, times);
      if (typeof state === 'string') return redirectToSignIn(reply, state === 'expired');
      request.consoleUser = state.user;
      request.principal = state.principal;
    });
    // The signed-in user is the audit actor; tokenId stays null (it names API tokens only).
    app.addHook('onRequest', (request, _reply, done) => {
      const principal: Principal | null = request.principal;
      if (!principal) return done();
      runAsActor({ tokenId: null, name: principal.tokenName, role: principal.role }, done);
    });
    app.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD') return done();
      app.csrfProtection(request, reply, done);
    });

    const limiter = new SignInLimiter(deps.redis, deps.config.queuePrefix, options.signInLimits);
    await app.register(authConsole({ orm: deps.orm, limiter }));
    for (const feature of options.features) await app.register(feature);
  };
}
