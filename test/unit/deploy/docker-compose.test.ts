import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_KEYS } from '#src/config/config.schema.js';

type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  expose?: string[];
  restart?: string;
  volumes?: string[];
};

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };
  const services = compose.services;

  const longRunning = Object.entries(services).filter(([, service]) => service.restart !== 'no');

  it('has postgres, redis, a one-shot migrate, api, worker, the proxy and prometheus; every long-running service has a real healthcheck', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'migrate',
      'postgres',
      'prometheus',
      'proxy',
      'redis',
      'worker',
    ]);
    for (const [name, service] of longRunning) {
      const test = service.healthcheck?.test.join(' ') ?? '';
      expect(test, name).not.toBe('');
      // A check that cannot fail (process exists, `true`, `exit 0`) is not a healthcheck.
      expect(test, name).not.toMatch(/kill -0|^CMD(-SHELL)? (true|exit 0)$/);
    }
    expect(services.worker!.healthcheck!.test.join(' ')).toContain('/healthz');
  });

  it('scales api and worker: no fixed host port on a scaled service; the proxy publishes them, the admin port on loopback only', () => {
    for (const name of ['api', 'worker', 'migrate']) expect(services[name]!.ports, name).toBeUndefined();
    const published = Object.values(services).flatMap((service) => service.ports ?? []);
    expect(new Set(published).size).toBe(published.length);
    expect(services.proxy!.ports).toEqual(expect.arrayContaining(['8080:8080', '127.0.0.1:3000:3000']));
    // Nothing but the phone port on every interface.
    for (const port of published) if (port !== '8080:8080') expect(port, port).toMatch(/^127\.0\.0\.1:/);
    expect(existsSync('deploy/nginx.conf')).toBe(true);
    expect(readFileSync('deploy/nginx.conf', 'utf8')).toMatch(/resolver 127\.0\.0\.11/);
    expect(services.api!.environment!.PROVD_TRUSTED_PROXY_COUNT).toBe('1');
  });

  it('runs migrations once, before api and worker start', () => {
    expect(services.migrate!.command!.join(' ')).toContain('dist/src/db/migrate.js');
    for (const name of ['api', 'worker']) {
      expect(services[name]!.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
      expect(services[name]!.command!.join(' '), name).not.toContain('migrate');
    }
  });

  it('Prometheus scrapes the api admin port and the worker status port of every replica', () => {
    const scrape = parse(readFileSync('deploy/prometheus.yml', 'utf8')) as {
      scrape_configs: { job_name: string; dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    const targets = scrape.scrape_configs.flatMap((job) =>
      job.dns_sd_configs.map((sd) => `${sd.names.join(',')}:${sd.port}`),
    );
    expect(targets.sort()).toEqual(['api:3000', 'worker:9464']);
    expect(services.prometheus!.volumes).toContain('./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
  });

  it('has a .dockerignore keeping local state and secrets out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', '.data', '.git', '.env']) expect(ignored, entry).toContain(entry);
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
