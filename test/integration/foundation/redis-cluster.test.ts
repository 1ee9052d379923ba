import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanoutRegistry } from '#src/app/fanout.js';
import { rendererRegistry } from '#src/app/renderers.js';
import { SignInLimiter } from '#src/modules/console/sign-in-limiter.js';
import { NotifyRateLimiter } from '#src/modules/notify/jobs/rate-limiter.js';
import { IdempotencyStore } from '#src/modules/notify/resync/idempotency.js';
import { redisClaimStore } from '#src/modules/phone/digest-replay.js';
import { createRelay, pipelineHandlers, renderHandlers } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { Cluster } from 'ioredis';
import { startRedisCluster, type LocalRedisCluster } from '../../../scripts/stack/redis-cluster.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import { fetchWithDigest, FAST, startPhoneProcess, type PhoneProcess } from '../phone-server/support.js';

/*
 * The daemon on a real Redis Cluster (3 masters, 3 replicas on loopback): PROVD_REDIS_URL lists
 * the nodes, so every connection is an ioredis Cluster. Each queue's keys share one slot (its
 * hash tag) and the ban, nonce, rate-limit and sign-in keys never span slots in one command, so
 * nothing answers CROSSSLOT; two phone replicas share bans and nonce claims through it.
 */
const PHONE_URL = 'http://prov.example.test';
let cluster: LocalRedisCluster;
let ctx: TestContext;
let t: SeededTenant;
let relay: OutboxRelay;
let workers: Worker[] = [];
const phones: PhoneProcess[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  ctx = await createTestContext({ PROVD_REDIS_URL: cluster.url, PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  relay = createRelay(ctx.deps, fanoutRegistry(), { batchSize: 500, pollMs: 100 });
  workers = startWorkers(
    {
      render: renderHandlers(ctx.deps, rendererRegistry({ publicPhoneUrl: PHONE_URL })),
      pipeline: pipelineHandlers(ctx.deps),
    },
    { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 2, logger: ctx.deps.logger },
  );
  await relay.start();
  t = await seedTenant(ctx, `cl${randomBytes(3).toString('hex')}`);
  // Each replica its own Deps, hence its own Cluster connections.
  phones.push(await startPhoneProcess(ctx, 'phone-a', { ...FAST, banRefreshMs: 100 }));
  phones.push(await startPhoneProcess(ctx, 'phone-b', { ...FAST, banRefreshMs: 100 }));
});
afterAll(async () => {
  await relay?.stop();
  await Promise.all(workers.map((worker) => worker.close()));
  for (const phone of phones) await phone.close();
  await ctx?.close();
  await cluster?.stop();
});

const api = (path: string) => `/api/v1/tenants/${t.slug}${path}`;

describe('on a Redis Cluster', () => {
  it('connects as a Cluster and answers ready (the canary job travels producer → worker)', async () => {
    expect(ctx.deps.redis).toBeInstanceOf(Cluster);
    expect(ctx.deps.workerRedis).toBeInstanceOf(Cluster);
    const ready = await ctx.admin.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
  });

  it('gets a phone its file end to end (relay → render queue → worker → Digest fetch from either replica)', async () => {
    const profile = await t.owner.post(api('/profiles'), {
      name: 'Cluster',
      settings: { sipServer: 'pbx.example.com' },
    });
    const group = await t.owner.post(api('/groups'), { name: 'Cluster', profileId: profile.body.id });
    const account = await t.owner.post(api('/accounts'), {
      groupId: group.body.id,
      extension: '4711',
      displayName: 'Ada Lovelace',
    });
    const device = await t.owner.post(api('/devices'), {
      mac: '00:15:65:12:34:56',
      vendor: 'yealink',
      model: 'T46S',
      lines: [{ index: 1, accountId: account.body.id }],
    });
    expect(device.status, device.raw).toBe(201);
    const sync = await eventually(
      () => t.viewer.get(api(`/devices/${device.body.id}/sync`)),
      (response) => response.body.renderedGen !== null && response.body.renderedGen === response.body.desiredGen,
    );
    expect(sync.body.renderedGen).toBe(sync.body.desiredGen);
    for (const phone of phones) {
      const file = await fetchWithDigest(
        phone.app,
        '/001565123456.cfg',
        { username: '001565123456', secret: device.body.provisioningSecret },
        { userAgent: 'Yealink SIP-T46S 66.86.0.15 00:15:65:12:34:56' },
      );
      expect(file.statusCode, file.body).toBe(200);
      expect(file.body).toContain('account.1.user_name = 4711');
    }
  });

  it('shares a ban between replicas: made through one, refused by the other', async () => {
    const [a, b] = phones as [PhoneProcess, PhoneProcess];
    await a.server.banGuard.ban('198.51.100.7', 60);
    await eventually(
      async () => b.server.banGuard.isBanned('198.51.100.7'),
      (banned) => banned,
    );
    expect(b.server.banGuard.isBanned('198.51.100.7')).toBe(true);
    // Counting past the threshold through one replica bans on the other too.
    let outcome = await b.server.banGuard.recordSensitive('203.0.113.9');
    while (!outcome.banned) outcome = await b.server.banGuard.recordSensitive('203.0.113.9');
    await eventually(
      async () => a.server.banGuard.isBanned('203.0.113.9'),
      (banned) => banned,
    );
    expect(a.server.banGuard.isBanned('203.0.113.9')).toBe(true);
    await a.server.banGuard.unban('198.51.100.7');
    await a.server.banGuard.unban('203.0.113.9');
    await b.server.banGuard.refresh();
    expect(b.server.banGuard.isBanned('198.51.100.7')).toBe(false);
    expect(b.server.banGuard.isBanned('203.0.113.9')).toBe(false);
  });

  it('claims a Digest nonce once across replicas, paces NOTIFY, limits sign-ins and keeps idempotency keys', async () => {
    const [a, b] = phones as [PhoneProcess, PhoneProcess];
    const key = `${ctx.config.queuePrefix}:nonce:${randomBytes(8).toString('hex')}`;
    expect(await redisClaimStore(a.deps.redis).claim(key, 'owner-a', 10_000)).toBe('claimed');
    expect(await redisClaimStore(a.deps.redis).claim(key, 'owner-a', 10_000)).toBe('mine');
    expect(await redisClaimStore(b.deps.redis).claim(key, 'owner-b', 10_000)).toBe('other');

    const limiter = new NotifyRateLimiter(ctx.deps.redis, ctx.config.queuePrefix);
    const delays = await limiter.reserve(t.tenant.id, 30, 10, { nowMs: Date.now() });
    expect(delays).toHaveLength(30);
    expect(delays[29]! - delays[0]!).toBeGreaterThanOrEqual(2000);

    const signIns = new SignInLimiter(ctx.deps.redis, ctx.config.queuePrefix, {
      perPair: 2,
      perAddress: 10,
      perAccount: 10,
      windowSeconds: 60,
      knownSeconds: 60,
    });
    await signIns.recordFailure('ada@example.test', '192.0.2.1');
    expect(await signIns.isLocked('ada@example.test', '192.0.2.1')).toBe(false);
    await signIns.recordFailure('ada@example.test', '192.0.2.1');
    expect(await signIns.isLocked('ada@example.test', '192.0.2.1')).toBe(true);
    await signIns.recordSuccess('ada@example.test', '192.0.2.1');
    expect(await signIns.isLocked('ada@example.test', '192.0.2.1')).toBe(false);

    const idempotency = new IdempotencyStore(ctx.deps.redis, ctx.config.queuePrefix);
    expect(await idempotency.claim('resync', 'k1', 'fp', 'job-1')).toEqual({ jobId: 'job-1', replayed: false });
    expect(await idempotency.claim('resync', 'k1', 'fp', 'job-2')).toEqual({ jobId: 'job-1', replayed: true });
    await idempotency.release('resync', 'k1');
  });

  it('logged no CROSSSLOT or other cluster error', () => {
    expect(ctx.logs.join('')).not.toMatch(/CROSSSLOT|non local key|MOVED|job failed/);
  });
});
