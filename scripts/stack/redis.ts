import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { assertPortFree } from './ports.js';
import { ensureDir, fileSize, logTail, samePath, startChild, stopChild, waitForChild } from './processes.js';

export interface LocalRedis {
  url: string;
  port: number;
  child: ChildProcess;
  stop: () => Promise<void>;
}

export const REDIS_INSTALL_HINT =
  'redis-server not found: install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`) or set PROVD_REDIS_URL';

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
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'redis-server'], {
        stdio: ['ignore', 'ignore', 'inherit'],
        env,
      });
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
  // Checked first: otherwise a Redis already on the port answers the PING and we would silently
  // run on it (and its data).
  await assertPortFree(options.port, 'the local Redis', 'PROVD_EMBEDDED_REDIS_PORT');
  ensureDir(dataDir);
  const logPath = resolve(dataDir, 'redis.log');
  const args = [
    '--port',
    String(options.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    '--appendonly',
    options.appendOnly === false ? 'no' : 'yes',
    '--maxmemory-policy',
    'noeviction',
    '--save',
    '',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    '--logfile',
    logPath,
  ];
  const logStart = fileSize(logPath);
  const child = startChild(binary, args);
  const url = `redis://127.0.0.1:${options.port}`;
  let served: string | undefined;
  await waitForChild(
    child,
    async () => {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const [, dir] = (await client.config('GET', 'dir')) as string[];
        served = dir;
        return true;
      } finally {
        client.disconnect();
      }
    },
    15000,
    `redis-server on port ${options.port}`,
    () => `${logTail(logPath, logStart)} (log: ${logPath})`,
  ).catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });
  // The port was free a moment ago; make sure the server we reach is the one we started.
  if (!served || !samePath(served, dataDir)) {
    await stopChild(child, 'SIGTERM');
    throw new Error(
      `port 127.0.0.1:${options.port} is served by another Redis (dir ${served ?? 'unknown'}, expected ${dataDir}): stop it or set PROVD_EMBEDDED_REDIS_PORT`,
    );
  }
  return { url, port: options.port, child, stop: () => stopChild(child, 'SIGTERM') };
}
