/**
 * The README's "First phone in six calls" block, run as written against a real admin API, phone
 * server, relay and render worker: only the first line (where and who) is replaced by this
 * server's URLs and a tenant owner's token. The phone's fetch must print its rendered file.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanoutRegistry } from '#src/app/fanout.js';
import { rendererRegistry } from '#src/app/renderers.js';
import { createRelay, renderHandlers } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { ensureDebianTool } from '../../helpers/debian-tool.js';

const PHONE_URL = 'https://phones.example.net';
let ctx: TestContext;
let t: SeededTenant;
let relay: OutboxRelay;
let workers: Worker[] = [];
let adminUrl: string;
let phoneUrl: string;

/** The bash block under the quickstart heading. */
function quickstart(): string {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const section = readme.split('## First phone in six calls')[1];
  const block = section ? /```bash\n([\s\S]*?)```/.exec(section)?.[1] : undefined;
  if (!block) throw new Error('README has no bash block under "First phone in six calls"');
  return block;
}

beforeAll(async () => {
  // The README's block is curl + jq, as an admin would type it.
  ensureDebianTool('curl', 'curl');
  ensureDebianTool('jq', 'jq');
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  relay = createRelay(ctx.deps, fanoutRegistry(), { batchSize: 500, pollMs: 100 });
  workers = startWorkers(
    { render: renderHandlers(ctx.deps, rendererRegistry({ publicPhoneUrl: PHONE_URL })) },
    { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 2, logger: ctx.deps.logger },
  );
  await relay.start();
  t = await seedTenant(ctx, 'quickstart');
  adminUrl = await ctx.admin.listen({ host: '127.0.0.1', port: 0 });
  phoneUrl = await ctx.phone.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await relay?.stop();
  await Promise.all(workers.map((worker) => worker.close()));
  await ctx?.close();
});

describe('README quickstart', () => {
  it('gets the first phone its file in six calls, exactly as the README writes them', async () => {
    const block = quickstart();
    const calls = block.split('\n').filter((line) => /\bapi\b.*\$ADMIN|^curl /.test(line.trim()));
    expect(calls).toHaveLength(6);
    const where = /^ADMIN=\S+ PHONE=\S+ TOKEN=\S+ T=\S+$/m;
    expect(block).toMatch(where);
    const script = `set -euo pipefail\n${block.replace(where, `ADMIN=${adminUrl} PHONE=${phoneUrl} TOKEN=${t.tokens.owner} T=${t.slug}`)}`;
    const { stdout } = await promisify(execFile)('bash', ['-c', script], { timeout: 120_000 });
    expect(stdout).toContain('account.1.sip_server.1.address = pbx.example.com');
    expect(stdout).toContain('account.1.user_name = 4711');
    const sync = await t.viewer.get(`/api/v1/tenants/${t.slug}/devices/sync`);
    expect(sync.body.items).toMatchObject([
      { mac: '001565123456', renderError: null, renderedGen: expect.stringMatching(/^[1-9]/) },
    ]);
  });
});
