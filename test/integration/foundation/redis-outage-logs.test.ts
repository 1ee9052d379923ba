import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/stack/ports.js';
import { createTestDatabase } from '../../helpers/database.js';

const tsx = 'node_modules/.bin/tsx';

/**
 * A Redis that does not answer must cost a few log lines, not a stack per reconnect attempt per
 * client: every Redis client and BullMQ queue/worker has a rate-limited 'error' listener.
 */
describe('Redis unreachable', () => {
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('logs one line per connection, not a flood', async () => {
    const closedPort = await freePort();
    const env = {
      PATH: process.env.PATH,
      PROVD_DATABASE_URL: database.url,
      PROVD_REDIS_URL: `redis://127.0.0.1:${closedPort}`,
      PROVD_QUEUE_PREFIX: `p${randomBytes(4).toString('hex')}`,
      PROVD_LOG_LEVEL: 'info',
      // No status listener: the default port may be taken by a worker of another test or of npm start.
      PROVD_WORKER_METRICS_PORT: '0',
    };
    const child = spawn(tsx, ['workers/render.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let sawError!: () => void;
    const errored = new Promise<void>((resolve) => (sawError = resolve));
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('connection error')) sawError();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await Promise.race([errored, exited]);
    // Several seconds of reconnect attempts (every 100 ms to 2 s per client) within one report interval.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    child.kill('SIGKILL');
    await exited;
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    expect(output).toContain('connection error');
    expect(output).not.toMatch(/Unhandled error event|^\s+at /m);
    // Boot lines plus one line per connection (command, worker template, render worker, queues).
    expect(lines.length, output).toBeLessThanOrEqual(10);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  });
});
