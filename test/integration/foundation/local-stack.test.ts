import { createServer, type Server } from 'node:net';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/stack/ports.js';
import { startLocalPostgres, type LocalPostgres } from '../../../scripts/stack/postgres.js';
import { startLocalRedis, type LocalRedis } from '../../../scripts/stack/redis.js';

/** The launchers `npm start` uses must never adopt a server they did not start. */
describe('local Postgres and Redis launchers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provd-stack-'));
  // Postgres runs as nobody when we are root: it must reach its data dir.
  chmodSync(dir, 0o755);
  const servers: Server[] = [];
  const started: (LocalPostgres | LocalRedis)[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    for (const service of started.splice(0)) await service.stop();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function occupy(): Promise<number> {
    const port = await freePort();
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    servers.push(server);
    return port;
  }

  it('refuses a Postgres port that is taken, naming the port and the variable', async () => {
    const port = await occupy();
    await expect(startLocalPostgres({ dataDir: join(dir, 'pg-taken'), port, fast: true })).rejects.toThrow(
      new RegExp(`port 127.0.0.1:${port} .*already in use.*PROVD_EMBEDDED_PG_PORT`),
    );
  });

  it('refuses a Redis port that is taken, naming the port and the variable', async () => {
    const port = await occupy();
    await expect(startLocalRedis({ dataDir: join(dir, 'redis-taken'), port, appendOnly: false })).rejects.toThrow(
      new RegExp(`port 127.0.0.1:${port} .*already in use.*PROVD_EMBEDDED_REDIS_PORT`),
    );
  });

  it('says at once why Postgres exited instead of waiting for the readiness timeout', async () => {
    const dataDir = join(dir, 'pg-broken');
    const first = await startLocalPostgres({ dataDir, port: await freePort(), fast: true });
    await first.stop();
    // A data dir of another major version: postgres exits right away with the reason in its log.
    writeFileSync(join(dataDir, 'PG_VERSION'), '9\n');
    const error = await startLocalPostgres({ dataDir, port: await freePort(), fast: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/exited .*before it became ready/);
    expect((error as Error).message).toMatch(/incompatible/);
    expect((error as Error).message).not.toMatch(/did not become ready/);
  });

  it('says at once why redis-server exited', async () => {
    const dataDir = join(dir, 'redis-broken');
    const port = await freePort();
    // An AOF manifest redis cannot parse: it refuses to start.
    const first = await startLocalRedis({ dataDir, port, appendOnly: true });
    await first.stop();
    writeFileSync(join(dataDir, 'appendonlydir', 'appendonly.aof.manifest'), 'garbage\n');
    const error = await startLocalRedis({ dataDir, port, appendOnly: true }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/exited .*before it became ready/);
  });

  it('starts on a free port and reaches its own server', async () => {
    const redis = await startLocalRedis({ dataDir: join(dir, 'redis-ok'), port: await freePort(), appendOnly: false });
    started.push(redis);
    expect(redis.url).toMatch(/^redis:/);
  });
});
