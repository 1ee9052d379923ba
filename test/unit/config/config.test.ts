import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicPhoneUrl, requireKey } from '#src/config/config.js';
import { ENV_KEYS } from '#src/config/config.schema.js';

describe('config', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.adminPort).toBe(3000);
    expect(config.phonePort).toBe(8080);
    expect(config.logLevel).toBe('info');
    expect(config.databaseUrl).toBeUndefined();
  });

  it('converts numeric strings and reads prefixed names', () => {
    const config = loadConfig({ PROVD_ADMIN_PORT: '4100', PROVD_WORKER_CONCURRENCY: '3' });
    expect(config.adminPort).toBe(4100);
    expect(config.workerConcurrency).toBe(3);
  });

  it('names the variable when a value is invalid', () => {
    expect(() => loadConfig({ PROVD_ADMIN_PORT: 'eighty' })).toThrowError(/PROVD_ADMIN_PORT/);
    expect(() => loadConfig({ PROVD_ADMIN_PORT: '70000' })).toThrowError(/PROVD_ADMIN_PORT/);
    expect(() => loadConfig({ PROVD_LOG_LEVEL: 'loud' })).toThrowError(/PROVD_LOG_LEVEL/);
    expect(() => loadConfig({ PROVD_DATABASE_URL: 'mysql://x' })).toThrowError(/PROVD_DATABASE_URL/);
  });

  it('throws a ConfigError with a single-line message', () => {
    try {
      loadConfig({ PROVD_PHONE_PORT: '-1' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe('PROVD_PHONE_PORT');
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('never echoes a secret value in the error', () => {
    const secret = 'postgresql-but-not-really://user:hunter2@host/db';
    expect(() => loadConfig({ PROVD_DATABASE_URL: secret })).toThrowError(ConfigError);
    try {
      loadConfig({ PROVD_DATABASE_URL: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  it('honours DATABASE_URL / REDIS_URL when the prefixed names are absent', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://a/b', REDIS_URL: 'redis://c:1' });
    expect(config.databaseUrl).toBe('postgres://a/b');
    expect(config.redisUrl).toBe('redis://c:1');
    expect(loadConfig({ DATABASE_URL: 'postgres://a/b', PROVD_DATABASE_URL: 'postgres://x/y' }).databaseUrl).toBe(
      'postgres://x/y',
    );
  });

  it('requireKey fails naming the variable', () => {
    expect(() => requireKey(loadConfig({}), 'databaseUrl')).toThrowError(new RegExp(ENV_KEYS.databaseUrl));
  });

  it('derives the public phone URL without a trailing slash', () => {
    expect(publicPhoneUrl(loadConfig({ PROVD_PUBLIC_PHONE_URL: 'https://prov.example.net/' }))).toBe(
      'https://prov.example.net',
    );
    expect(publicPhoneUrl(loadConfig({ PROVD_PHONE_PORT: '8081' }))).toBe('http://127.0.0.1:8081');
  });
});
