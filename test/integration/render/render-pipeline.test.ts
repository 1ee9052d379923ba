import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanoutRegistry } from '#src/app/fanout.js';
import { rendererRegistry } from '#src/app/renderers.js';
import { createRelay, renderHandlers } from '#src/modules/pipeline/pipeline.js';
import type { OutboxRelay } from '#src/modules/pipeline/relay.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { seedTenant, type SeededTenant } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { eventually } from '../../helpers/eventually.js';
import {
  created,
  createDevice,
  PASSWORD_C,
  PASSWORD_D,
  PHONE_URL,
  seedScenario,
  sql,
  type Scenario,
} from './render-scenario.js';

let ctx: TestContext;
let t: SeededTenant;
let s: Scenario;
let relay: OutboxRelay;
let workers: Worker[] = [];

/** The stored body at a serve path once its target has caught up with every change. */
const current = (servePath: string) => () =>
  sql<{ body: Buffer }>(
    ctx,
    `select a.body from artifacts a join render_targets t on t.id = a.target_id where a.serve_path = ? and t.rendered_gen = t.desired_gen`,
    [servePath],
  );
const bodyOf = (rows: { body: Buffer }[]) => rows[0]?.body.toString('utf8') ?? '';

beforeAll(async () => {
  ctx = await createTestContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
  relay = createRelay(ctx.deps, fanoutRegistry(), { batchSize: 500, pollMs: 100 });
  workers = startWorkers(
    { render: renderHandlers(ctx.deps, rendererRegistry({ publicPhoneUrl: PHONE_URL })) },
    { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 4, logger: ctx.deps.logger },
  );
  await relay.start();
  t = await seedTenant(ctx, 'render-e2e');
  s = await seedScenario(t);
});
afterAll(async () => {
  await relay?.stop();
  await Promise.all(workers.map((worker) => worker.close()));
  await ctx?.close();
});

describe('render worker end to end (change capture → relay → fan-out → render worker → artifacts)', () => {
  it('renders a new device, then follows a PhoneMap switch to the new active member', async () => {
    await createDevice(s, '00:15:65:ee:00:01', 'yealink', 'T46S');
    const first = await eventually(current('001565ee0001/001565ee0001.cfg'), (rows) =>
      bodyOf(rows).includes(`account.2.password = ${PASSWORD_C}\n`),
    );
    expect(bodyOf(first)).toContain(`account.2.password = ${PASSWORD_C}\n`);
    expect(bodyOf(first)).toContain('account.2.user_name = u301\n');

    created(await s.admin.post(s.api(`/phonemap-groups/night/members/${s.accounts.d}/activate`)), 200);
    const switched = await eventually(current('001565ee0001/001565ee0001.cfg'), (rows) =>
      bodyOf(rows).includes(`account.2.password = ${PASSWORD_D}\n`),
    );
    expect(bodyOf(switched)).toContain(`account.2.password = ${PASSWORD_D}\n`);
    expect(bodyOf(switched)).toContain('account.2.user_name = u302\n');
    expect(bodyOf(switched)).not.toContain(PASSWORD_C);
  });

  it('renders the phonebook variant the device points at and re-renders it when a contact changes', async () => {
    const path = `pb/${s.tokens.all}/yealink.xml`;
    const initial = await eventually(current(path), (rows) => bodyOf(rows).includes('Lovelace'));
    expect(bodyOf(initial)).toContain('Lovelace');
    expect(bodyOf(initial)).not.toContain('Grace Hopper');
    created(
      await s.admin.post(s.api('/contacts'), {
        firstName: 'Grace',
        lastName: 'Hopper',
        numbers: [{ type: 'work', number: '+4930999999' }],
      }),
    );
    const updated = await eventually(current(path), (rows) => bodyOf(rows).includes('Grace Hopper'));
    expect(bodyOf(updated)).toContain('<Telephone>+4930999999</Telephone>');
  });
});
