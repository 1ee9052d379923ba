import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { ensureDir, startChild, stopChild, waitFor } from './processes.js';

export interface LocalRedis {
  url: string;
  port: number;
  child: ChildProcess;
  stop: () => Promise<void>;
}

export const REDIS_INSTALL_HINT = 'redis-server not found: install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`) or set PROVD_REDIS_URL';

function which(binary: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const path = result.stdout.trim();
  return result.status === 0 && path ? path : undefined;
}

/** Finds redis-server; on Debian/Ubuntu as root, installs the package once. */
export function findOrInstallRedisServer(): string {
  const found = which('redis-server');
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('[setup] installing redis-server with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () => spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'redis-server'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (install().status !== 0) {
      spawnSync('apt-get', ['update', '-q'], { stdio: ['ignore', 'ignore', 'inherit'], env });
      install();
    }
    const installed = which('redis-server');
    if (installed) return installed;
  }
  throw new Error(REDIS_INSTALL_HINT);
}

export interface RedisOptions {
  dataDir: string;
  port: number;
  /** AOF on, as in production; tests that do not need durability may turn it off. */
  appendOnly?: boolean;
}

export async function startLocalRedis(options: RedisOptions): Promise<LocalRedis> {
  const binary = findOrInstallRedisServer();
  const dataDir = resolve(options.dataDir);
  ensureDir(dataDir);
  const args = [
    '--port', String(options.port),
    '--bind', '127.0.0.1',
    '--dir', dataDir,
    '--appendonly', options.appendOnly === false ? 'no' : 'yes',
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--daemonize', 'no',
    '--loglevel', 'warning',
    '--logfile', resolve(dataDir, 'redis.log'),
  ];
  const child = startChild(binary, args);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const url = `redis://127.0.0.1:${options.port}`;
  await waitFor(
    async () => {
      if (exited) throw new Error(`redis-server exited early; see ${dataDir}/redis.log`);
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    },
    15000,
    `redis on port ${options.port}`,
  );
  return { url, port: options.port, child, stop: () => stopChild(child, 'SIGTERM') };
}
