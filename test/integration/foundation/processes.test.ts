import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort } from '../../../scripts/stack/ports.js';
import { createTestDatabase } from '../../helpers/database.js';

const tsx = 'node_modules/.bin/tsx';

describe('entry points', () => {
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('stops with one clear line naming the variable when a setting is invalid', () => {
    const result = spawnSync(tsx, ['src/main.ts'], {
      env: { PATH: process.env.PATH, PROVD_ADMIN_PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr
      .trim()
      .split('\n')
      .filter((line) => !line.includes('Warning'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PROVD_ADMIN_PORT/);
  });

  it('names the missing database URL', () => {
    const result = spawnSync(tsx, ['workers/main.ts'], {
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PROVD_DATABASE_URL is required/);
  });

  it('serves, then exits 0 on SIGTERM well within the 30 s budget', async () => {
    const adminPort = await freePort();
    const env = {
      PATH: process.env.PATH,
      PROVD_DATABASE_URL: database.url,
      PROVD_REDIS_URL: inject('redisUrl'),
      PROVD_QUEUE_PREFIX: `p${randomBytes(4).toString('hex')}`,
      PROVD_ADMIN_PORT: String(adminPort),
      PROVD_PHONE_PORT: String(await freePort()),
      PROVD_LOG_LEVEL: 'warn',
      PROVD_DIGEST_NONCE_KEY: randomBytes(32).toString('hex'),
    };
    const child = spawn(tsx, ['src/main.ts'], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 45000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      ready = await fetch(`http://127.0.0.1:${adminPort}/readyz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(ready).toBe(true);
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(30000);
  });
});
