import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { environmentWithEnvFile, loadConfig } from '#src/config/config.js';

describe('.env file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provd-envfile-'));
  writeFileSync(
    join(dir, '.env'),
    '# comment\nPROVD_ADMIN_PORT=4111\nPROVD_PHONE_PORT="8111"\nPROVD_LOG_LEVEL=debug\n',
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read, and the real environment wins over it per variable', () => {
    const config = loadConfig(environmentWithEnvFile({ PROVD_LOG_LEVEL: 'warn' }, dir));
    expect(config.adminPort).toBe(4111);
    expect(config.phonePort).toBe(8111);
    expect(config.logLevel).toBe('warn');
  });

  it('is optional', () => {
    const empty = mkdtempSync(join(tmpdir(), 'provd-noenv-'));
    try {
      expect(environmentWithEnvFile({ A: '1' }, empty)).toEqual({ A: '1' });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('is read by configFromProcessEnv from the working directory', () => {
    const configModule = resolve('src/config/config.ts');
    const script = `import(${JSON.stringify(configModule)}).then((m) => console.log(JSON.stringify(m.configFromProcessEnv())))`;
    const env: NodeJS.ProcessEnv = { ...process.env, PROVD_PHONE_PORT: '8222' };
    delete env.PROVD_ADMIN_PORT;
    const out = execFileSync(resolve('node_modules/.bin/tsx'), ['-e', script], { cwd: dir, env, encoding: 'utf8' });
    const config = JSON.parse(out.trim().split('\n').pop()!) as { adminPort: number; phonePort: number };
    expect(config.adminPort).toBe(4111);
    expect(config.phonePort).toBe(8222);
  });
});
