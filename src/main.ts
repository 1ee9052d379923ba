import { configFromProcessEnv } from './config/config.js';
import { createLogger } from './logger/logger.js';
import { buildAdminApp } from './app/admin-app.js';
import { buildPhoneApp } from './app/phone-app.js';
import { closeDeps, createDeps } from './app/deps.js';
import { CanaryProbe } from './modules/health/canary.js';
import { phoneTlsOptions } from './modules/phone/server/client-cert.js';
import { PhoneServer } from './modules/phone/server/phone-server.js';
import { bootOrExit } from './lifecycle/boot.js';
import { closeOnSignals } from './lifecycle/shutdown.js';

/** API process: admin API and, on its own port(s), the phone-facing server. */
bootOrExit('provd-api', async () => {
  const config = configFromProcessEnv();
  const logger = createLogger(config.logLevel, 'provd-api');
  const deps = await createDeps(config, logger, 'api');
  const canary = new CanaryProbe(deps.queues.get('canary'), deps.workerRedis.duplicate(), config.queuePrefix);
  const admin = await buildAdminApp(deps, { canary });
  const phoneServer = new PhoneServer(deps);
  const phone = await buildPhoneApp(deps, { server: phoneServer });
  const tls = phoneTlsOptions(config);
  const phoneTls = tls ? await buildPhoneApp(deps, { server: phoneServer, https: tls }) : undefined;
  // Handlers first: a SIGTERM that arrives while ports are still opening must shut down cleanly too.
  closeOnSignals(
    [
      { name: 'phone-tls-server', close: async () => phoneTls?.close() },
      { name: 'phone-server', close: () => phone.close() },
      // After the listeners: the last fetch records are written while the database is still open.
      { name: 'phone-state', close: () => phoneServer.stop() },
      { name: 'admin-server', close: () => admin.close() },
      { name: 'canary', close: () => canary.close() },
      { name: 'deps', close: () => closeDeps(deps) },
    ],
    config.shutdownTimeoutMs,
    logger,
  );
  await phoneServer.start();
  await admin.listen({ host: config.host, port: config.adminPort });
  await phone.listen({ host: config.host, port: config.phonePort });
  if (phoneTls) await phoneTls.listen({ host: config.host, port: config.phoneTlsPort });
});
