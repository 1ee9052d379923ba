import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_KEYS } from '../../../src/config/config.schema.js';

type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
};

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const services = compose.services;

  it('has postgres, redis, api and worker, each with a healthcheck', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'redis', 'worker']);
    for (const [name, service] of Object.entries(services)) expect(service.healthcheck?.test, name).toBeDefined();
  });

  it('runs Redis with noeviction and AOF', () => {
    const command = services.redis!.command!.join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('wires api and worker to the compose Postgres and Redis through known config keys', () => {
    const known = new Set(Object.values(ENV_KEYS));
    for (const name of ['api', 'worker']) {
      const env = services[name]!.environment!;
      expect(env.PROVD_DATABASE_URL, name).toMatch(/@postgres:5432\//);
      expect(env.PROVD_REDIS_URL, name).toBe('redis://redis:6379');
      for (const key of Object.keys(env)) expect(known.has(key), `${name}: ${key} is not a config key`).toBe(true);
      expect(services[name]!.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(services[name]!.depends_on?.redis?.condition).toBe('service_healthy');
    }
  });

  it('shares the import spool folder between api and worker', () => {
    for (const name of ['api', 'worker']) {
      const service = services[name] as Service & { volumes?: string[] };
      expect(service.environment!.PROVD_DATA_DIR, name).toBe('/var/lib/provd');
      expect(service.volumes, name).toContain('spool:/var/lib/provd');
    }
  });

  it('builds api and worker from the Dockerfile and points the worker at the worker entry', () => {
    expect(existsSync('Dockerfile')).toBe(true);
    expect(services.api!.build).toBe('.');
    expect(services.worker!.command!.join(' ')).toContain('dist/workers/main.js');
    expect(existsSync('workers/main.ts')).toBe(true);
    expect(services.api!.healthcheck!.test.join(' ')).toContain('/readyz');
  });
});
