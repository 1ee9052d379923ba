import { configFromProcessEnv, requireKey } from '../config/config.js';
import { bootOrExit } from '../lifecycle/boot.js';
import { seedDemo } from '../modules/tenants/demo-seed.js';
import { migrateUp, openOrm } from './orm.js';

/** Entry point: apply committed migrations, then upsert the bootstrap tokens. Safe to run on every deploy. */
bootOrExit('provd-migrate', async () => {
  const config = configFromProcessEnv();
  const orm = await openOrm({ databaseUrl: requireKey(config, 'databaseUrl'), poolMax: 2 });
  try {
    const applied = await migrateUp(orm);
    console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is current');
    if (config.platformToken || config.demoAdminToken || config.demoAdminPassword) {
      await seedDemo(orm.em.fork(), {
        platformToken: config.platformToken,
        demoAdminToken: config.demoAdminToken,
        demoAdminPassword: config.demoAdminPassword,
      });
    }
  } finally {
    await orm.close(true);
  }
});
