import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererRegistry } from '#src/app/renderers.js';
import { notifyWorker } from '#src/modules/notify/notify.worker.js';
import { ArtifactEvents } from '#src/modules/pipeline/artifact-events.js';
import { deviceTarget } from '#src/modules/pipeline/fanout.types.js';
import { pipelineMetrics } from '#src/modules/pipeline/pipeline.metrics.js';
import { renderTarget } from '#src/modules/pipeline/render-target.handler.js';
import { bumpTargets } from '#src/modules/pipeline/targets.js';
import { startWorkers } from '#src/queues/worker-host.js';
import { apiClient, createToken } from '../../helpers/api.js';
import {
  createConsoleContext,
  seriousA11yViolations,
  seedConsoleUser,
  seedTenant,
  signIn,
  type ConsoleTestContext,
} from '../../helpers/console.js';
import { eventually } from '../../helpers/eventually.js';

const PHONE_URL = 'https://phones.example.net';
const XSS = '<img src=x onerror=alert(1)>';

describe('console device page', () => {
  let ctx: ConsoleTestContext;
  let deviceId: string;
  let otherDeviceId: string;
  let closeWorkers: () => Promise<void>;
  const lines = async () =>
    (await ctx.deps.orm.em
      .getConnection()
      .execute(`select line_index, label from device_lines where device_id = ? order by line_index`, [deviceId])) as {
      line_index: number;
      label: string | null;
    }[];

  beforeAll(async () => {
    ctx = await createConsoleContext({ PROVD_PUBLIC_PHONE_URL: PHONE_URL });
    const tenant = await seedTenant(ctx, 'page');
    const other = await seedTenant(ctx, 'page-other');
    await seedConsoleUser(ctx, 'admin@page.example', 'admin', tenant);
    await seedConsoleUser(ctx, 'viewer@page.example', 'viewer', tenant);
    const api = apiClient(ctx, await createToken(ctx, 'admin', tenant));
    const post = async (path: string, body: unknown) => (await api.post(`/api/v1/tenants/page${path}`, body)).body;
    const profile = await post('/profiles', {
      name: 'Office',
      settings: {
        sipServer: 'sip.page.example',
        ntpServer: 'ntp.page.example',
        timeZone: 'Europe/Berlin',
        language: 'en',
      },
    });
    await api.put(`/api/v1/tenants/page/profiles/${profile.id}/default`);
    const group = await post('/groups', { name: 'Sales' });
    const alice = await post('/accounts', { groupId: group.id, extension: '2001', displayName: 'Alice Able' });
    await post('/accounts', { groupId: group.id, extension: '2002', displayName: 'Bob Baker' });
    deviceId = (
      await post('/devices', {
        mac: '00:15:65:12:34:56',
        vendor: 'yealink',
        model: 'T46S',
        lines: [{ index: 1, accountId: alice.id, label: XSS }],
      })
    ).id;
    const otherApi = apiClient(ctx, await createToken(ctx, 'admin', other));
    otherDeviceId = (
      await otherApi.post('/api/v1/tenants/page-other/devices', { mac: '00:15:65:65:43:21', vendor: 'yealink' })
    ).body.id;
    // Render the device as the render worker does, so the page has files to show.
    const [target] = await ctx.deps.orm.em
      .getKnex()
      .transaction((trx) => bumpTargets(trx, [deviceTarget(tenant.id, deviceId)]));
    await renderTarget(
      {
        orm: ctx.deps.orm,
        queues: ctx.deps.queues,
        renderers: rendererRegistry({ publicPhoneUrl: PHONE_URL }),
        events: new ArtifactEvents(ctx.deps.redis, ctx.config.queuePrefix),
        metrics: pipelineMetrics(ctx.deps.metrics.registry),
        logger: ctx.deps.logger,
      },
      target!.id,
    );
    // The notify worker runs resync jobs (no notifier configured: the job says so and sends nothing).
    const notify = notifyWorker(ctx.deps);
    const workers = startWorkers(
      { notify: notify.handlers },
      { connection: ctx.deps.workerRedis, prefix: ctx.config.queuePrefix, concurrency: 2, logger: ctx.deps.logger },
    );
    closeWorkers = async () => {
      await Promise.all(workers.map((worker) => worker.close()));
      await notify.close();
    };
  });
  afterAll(async () => {
    await closeWorkers?.();
    await ctx?.close();
  });

  it('shows lines, settings with their layer, files and sync; binds lines; resyncs with its progress in place', async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    let dialogs = 0;
    page.on('dialog', () => {
      dialogs += 1;
    });
    await signIn(page, ctx.baseUrl, 'admin@page.example');
    await page.goto(`${ctx.baseUrl}/console/t/page/devices`);
    await page.getByRole('link', { name: '001565123456' }).click();
    await page.waitForURL(new RegExp(`/devices/${deviceId}$`));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Device 001565123456');
    const lineRows = await page.locator('#device-lines tbody tr').allInnerTexts();
    expect(lineRows[0]).toContain('Alice Able (2001)');
    expect(await page.getByLabel('Line 1 label').inputValue()).toBe(XSS);
    expect(await page.locator('#device-settings').innerText()).toMatch(
      /sipServer\s+sip\.page\.example\s+Tenant default profile/,
    );
    expect(await page.locator('#device-sync').innerText()).toMatch(/Rendered version\s+generation 1/);
    expect(await page.locator('#device-sync').innerText()).toMatch(/Last fetch\s+never/);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.getByRole('link', { name: '001565123456.cfg' }).click();
    expect(await page.locator('#file-text').innerText()).toContain('sip.page.example');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.goBack();

    // An unknown extension: the error next to its field, status 400, nothing written.
    await page.getByLabel('Line 2 binding').selectOption('account');
    await page.getByLabel('Line 2 extension or PhoneMap group id').fill('9999');
    const refused = page.waitForResponse((response) => response.url().endsWith('/lines'));
    await page.getByRole('button', { name: 'Save lines' }).click();
    expect((await refused).status()).toBe(400);
    expect(await page.locator('#line-2-error').innerText()).toBe('no user has extension 9999');
    expect(await page.getByLabel('Line 2 extension or PhoneMap group id').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await lines()).toEqual([{ line_index: 1, label: XSS }]);
    await page.getByLabel('Line 2 extension or PhoneMap group id').fill('2002');
    await page.getByLabel('Line 2 label').fill('Bob');
    await Promise.all([
      page.waitForURL(new RegExp(`/devices/${deviceId}$`)),
      page.getByRole('button', { name: 'Save lines' }).click(),
    ]);
    expect(await page.locator('#result-line').innerText()).toContain('Changes Saved');
    expect(await lines()).toEqual([
      { line_index: 1, label: XSS },
      { line_index: 2, label: 'Bob' },
    ]);
    expect((await page.locator('#device-lines tbody tr').allInnerTexts())[1]).toContain('Bob Baker (2002)');

    await page.getByRole('button', { name: 'Resync' }).click();
    const status = page.locator('#resync-job [role=status]');
    await eventually(
      () => status.innerText(),
      (text) => /completed/.test(text),
    );
    expect(await status.innerText()).toContain('no notifier is configured');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(dialogs).toBe(0);
    await page.context().close();
  });

  it("a viewer sees no write control and no file; forged posts get 403; another tenant's device is 404", async () => {
    const page = await (await ctx.browser.newContext()).newPage();
    await signIn(page, ctx.baseUrl, 'viewer@page.example');
    await page.goto(`${ctx.baseUrl}/console/t/page/devices/${deviceId}`);
    expect(await page.getByRole('button', { name: 'Resync' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save lines' }).count()).toBe(0);
    expect(await page.locator('#device-lines input:not([type=hidden]), #device-lines select').count()).toBe(0);
    expect(await page.locator('#device-files').count()).toBe(0);
    expect(await page.locator('#device-lines').innerText()).toContain(XSS);
    expect(await seriousA11yViolations(page)).toEqual([]);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const here = `${ctx.baseUrl}/console/t/page/devices/${deviceId}`;
    expect(
      (await page.request.post(`${here}/lines`, { form: { _csrf: csrf, 'index-1': '1', 'kind-1': 'none' } })).status(),
    ).toBe(403);
    expect((await page.request.post(`${here}/resync`, { form: { _csrf: csrf } })).status()).toBe(403);
    expect((await page.request.get(`${here}/files/001565123456.cfg`)).status()).toBe(403);
    expect(await lines()).toHaveLength(2);
    expect((await page.request.get(`${ctx.baseUrl}/console/t/page/devices/${otherDeviceId}`)).status()).toBe(404);
    expect((await page.request.get(`${ctx.baseUrl}/console/t/page/devices/not-a-uuid`)).status()).toBe(404);
    await page.context().close();
  });
});
