import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { RequestContext } from '@mikro-orm/core';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { registerErrorHandler } from '../errors/error-handler.js';
import type { CanaryProbe } from '../modules/health/canary.js';
import { healthRoutes, type PhoneProcessesStatus } from '../modules/health/health.routes.js';
import type { Deps } from './deps.js';
import { instrumentRequests, metricsRoute, STRICT_AJV } from './http-common.js';
import { apiRoutes } from './api-routes.js';
import { queueBoard } from '../modules/notify/queue-board.js';
import { registerQueueDepthGauge } from '../modules/notify/jobs/notify.metrics.js';
import { registerValidation } from './validation.js';
import { consolePlugin } from '../modules/console/console.plugin.js';
import type { SignInLimits } from '../modules/console/sign-in-limiter.js';
import { accountsConsole } from '../modules/accounts/accounts.console.js';
import { numbersConsole } from '../modules/numbers/numbers.console.js';
import { profilesConsole } from '../modules/profiles/profiles.console.js';
import { autoAttendantsConsole } from '../modules/auto-attendants/auto-attendants.console.js';
import { classesOfServiceConsole } from '../modules/classes-of-service/classes-of-service.console.js';
import { devicesConsole } from '../modules/devices/devices.console.js';
import { phonebooksConsole } from '../modules/phonebooks/phonebooks.console.js';
import { devicePageConsole } from '../modules/devices/device-page.console.js';
import { syncConsole } from '../modules/notify/sync/sync.console.js';
import { groupsConsole } from '../modules/groups/groups.console.js';
import { contactsConsole } from '../modules/contacts/contacts.console.js';
import { contactsImportConsole } from '../modules/contacts/contacts-import.console.js';
import { contactPermissionsConsole } from '../modules/contacts/contact-permissions.console.js';
import { peopleConsole } from '../modules/console/people.console.js';
import { tenantsConsole } from '../modules/tenants/tenants.console.js';
import { phonemapConsole } from '../modules/phonemap-groups/phonemap-groups.console.js';
import { huntGroupsConsole } from '../modules/hunt-groups/hunt-groups.console.js';

export interface AdminAppOptions {
  canary?: CanaryProbe;
  /** Phone-only processes of a cluster: /readyz checks that they are all listening. */
  phoneProcesses?: PhoneProcessesStatus;
  /** Text of /metrics (default: this process's registry); a cluster primary adds its phone processes'. */
  metricsText?: () => Promise<string>;
  /** Console sign-in lockout thresholds (tests lower them). */
  signInLimits?: SignInLimits;
}

/** Builds the admin API (no listen, no env reads: the entry point does those). */
export async function buildAdminApp(deps: Deps, options: AdminAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ server: 'admin' }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    ajv: STRICT_AJV,
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandler(app);
  registerValidation(app);
  instrumentRequests(app, deps.metrics, 'admin');
  app.addHook('onRequest', (_request, _reply, done) => RequestContext.create(deps.orm.em, done));

  await app.register(swagger, {
    openapi: {
      info: { title: 'phone-provisiond admin API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes(deps, options.canary, options.phoneProcesses));
  registerQueueDepthGauge(deps.metrics.registry, deps.queues);
  // Off (PROVD_METRICS=false): /metrics is a plain 404.
  if (deps.config.metrics) await app.register(metricsRoute(deps.metrics, options.metricsText));
  await app.register(apiRoutes(deps), { prefix: '/api/v1' });
  await app.register(queueBoard(deps));
  await app.register(
    consolePlugin(deps, {
      signInLimits: options.signInLimits,
      features: [
        groupsConsole(deps),
        contactsConsole(deps),
        contactPermissionsConsole(deps),
        contactsImportConsole(deps),
        accountsConsole(deps),
        peopleConsole(deps),
        numbersConsole(deps),
        tenantsConsole(deps),
        devicesConsole(deps),
        devicePageConsole(deps),
        phonemapConsole(deps),
        huntGroupsConsole(deps),
        classesOfServiceConsole(deps),
        autoAttendantsConsole(deps),
        phonebooksConsole(deps),
        profilesConsole(deps),
        syncConsole(deps),
      ],
    }),
    { prefix: '/console' },
  );
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console', 302));
  return app;
}
